/**
 * lru-k -- O'Neil, O'Neil & Weikum's LRU-K, with the rules of CMU BusTub's LRUKReplacer.
 *
 * A logical clock ticks at every admit and every hit, and each frame remembers the times of
 * its last k accesses (a ring of k slots). The backward k-distance of a frame is now minus
 * the time of its k-th most recent access; a frame seen fewer than k times has an infinite
 * distance. The victim is the unpinned frame with the largest distance; among frames at
 * infinity, the one whose earliest recorded access is oldest (BusTub's tie rule, i.e. plain
 * LRU on first access). Both rules compare one number per frame, the oldest access it
 * remembers ("key" below): infinite frames first, then the smallest key. History is kept for
 * cached frames only: an evicted page comes back with none (BusTub does the same).
 *
 * Two structures hold the frames, by class:
 *
 *   young  frames with < k accesses, an intrusive list in admit order. Their key is their
 *          admit time and never changes while they stay young, so the list stays sorted.
 *   old    frames with k accesses, an indexed binary min-heap on key. A hit only ever raises
 *          a key (the oldest of the last k moves forward), so the heap is ordered lazily: each
 *          slot keeps the key its frame had when last placed, never above the frame's key now.
 *          victim() re-places the top while its key is out of date; then the top's key is the
 *          least of all (it is <= every recorded key, and each recorded key <= its real one).
 *
 * admit() is O(1), access() O(1), victim() amortized O(log n) per hit since the last victim
 * (one sift-down per out-of-date top) unless the best candidates are pinned (then a walk of
 * the young list and a scan of the heap). Nothing allocates on those paths.
 */
import type {Replacer} from '../replacer.js'
import {widened} from '../typed.js'
import {ListSet, NIL} from './lists.js'
import type {LruKReason} from './reasons.js'

export interface LruKOptions {
  /** How many accesses a frame needs before it has a finite backward distance (BusTub: k). */
  k?: number
}

export class LruKReplacer implements Replacer {
  readonly name = 'lru-k' as const
  readonly k: number
  private now = 0 // the logical clock: one tick per admit or hit
  private hist: Float64Array // hist[f*k + i]: ring of the last k access times of frame f
  private hits: Int32Array // accesses recorded for frame f, capped at k; 0 = frame empty
  private head: Int32Array // hist slot of frame f's oldest remembered access
  // young list (fewer than k accesses), oldest admit first
  private prev: Int32Array
  private next: Int32Array
  private readonly young = new ListSet(1) // its head and tail (list 0), linked through prev/next
  // old heap (k accesses), smallest key (largest k-distance) at heap[0]
  private heap: Int32Array // frames
  private heapKey: Float64Array // heapKey[i]: the key of heap[i] when it was last placed, <= its key now
  private pos: Int32Array // pos[f]: index of f in heap, or NIL
  private heapSize = 0
  private count = 0

  constructor(capacity: number, options: LruKOptions = {}) {
    const k = options.k ?? 2
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`lru-k needs an integer k >= 1, got ${k}`)
    this.k = k
    const n = Math.max(capacity, 1)
    this.hist = new Float64Array(n * k)
    this.hits = new Int32Array(n)
    this.head = new Int32Array(n)
    this.prev = new Int32Array(n).fill(NIL)
    this.next = new Int32Array(n).fill(NIL)
    this.heap = new Int32Array(n)
    this.heapKey = new Float64Array(n)
    this.pos = new Int32Array(n).fill(NIL)
  }

  grow(capacity: number): void {
    if (capacity <= this.hits.length) return
    const n = Math.max(capacity, this.hits.length * 2)
    this.hist = widened(this.hist, n * this.k)
    this.hits = widened(this.hits, n)
    this.head = widened(this.head, n)
    this.prev = widened(this.prev, n, NIL)
    this.next = widened(this.next, n, NIL)
    this.heap = widened(this.heap, n)
    this.heapKey = widened(this.heapKey, n)
    this.pos = widened(this.pos, n, NIL)
  }

  admit(frame: number, _pgno: number): void {
    if (this.hits[frame] !== 0) this.remove(frame, false)
    this.count++
    this.hits[frame] = 1
    this.head[frame] = 0
    this.hist[frame * this.k] = ++this.now
    if (this.k === 1) this.heapPush(frame)
    else this.youngAppend(frame)
  }

  access(frame: number): void {
    const k = this.k
    const t = ++this.now
    const h = this.hits[frame]
    if (h < k) {
      // still filling the ring: the oldest access (the key) stays where it is
      this.hist[frame * k + h] = t
      this.hits[frame] = h + 1
      if (h + 1 === k) {
        this.youngUnlink(frame)
        this.heapPush(frame)
      }
    } else {
      // the ring is full: overwrite the oldest, the next slot becomes the oldest; the key
      // rose, and the heap learns of it only when the frame reaches the top (see victim)
      const head = this.head[frame]
      this.hist[frame * k + head] = t
      this.head[frame] = head + 1 === k ? 0 : head + 1
    }
  }

  /** victim -- the oldest unpinned young frame, else the unpinned old frame with the smallest key; -1 if none. */
  victim(pins: Int32Array, _incoming: number): number {
    for (let f = this.young.head[0]; f !== NIL; f = this.next[f]) {
      if (pins[f] === 0) return f
    }
    if (this.heapSize === 0) return NIL
    this.settleTop()
    const top = this.heap[0]
    if (pins[top] === 0) return top
    let best = NIL
    let bestKey = Infinity
    for (let i = 1; i < this.heapSize; i++) {
      const f = this.heap[i]
      if (pins[f] !== 0) continue
      const key = this.key(f)
      if (key < bestKey) {
        bestKey = key
        best = f
      }
    }
    return best
  }

  remove(frame: number, _evicted: boolean): void {
    const h = this.hits[frame]
    if (h === 0) return
    if (h < this.k) this.youngUnlink(frame)
    else this.heapDelete(frame)
    this.hits[frame] = 0
    this.count--
  }

  order(): number[] {
    const out: number[] = []
    for (let f = this.young.head[0]; f !== NIL; f = this.next[f]) out.push(f)
    const old = Array.from(this.heap.subarray(0, this.heapSize))
    old.sort((a, b) => this.key(a) - this.key(b))
    return out.concat(old)
  }

  /**
   * describe -- k, the clock, and for each occupied frame its history size, its remembered
   * access times (oldest first) and its backward k-distance (null: infinite).
   */
  describe(): Record<string, unknown> {
    const frames: {frame: number; history: number; times: number[]; kDistance: number | null}[] = []
    for (let f = 0; f < this.hits.length; f++) {
      const h = this.hits[f]
      if (h === 0) continue
      frames.push({frame: f, history: h, times: this.times(f), kDistance: h < this.k ? null : this.now - this.key(f)})
    }
    return {policy: 'lru-k', k: this.k, now: this.now, frames}
  }

  /** why -- infinite distance (fewer than k accesses) and the oldest first access, or else the largest k-distance. */
  why(victim: number, pins: Int32Array, _incoming: number): LruKReason {
    const infinite = this.hits[victim] < this.k
    let alsoInfinite = 0
    for (let f = this.young.head[0]; f !== NIL; f = this.next[f]) if (f !== victim && pins[f] === 0) alsoInfinite++
    return {
      policy: 'lru-k',
      frame: victim,
      k: this.k,
      now: this.now,
      infinite,
      kDistance: infinite ? null : this.now - this.key(victim),
      history: this.times(victim),
      alsoInfinite,
    }
  }

  /** times -- the access times frame f remembers, oldest first. */
  private times(frame: number): number[] {
    const h = this.hits[frame]
    const out: number[] = []
    for (let i = 0; i < h; i++) out.push(this.hist[frame * this.k + ((this.head[frame] + i) % this.k)])
    return out
  }

  /** key -- the oldest access frame f remembers: its k-th most recent once it has k. */
  private key(frame: number): number {
    return this.hist[frame * this.k + this.head[frame]]
  }

  private youngAppend(frame: number): void {
    this.young.append(0, frame, this.prev, this.next)
  }

  private youngUnlink(frame: number): void {
    this.young.unlink(0, frame, this.prev, this.next)
  }

  /** settleTop -- re-place the top of the heap until its recorded key is its real one. */
  private settleTop(): void {
    for (;;) {
      const key = this.key(this.heap[0])
      if (this.heapKey[0] === key) return
      this.heapKey[0] = key
      this.siftDown(0)
    }
  }

  private heapPush(frame: number): void {
    const i = this.heapSize++
    this.heap[i] = frame
    this.heapKey[i] = this.key(frame)
    this.pos[frame] = i
    this.siftUp(i)
  }

  private heapDelete(frame: number): void {
    const i = this.pos[frame]
    const last = this.heap[--this.heapSize]
    this.pos[frame] = NIL
    if (i === this.heapSize) return
    this.heap[i] = last
    this.heapKey[i] = this.heapKey[this.heapSize]
    this.pos[last] = i
    this.siftUp(i)
    this.siftDown(this.pos[last])
  }

  private siftUp(i: number): void {
    const heap = this.heap
    const keys = this.heapKey
    const f = heap[i]
    const key = keys[i]
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent] <= key) break
      const p = heap[parent]
      heap[i] = p
      keys[i] = keys[parent]
      this.pos[p] = i
      i = parent
    }
    heap[i] = f
    keys[i] = key
    this.pos[f] = i
  }

  private siftDown(i: number): void {
    const heap = this.heap
    const keys = this.heapKey
    const size = this.heapSize
    const f = heap[i]
    const key = keys[i]
    for (;;) {
      let child = 2 * i + 1
      if (child >= size) break
      if (child + 1 < size && keys[child + 1] < keys[child]) child++
      if (keys[child] >= key) break
      const c = heap[child]
      heap[i] = c
      keys[i] = keys[child]
      this.pos[c] = i
      i = child
    }
    heap[i] = f
    keys[i] = key
    this.pos[f] = i
  }
}
