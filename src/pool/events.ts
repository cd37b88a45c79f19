/**
 * events -- what the engine tells a listener about each call.
 *
 * A listener sees every step of a call, in order, so that a narration can be built from the
 * events alone: `get 7` on a full pool gives miss 7, write 2 (evict), evict 2, read 7, pin 7.
 * Events are plain JSON-safe objects: the pool server forwards them to its watchers as they
 * are. They are made only when somebody listens (the pool checks one field per call).
 */

import type {VictimReason} from './policies/reasons.js'

export type PoolEvent =
  /** get found the page in the cache */
  | {type: 'hit'; pgno: number; frame: number; prefetched?: true}
  /** get did not find the page: a frame will be found for it */
  | {type: 'miss'; pgno: number}
  /**
   * a page was read from the file into a frame; `bytes` < pagesize means zeros past the end.
   * `pages` (> 1) when the read was a read-ahead: the pages after pgno came in with it
   * (each told by a prefetch event)
   */
  | {type: 'read'; pgno: number; frame: number; offset: number; bytes: number; pages?: number}
  /** a page came in by read-ahead, unpinned, not yet asked for */
  | {type: 'prefetch'; pgno: number; frame: number}
  /** pages were written: one page at eviction or shrink (a run of adjacent pages with write-behind), a run of adjacent pages at sync */
  | {type: 'write'; pgno: number; pages: number; offset: number; bytes: number; reason: 'evict' | 'shrink' | 'sync'}
  /** a page left the cache to make room (`dirty`: it was written first); `why`: the policy's reason for choosing it */
  | {type: 'evict'; pgno: number; frame: number; dirty: boolean; reason: 'replace' | 'shrink'; why?: VictimReason}
  /** a pin was taken; `pins` is the count after it */
  | {type: 'pin'; pgno: number; frame: number; pins: number}
  /** a pin was given back; `dirty` is the page's state after the put */
  | {type: 'unpin'; pgno: number; frame: number; pins: number; dirty: boolean; dirtied: boolean}
  /** new allocated a page at the end of the file */
  | {type: 'new'; pgno: number; frame: number}
  /** delete dropped a pinned page without writing it */
  | {type: 'delete'; pgno: number; frame: number; dirty: boolean}
  /** every frame was pinned, so the cache grew past maxcache */
  | {type: 'grow'; frame: number; cached: number; maxcache: number}
  /** an opener raised maxcache (the larger value wins) */
  | {type: 'maxcache'; maxcache: number}
  /** sync wrote `pages` dirty pages in `writes` vectored writes, then flushed */
  | {type: 'sync'; pages: number; writes: number}
  /** the last opener closed the pool: these dirty pages and pins were dropped */
  | {type: 'close'; dirty: number[]; pinned: number[]}

export type PoolEventType = PoolEvent['type']

export type PoolListener = (event: PoolEvent) => void
