/**
 * reasons -- why a replacement policy chose its victim, as plain JSON-safe data.
 *
 * A Replacer may implement why(victim, pins, incoming), called right after victim() returned
 * `victim` and before anything else changes. It reads the policy's own state (and, for CLOCK,
 * where the sweep began) and says, in the policy's terms, why that frame:
 *
 *   lru    the least recently used unpinned frame (pinned frames less recent than it, passed)
 *   fifo   the unpinned frame that came in first
 *   clock  the hand's sweep: where it began, each frame whose count it cut (from, to), the
 *          pinned frames it passed, and the frame it stopped at with count 0
 *   lru-k  a frame with fewer than k accesses (infinite backward k-distance), the one whose
 *          first access is oldest; else the largest backward k-distance
 *   arc    taken from T1 or T2 because of |T1| against the target p, with the p the incoming
 *          page's ghost hit brought (B1 grows p, B2 shrinks it)
 *   opt    (the simulator's) the page whose next use is furthest ahead, or never
 *
 * Nothing here runs unless somebody asks: victim() builds no reason, so the pool's hot path
 * pays nothing. Steps ("last used at step N") are known only to whoever counts them, the trace
 * simulator: it fills `lastUsed` and `cameIn`; a live pool leaves them out.
 * The words for people are in src/render/reasons.ts.
 */

/** LRU: the least recently used unpinned frame. */
export interface LruReason {
  policy: 'lru'
  frame: number
  /** pinned frames less recently used than the victim, passed over, least recent first */
  passed: number[]
  /** the step at which the victim's page was last used, when the caller counts steps */
  lastUsed?: number
}

/** FIFO: the unpinned frame whose page came in first. */
export interface FifoReason {
  policy: 'fifo'
  frame: number
  /** pinned frames that came in before the victim, passed over */
  passed: number[]
  /** every frame in the order its page came in, first in first */
  queue: number[]
  /** the step at which the victim's page came in, when the caller counts steps */
  cameIn?: number
}

/** CLOCK: where the hand began, what it cut, and where it stopped. */
export interface ClockReason {
  policy: 'clock'
  frame: number
  /** the frame the sweep began at */
  from: number
  /** frames whose usage count the hand cut, in the order first met: the count before and after */
  cut: {frame: number; from: number; to: number}[]
  /** pinned frames the hand passed without touching their counts */
  passed: number[]
  /** full turns of the clock face the sweep made before stopping (0: less than one) */
  turns: number
}

/** LRU-K: infinite distance and the oldest first access, or the largest backward k-distance. */
export interface LruKReason {
  policy: 'lru-k'
  frame: number
  k: number
  /** the logical clock at the choice (one tick per admit or hit) */
  now: number
  /** true: the victim has fewer than k accesses, so an infinite backward k-distance */
  infinite: boolean
  /** now minus the time of the victim's k-th most recent access; null when infinite */
  kDistance: number | null
  /** the victim's remembered access times, oldest first (at most k) */
  history: number[]
  /** the other unpinned frames that were also at infinity (for a finite choice: none were) */
  alsoInfinite: number
}

/** ARC: the list REPLACE took from, and why. */
export interface ArcReason {
  policy: 'arc'
  frame: number
  /** the list the victim came from */
  from: 'T1' | 'T2'
  /** the list REPLACE chose by |T1| against p (differs from `from` only if that list was all pinned) */
  chose: 'T1' | 'T2'
  /** |T1| at the choice */
  t1: number
  /** the target p before the incoming page's miss, and the p it compared against (after a ghost hit adapted it) */
  pBefore: number
  p: number
  /** the incoming page was a ghost in B1 or B2 (a ghost hit), or in neither */
  ghost: 'B1' | 'B2' | null
  b1: number
  b2: number
}

/** OPT (Belady): the page used furthest ahead. */
export interface OptReason {
  policy: 'opt'
  frame: number
  /** the step of the victim's next use, or null if never again */
  nextUse: number | null
}

export type VictimReason = LruReason | FifoReason | ClockReason | LruKReason | ArcReason | OptReason
