/**
 * frame-map -- which page each frame holds, and the one miss path: look up, pick a frame, install.
 *
 * The engine (PoolCore) and the replay simulator (src/workload/simulator.ts) both decide where
 * a page goes in exactly the same way, so the decision lives here once:
 *
 *     lookup(pgno)          page table: the frame holding pgno, or -1
 *     touch(f)              a hit: the replacer hears of it
 *     claim(pgno, pins)     a frame for a page that missed:
 *                             under maxcache  a free frame, or a new one (holder.added)
 *                             at maxcache     the replacer's victim, handed to holder.evict
 *                                             (which writes it if it must), then emptied
 *                             all pinned      holder.full decides (grow past maxcache, or fail)
 *     install(f, pgno)      the page now lives in f: in the table and admitted by the replacer
 *     release(f)            f is empty again and goes on the free list
 *
 * The holder is whoever owns the frames' bytes: the engine writes dirty victims, counts and
 * tells its listeners; the simulator has no bytes and does nothing but count. A victim whose
 * eviction throws (a failed write) stays exactly where it was: it is emptied only after
 * holder.evict returns.
 *
 * Policy, each in a sentence:
 *  - A frame is empty (on the free list, pgnoOf -1) or holds exactly one page (in the table
 *    and the replacer); nothing here knows pins' meaning beyond "0 may be chosen".
 *  - Free frames are reused before new ones are made, the last freed first.
 *  - The hot path is typed arrays and integer indices: no closure, no allocation per call.
 */
import {PageTable} from './page-table.js'
import type {Replacer} from './replacer.js'
import {widened} from './typed.js'

/** A frame that holds no page (pgnoOf), or no frame at all (lookup, claim). */
export const NO_FRAME = -1

/** What the frame map asks of the owner of the frames. */
export interface FrameHolder {
  /** Frame `frame` was just made (frames are numbered 0, 1, 2 ... in the order made): give it room. */
  added(frame: number): void
  /**
   * Frame `frame` is the victim chosen for page `incoming`: write its page out if it must be.
   * Throwing keeps it cached. (Replacer.why may be asked here, before the frame is emptied.)
   */
  evict(frame: number, incoming: number): void
  /** Every frame is pinned at maxcache: return a frame past the limit (from map.spare()), or throw. */
  full(incoming: number): number
}

export class FrameMap {
  /** page number -> frame */
  readonly table: PageTable
  /** frame -> the page it holds, NO_FRAME when empty */
  pgnoOf = new Float64Array(0)
  /** frames made so far, in use or free */
  frames = 0
  /** the most pages the map keeps before it takes victims */
  maxcache: number
  private free = new Int32Array(16) // a stack of empty frames
  private freeCount = 0

  constructor(
    readonly replacer: Replacer,
    maxcache: number,
    private readonly holder: FrameHolder,
  ) {
    this.maxcache = maxcache
    this.table = new PageTable(Math.min(maxcache, 1024))
  }

  /** size -- pages held. */
  get size(): number {
    return this.table.size
  }

  /* lookup -- the frame holding pgno, or NO_FRAME. */
  lookup(pgno: number): number {
    return this.table.get(pgno)
  }

  /* touch -- a hit on the page in frame. */
  touch(frame: number): void {
    this.replacer.access(frame)
  }

  /* claim -- an empty frame for page `incoming`, which missed (see the header). */
  claim(incoming: number, pins: Int32Array): number {
    if (this.table.size < this.maxcache) return this.spare()
    const victim = this.replacer.victim(pins, incoming)
    if (victim === NO_FRAME) return this.holder.full(incoming)
    this.holder.evict(victim, incoming)
    this.drop(victim, true)
    return victim
  }

  /* spare -- a free frame, or a new one: no victim is looked for. */
  spare(): number {
    return this.freeCount > 0 ? this.free[--this.freeCount] : this.addFrame()
  }

  /* install -- page pgno now lives in the empty frame `frame`, just admitted (most recently used under LRU). */
  install(frame: number, pgno: number): void {
    this.table.add(pgno, frame)
    this.pgnoOf[frame] = pgno
    this.replacer.admit(frame, pgno)
  }

  /* installCold -- install for a page read ahead: admitted at the policy's cold end where it has one (Replacer.prefetched). */
  installCold(frame: number, pgno: number): void {
    this.table.add(pgno, frame)
    this.pgnoOf[frame] = pgno
    if (this.replacer.prefetched !== undefined) this.replacer.prefetched(frame, pgno)
    else this.replacer.admit(frame, pgno)
  }

  /* drop -- forget the page in frame: out of the table and the replacer, frame empty (not yet free). */
  drop(frame: number, evicted: boolean): void {
    this.table.remove(frame)
    this.replacer.remove(frame, evicted)
    this.pgnoOf[frame] = NO_FRAME
  }

  /* release -- an empty frame goes on the free list, to be reused by the next claim. */
  release(frame: number): void {
    if (this.freeCount === this.free.length) this.free = widened(this.free, this.free.length * 2)
    this.free[this.freeCount++] = frame
  }

  /* held -- whether frame holds a page. */
  held(frame: number): boolean {
    return this.pgnoOf[frame] !== NO_FRAME
  }

  private addFrame(): number {
    const frame = this.frames++
    if (frame >= this.pgnoOf.length) this.pgnoOf = widened(this.pgnoOf, Math.max(16, this.pgnoOf.length * 2), NO_FRAME)
    this.replacer.grow(this.frames)
    this.holder.added(frame)
    return frame
  }
}
