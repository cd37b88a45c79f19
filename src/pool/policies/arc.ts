/**
 * arc -- Megiddo & Modha's Adaptive Replacement Cache (FAST '03, figure 4).
 *
 * Four LRU lists, each least recent first:
 *
 *        B1 (ghosts)  |  T1 (seen once)  ||  T2 (seen again)  |  B2 (ghosts)
 *     <- forgotten ...          resident: c frames               ... forgotten ->
 *
 * T1 and T2 hold the cached pages (by frame): T1 those seen once since they came in, T2 those
 * seen at least twice. B1 and B2 remember, by page number only, pages recently evicted from
 * T1 and T2. A target p (0..c) says how big T1 should be. A miss on a page found in B1 means
 * T1 was too small: p grows by δ1 = 1 if |B1| >= |B2|, else |B2|/|B1|; one found in B2
 * shrinks it by δ2 = 1 if |B2| >= |B1|, else |B1|/|B2|; either way the page comes back into
 * T2. Any other miss goes into T1. A hit moves the page to the most recent end of T2.
 * As in the paper, the ratios are real and so is p (an earlier version rounded the step down
 * to an integer, which is not the paper's ARC and scores differently).
 *
 * REPLACE(x): evict T1's least recent page into B1 if |T1| > p, or if |T1| = p and x is in
 * B2; otherwise evict T2's least recent page into B2. Pinned frames are passed over; if every
 * frame of the chosen list is pinned the other list is tried. The ghost lists are trimmed
 * so that |T1| + |B1| <= c and |T1| + |T2| + |B1| + |B2| <= 2c: for a page that is new to
 * all four lists, admit() drops B1's oldest ghost if T1 + B1 would pass c, else B2's oldest
 * if the total would pass 2c. That is the paper's case IV done after REPLACE instead of
 * before: the same ghost goes, and when B1 was empty and T1 full (the paper deletes T1's
 * LRU page outright) the page REPLACE just put in B1 is the one dropped.
 *
 * The pool asks victim(pins, x) before admit(frame, x), and a failed write may make it ask
 * again, so victim() commits nothing: it computes the p that x would bring, keeps it as
 * pending, and admit() of that same x applies it (the paper adapts p before REPLACE, with
 * the ghost sizes of that moment). c is the pool's maxcache, raised with it (resize) when a
 * later opener asks for more; when the pool grows past it (every frame pinned) the extra pages
 * simply live in T1/T2.
 *
 * Frames and ghost slots live in typed arrays; the ghosts are found by page number through
 * one Map (pgno -> slot). admit/access/remove are O(1).
 */
import type {Replacer} from '../replacer.js'
import {widened} from '../typed.js'
import {ListSet, NIL} from './lists.js'
import type {ArcReason} from './reasons.js'

// list ids: where a frame (T1, T2) or a ghost slot (B1, B2) is
const NONE = 0
const T1 = 1
const T2 = 2
const B1 = 3
const B2 = 4

export class ArcReplacer implements Replacer {
  readonly name = 'arc' as const
  /** the cache size c the target adapts within: the pool's maxcache (raised by resize) */
  c: number
  private p = 0 // target size of T1, a real number in 0..c
  private pendingPgno = NIL // the incoming page of the last victim() call
  private pendingP = 0 // the p that page brings, applied by admit()
  // resident pages, by frame
  private where: Uint8Array // NONE, T1 or T2
  private pgno: Float64Array // page in frame f
  private prev: Int32Array
  private next: Int32Array
  // ghosts, by slot 0..2c
  private ghostWhere = new Uint8Array(0) // NONE (free slot), B1 or B2
  private ghostPgno = new Float64Array(0)
  private ghostPrev = new Int32Array(0)
  private ghostNext = new Int32Array(0) // also links the free slots
  private ghostFree = NIL
  private ghostByPgno = new Map<number, number>() // pgno -> slot
  // head (least recent), tail (most recent) and size, by list id: T1 and T2 link through
  // prev/next, B1 and B2 through ghostPrev/ghostNext
  private readonly lists = new ListSet(5)
  private readonly head = this.lists.head
  private readonly tail = this.lists.tail
  private readonly size = this.lists.size

  constructor(capacity: number, maxcache: number) {
    this.c = Math.max(1, maxcache)
    const n = Math.max(capacity, 1)
    this.where = new Uint8Array(n)
    this.pgno = new Float64Array(n)
    this.prev = new Int32Array(n).fill(NIL)
    this.next = new Int32Array(n).fill(NIL)
    // Ghost slots are made as ghosts come, up to 2c + 1 (ghosts never pass 2c; one more while a
    // trim is due): a pool opened with a huge maxcache pays for the ghosts it has, not for 2c.
    this.growGhosts(Math.min(this.ghostLimit(), Math.max(16, 2 * n)))
  }

  grow(capacity: number): void {
    if (capacity <= this.where.length) return
    const n = Math.max(capacity, this.where.length * 2)
    this.where = widened(this.where, n)
    this.pgno = widened(this.pgno, n)
    this.prev = widened(this.prev, n, NIL)
    this.next = widened(this.next, n, NIL)
  }

  /** resize -- a larger c: the directory may hold more ghosts (their slots come as needed); p, within the old c, stays. */
  resize(maxcache: number): void {
    if (maxcache > this.c) this.c = maxcache
  }

  admit(frame: number, pgno: number): void {
    if (this.where[frame] !== NONE) this.remove(frame, false)
    const slot = this.ghostByPgno.get(pgno)
    if (slot !== undefined) {
      // cases II and III: a ghost hit adapts p and comes back as a frequent page
      this.p = pgno === this.pendingPgno ? this.pendingP : this.adapted(this.ghostWhere[slot])
      this.ghostDrop(slot)
      this.pendingPgno = NIL
      this.residentAppend(T2, frame, pgno)
      return
    }
    // case IV: a page new to all four lists; make room in the directory first
    this.pendingPgno = NIL
    const t1 = this.size[T1]
    const b1 = this.size[B1]
    if (t1 + b1 + 1 > this.c) {
      if (b1 > 0) this.ghostDrop(this.head[B1])
    } else if (this.total() + 1 > 2 * this.c && this.size[B2] > 0) {
      this.ghostDrop(this.head[B2])
    }
    this.residentAppend(T1, frame, pgno)
  }

  access(frame: number): void {
    // case I: a hit, to the most recent end of T2 (residentUnlink + residentAppend, fused:
    // this is the pool's hit path, so it writes only the links that change)
    const t = this.tail[T2]
    if (t === frame) return
    const list = this.where[frame]
    const p = this.prev[frame]
    const n = this.next[frame]
    if (p === NIL) this.head[list] = n
    else this.next[p] = n
    if (n === NIL) this.tail[list] = p
    else this.prev[n] = p
    this.prev[frame] = t
    this.next[frame] = NIL
    if (t === NIL) this.head[T2] = frame
    else this.next[t] = frame
    this.tail[T2] = frame
    if (list !== T2) {
      this.size[list]--
      this.size[T2]++
      this.where[frame] = T2
    }
  }

  /** victim -- REPLACE(incoming) with the p that incoming would bring; -1 if every resident frame is pinned. */
  victim(pins: Int32Array, incoming: number): number {
    const slot = this.ghostByPgno.get(incoming)
    const ghost = slot === undefined ? NONE : this.ghostWhere[slot]
    const p = this.adapted(ghost)
    this.pendingPgno = incoming
    this.pendingP = p
    const t1 = this.size[T1]
    const first = t1 >= 1 && (t1 > p || (ghost === B2 && t1 === p)) ? T1 : T2
    const f = this.firstUnpinned(first, pins)
    return f !== NIL ? f : this.firstUnpinned(first === T1 ? T2 : T1, pins)
  }

  /** remove -- an evicted page leaves a ghost in B1 (from T1) or B2 (from T2); a dropped page is forgotten. */
  remove(frame: number, evicted: boolean): void {
    const list = this.where[frame]
    if (list === NONE) return
    this.residentUnlink(list, frame)
    if (!evicted) return
    this.ghostAppend(list === T1 ? B1 : B2, this.pgno[frame])
    // REPLACE keeps both bounds by itself; this only matters after a pool shrank or grew
    while (this.size[T1] + this.size[B1] > this.c && this.size[B1] > 0) this.ghostDrop(this.head[B1])
    while (this.total() > 2 * this.c && this.size[B1] + this.size[B2] > 0) {
      this.ghostDrop(this.head[this.size[B2] > 0 ? B2 : B1])
    }
  }

  /** order -- the frames in the order REPLACE would take them with the current p, pins aside. */
  order(): number[] {
    const out: number[] = []
    let t1 = this.size[T1]
    let t2 = this.size[T2]
    let f1 = this.head[T1]
    let f2 = this.head[T2]
    while (t1 + t2 > 0) {
      if (t1 >= 1 && (t1 > this.p || t2 === 0)) {
        out.push(f1)
        f1 = this.next[f1]
        t1--
      } else {
        out.push(f2)
        f2 = this.next[f2]
        t2--
      }
    }
    return out
  }

  /** describe -- c, p, the four lists' sizes, and their contents as page numbers (T1, T2) and ghosts (B1, B2), least recent first. */
  describe(): Record<string, unknown> {
    return {
      policy: 'arc',
      c: this.c,
      p: this.p,
      t1: this.size[T1],
      t2: this.size[T2],
      b1: this.size[B1],
      b2: this.size[B2],
      lists: {T1: this.pages(T1), T2: this.pages(T2), B1: this.pages(B1), B2: this.pages(B2)},
    }
  }

  /** why -- REPLACE's choice of list: |T1| against the p the incoming page's ghost hit (if any) brought. */
  why(victim: number, _pins: Int32Array, incoming: number): ArcReason {
    const slot = this.ghostByPgno.get(incoming)
    const ghost = slot === undefined ? NONE : this.ghostWhere[slot]
    const p = incoming === this.pendingPgno ? this.pendingP : this.adapted(ghost)
    const t1 = this.size[T1]
    const chose = t1 >= 1 && (t1 > p || (ghost === B2 && t1 === p)) ? 'T1' : 'T2'
    return {
      policy: 'arc',
      frame: victim,
      from: this.where[victim] === T1 ? 'T1' : 'T2',
      chose,
      t1,
      pBefore: this.p,
      p,
      ghost: ghost === B1 ? 'B1' : ghost === B2 ? 'B2' : null,
      b1: this.size[B1],
      b2: this.size[B2],
    }
  }

  /** adapted -- the target after a miss on a page found in `ghost`: B1 grows it by δ1, B2 shrinks it by δ2 (real ratios, Figure 4). */
  private adapted(ghost: number): number {
    const b1 = this.size[B1]
    const b2 = this.size[B2]
    if (ghost === B1) return Math.min(this.c, this.p + (b1 >= b2 ? 1 : b2 / b1))
    if (ghost === B2) return Math.max(0, this.p - (b2 >= b1 ? 1 : b1 / b2))
    return this.p
  }

  /** pages -- the page numbers in list T1 or T2 (by frame) or B1 or B2 (ghosts), least recent first. */
  private pages(list: number): number[] {
    const out: number[] = []
    const ghost = list === B1 || list === B2
    const next = ghost ? this.ghostNext : this.next
    const pgno = ghost ? this.ghostPgno : this.pgno
    for (let i = this.head[list]; i !== NIL; i = next[i]) out.push(pgno[i])
    return out
  }

  private total(): number {
    return this.size[T1] + this.size[T2] + this.size[B1] + this.size[B2]
  }

  private firstUnpinned(list: number, pins: Int32Array): number {
    for (let f = this.head[list]; f !== NIL; f = this.next[f]) {
      if (pins[f] === 0) return f
    }
    return NIL
  }

  private residentAppend(list: number, frame: number, pgno: number): void {
    this.where[frame] = list
    this.pgno[frame] = pgno
    this.lists.append(list, frame, this.prev, this.next)
  }

  private residentUnlink(list: number, frame: number): void {
    this.lists.unlink(list, frame, this.prev, this.next)
    this.where[frame] = NONE
  }

  /** ghostLimit -- the most ghost slots the directory can need: 2c, and one while a trim is due. */
  private ghostLimit(): number {
    return 2 * this.c + 1
  }

  /** growGhosts -- the ghost arrays made `slots` long, the new slots on the free list, lowest first. */
  private growGhosts(slots: number): void {
    const old = this.ghostWhere.length
    this.ghostWhere = widened(this.ghostWhere, slots)
    this.ghostPgno = widened(this.ghostPgno, slots)
    this.ghostPrev = widened(this.ghostPrev, slots, NIL)
    this.ghostNext = widened(this.ghostNext, slots, NIL)
    for (let s = slots - 1; s >= old; s--) {
      this.ghostNext[s] = this.ghostFree
      this.ghostFree = s
    }
  }

  private ghostAppend(list: number, pgno: number): void {
    let slot = this.ghostFree
    if (slot === NIL) {
      if (this.ghostWhere.length < this.ghostLimit()) {
        this.growGhosts(Math.min(this.ghostLimit(), 2 * this.ghostWhere.length))
      } else {
        // only reachable if a trim was skipped: make room from the oldest ghost
        this.ghostDrop(this.head[this.size[B1] > 0 ? B1 : B2])
      }
      slot = this.ghostFree
    }
    this.ghostFree = this.ghostNext[slot]
    this.ghostWhere[slot] = list
    this.ghostPgno[slot] = pgno
    this.lists.append(list, slot, this.ghostPrev, this.ghostNext)
    this.ghostByPgno.set(pgno, slot)
  }

  private ghostDrop(slot: number): void {
    this.lists.unlink(this.ghostWhere[slot], slot, this.ghostPrev, this.ghostNext)
    this.ghostWhere[slot] = NONE
    this.ghostByPgno.delete(this.ghostPgno[slot])
    this.ghostNext[slot] = this.ghostFree
    this.ghostFree = slot
  }
}
