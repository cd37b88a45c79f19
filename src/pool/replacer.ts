/**
 * replacer -- the replacement policy, behind the smallest interface MPool needs.
 *
 * MPool owns the frames (which page each holds, its pins, whether it is dirty); a Replacer
 * only decides which unpinned frame to give up next. Frames are small integers 0..capacity-1,
 * so a policy can keep its state in typed arrays indexed by frame, as the LRU list does.
 * MPool never knows which policy it runs: it calls
 *
 *   admit(f, pgno)     a page was read or created into frame f
 *   access(f)          a cached page was asked for again (a hit)
 *   victim(pins, pgno) which frame to give up to bring in pgno (-1: every frame is pinned)
 *   remove(f, evicted) frame f is empty again: its page was evicted, or dropped by delete/close
 *   resize(maxcache)   (optional) a later opener raised maxcache: a policy sized by it follows
 *   why(v, pins, x)    (optional) why victim() just chose v: asked only by whoever wants to
 *                      tell (--explain, the REPL, replay --steps), so a reason costs nothing
 *                      when nobody asks
 *   prefetched(f, pgno) (optional) a page was read ahead into f, unasked: the policy's cold end
 *
 * victim() chooses but does not remove: the pool writes a dirty victim first, and if that
 * write fails the victim stays where it was. A policy may still move internal state in
 * victim() (a clock hand advances, usage counts fall): that is what the policy would do.
 */

import type {VictimReason} from './policies/reasons.js'

export type PolicyName = 'lru' | 'fifo' | 'clock' | 'lru-k' | 'arc'

export interface Replacer {
  /** The policy's name, as `--policy` spells it. */
  readonly name: PolicyName
  /** Frames 0..capacity-1 may now be admitted; called whenever the frame table grows. */
  grow(capacity: number): void
  /** Page `pgno` now lives in frame `frame` (a miss or a new page). */
  admit(frame: number, pgno: number): void
  /** The page in `frame` was asked for again (a hit). */
  access(frame: number): void
  /**
   * Chooses the frame to give up so that page `incoming` can come in (-1 when the pool only
   * shrinks). Only frames with `pins[f] === 0` may be chosen. Returns -1 if there is none.
   */
  victim(pins: Int32Array, incoming: number): number
  /** Frame `frame` no longer holds a page: `evicted` for a replacement, false for a drop (delete, close). */
  remove(frame: number, evicted: boolean): void
  /**
   * (optional) Page `pgno` was read ahead into `frame`: nobody asked for it yet. A policy with a
   * cold end puts it there, so that an unused read-ahead page goes before anything asked for;
   * without this method the pool calls admit(). When the page is first got, the pool calls
   * remove(frame, false) then admit(frame, pgno): the policy sees it as a page just read.
   */
  prefetched?(frame: number, pgno: number): void
  /** The pool's maxcache was raised (a later opener asked for more); only a policy sized by it needs this. */
  resize?(maxcache: number): void
  /**
   * Why the last victim() call chose `victim` (for `pins` and page `incoming`, as given to it).
   * Call it right after victim(), before remove() or any other call: it reads the state the
   * choice left. It changes nothing.
   */
  why?(victim: number, pins: Int32Array, incoming: number): VictimReason
  /** Every occupied frame in eviction order, the next victim (pins aside) first: for display. */
  order(): number[]
  /** The policy's own state for the picture (clock hand, ARC's lists and target), JSON-safe. */
  describe(): Record<string, unknown>
}

/** A factory the pool calls once at open with its initial frame capacity and the maxcache it was given. */
export type ReplacerFactory = (capacity: number, maxcache: number) => Replacer
