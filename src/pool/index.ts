/**
 * The engine's public surface: mpool(3) in TypeScript, and the miss path (FrameMap) that the
 * replay simulator drives.
 */
export {MPool, type MPoolOptions, type MPoolStats} from './mpool.js'
export {
  MPOOL_DIRTY,
  MAX_PGNO,
  DEFAULT_PAGESIZE,
  MAX_PAGESIZE,
  MAX_MAXCACHE,
  MAX_READAHEAD,
  type CloseReport,
  type FrameInfo,
  type PageFilter,
  type PageSnapshot,
  type PoolCounters,
  type PoolTuning,
} from './core.js'
export {MPoolError, type MPoolErrorCode} from './errors.js'
export type {PoolEvent, PoolEventType, PoolListener} from './events.js'
export {FileIO, readFully, type PageIO} from './io.js'
export {FileJournal, journalPathOf, parseJournal, recoverJournal, type JournalIO, type Recovery} from './journal.js'
export {FrameMap, NO_FRAME, type FrameHolder} from './frame-map.js'
export type {PolicyName, Replacer, ReplacerFactory} from './replacer.js'
export {DEFAULT_POLICY, POLICIES, POLICY_NAMES, isPolicyName} from './policies/index.js'
export {widened} from './typed.js'
export type {ArcReason, ClockReason, FifoReason, LruKReason, LruReason, OptReason, VictimReason} from './policies/reasons.js'
