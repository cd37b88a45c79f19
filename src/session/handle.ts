/**
 * handle -- the one interface the commands and the REPL speak to a pool.
 *
 * It is async so that a pool in this process (LocalPool) and a pool hosted by a pool server
 * (RemotePool) look the same. Pages cross it by page number and by copy: a remote caller cannot
 * hold a view of the server's memory, so `put` carries the bytes to write with the unpin, and
 * the pool applies both or neither.
 */
import type {FormatInfo} from '../formats/types.js'
import type {CloseReport, FrameInfo, MPoolStats, PageSnapshot, PoolEvent, PolicyName} from '../pool/index.js'

/** Who took a pin: recorded per pin in a shared pool (PostgreSQL's pinning backends). */
export interface PinHolder {
  pid: number
  /** the command that took it, e.g. `mpool get 3` or `repl` */
  command: string
}

/** The longest command a pin holder is recorded under. */
export const MAX_HOLDER_COMMAND = 200

/**
 * pinHolder -- this process as the holder of the pins it takes: its pid, and `mpool WORDS...`
 * (the verb and its arguments) cut to MAX_HOLDER_COMMAND characters. The shell names its
 * command's words; without them, the process's own arguments are used.
 */
export function pinHolder(words: readonly string[] = process.argv.slice(2)): PinHolder {
  return {pid: process.pid, command: ['mpool', ...words].join(' ').slice(0, MAX_HOLDER_COMMAND)}
}

/** What `mpool open` asks of a pool: the server for `key` is started over `file`, or joined. */
export interface OpenPoolOptions {
  key: string
  /** FILE; left out, the open only joins the pool the key holds (the man page's "the fd is ignored") */
  file?: string
  pagesize: number
  maxcache: number
  /** make the file if it is missing */
  create?: boolean
  /** EBUSY instead of growing past maxcache when every frame is pinned */
  hardLimit?: boolean
  /** read-ahead: up to this many pages in one read on an ascending run of misses (0 or absent: off) */
  readahead?: number
  /** write-behind: a dirty victim's cold dirty neighbours go in the same write */
  writeBehind?: boolean
  /** crash-safe sync: every sync writes FILE.mpool-journal first (src/pool/journal.ts) */
  journal?: boolean
  policy?: PolicyName
  /** a trace file to record every page access into */
  record?: string
  /** --force: let --record replace a trace file that exists */
  force?: boolean
  /** the creator's umask, applied to FILE when --create makes it (the server keeps a strict one of its own) */
  umask?: number
  /** the page format the opener detected in FILE (null or absent: a plain page file); the pool keeps it for every client */
  format?: FormatInfo | null
}

/** How a client finds and reaches an open pool. */
export interface ConnectOptions {
  /** the pool's key; default $MPOOL_KEY, else the only pool open */
  key?: string
  /** carry each call's events in lastEvents */
  explain?: boolean
  /** who pins taken through the handle are recorded as; default this process and its command line */
  holder?: PinHolder
  /** how long any one call may wait for the server, in ms; default clientTimeout() */
  timeoutMs?: number
}

export interface FrameView extends FrameInfo {
  /** who holds this page's pins, oldest first, where the pool knows */
  holders: PinHolder[]
}

/** How a pool was tuned at open, and what its open recovered: shown by open, stats and ls. */
export interface PoolTuning {
  /** pages one read-ahead reads, present only when read-ahead is on */
  readahead?: number
  /** present (true) only when write-behind is on */
  writeBehind?: true
  /** present (true) only when sync writes a journal (FILE.mpool-journal) first */
  journal?: true
  /** present when the open found a journal a crashed sync left: what it did, in one line */
  recovered?: string
}

export interface PoolInfo extends PoolTuning {
  key: string | null
  /** the file's absolute path, where known */
  file: string | null
  pagesize: number
  npages: number
  maxcache: number
  policy: PolicyName
  hardLimit: boolean
  /** bytes of a partial last page at open, never read */
  trailing: number
  /** the file's page format as its opener detected it, or null for a plain page file */
  format: FormatInfo | null
  /** what changed FILE under the pool since the open (deleted, replaced, cut, appended to), in one line; absent if nothing */
  fileChanged?: string
}

/** What a page call needs of PoolInfo: no fileChanged, so a reader cannot take its absence for "nothing changed". */
export type PoolLayout = Pick<PoolInfo, 'key' | 'file' | 'pagesize' | 'npages' | 'format'>

/** mpool_stat's report, and what changed FILE under the pool if anything did (see PoolInfo.fileChanged). */
export type PoolStats = MPoolStats & {fileChanged?: string}

/** Bytes to write into a pinned page as it is put back; writing implies dirty. */
export interface PageWrite {
  offset: number
  bytes: Uint8Array
}

export interface PutOptions {
  dirty?: boolean
  write?: PageWrite
}

export interface PeekResult extends PageSnapshot {
  /** the page as it is on the file now, when asked for with `withFile` (for --diff) */
  file?: Buffer
}

export interface PoolHandle {
  readonly key: string | null
  /**
   * The events the last call caused, in order, when the handle was made with `explain`
   * (empty otherwise). --explain and the REPL's narration print these.
   */
  readonly lastEvents: readonly PoolEvent[]
  /**
   * info -- what the pool is: key, file, pagesize, npages, maxcache, policy, hard limit and the
   * trailing bytes found at open. Changes nothing.
   * @returns the pool's info as of now (npages counts pages made by new and not yet written).
   */
  info(): Promise<PoolInfo>
  /**
   * layout -- what a page call needs to know of the pool (file, pagesize, npages, format),
   * without info's look at FILE (a stat of its name and of the pool's descriptor): a verb that
   * only gets or puts pages reports no change of the file, so it need not look for one.
   * @returns the same values as info() would give now.
   */
  layout(): Promise<PoolLayout>
  /** mpool_new: the new page, pinned; `page` is a copy. */
  'new'(): Promise<{pgno: number; page: Buffer}>
  /** mpool_get: pins the page; returns a copy of its bytes. */
  get(pgno: number): Promise<Buffer>
  /**
   * getRange -- mpool_get of pages `first` to `last` (both included) in page order, as one call:
   * one round trip to a pool server (a range too large for one reply, MAX_RANGE_BYTES, is asked
   * for in parts). Each page is pinned, and comes back as a peek right after its own get would see it
   * (a copy of its bytes, its frame, pins and dirty bit).
   * @throws MPoolError EINVAL, nothing pinned, if `last` is past the end or first > last; if a get
   *   fails on the way (EBUSY under a hard limit, a failed read), the pages this call pinned are
   *   put back (unpinned, not dirtied) and the error says so: a range is pinned whole or not at all.
   */
  getRange(first: number, last: number): Promise<PeekResult[]>
  /** mpool_put: writes `write` into the page (if given: it must fit, else EINVAL and nothing changes), then unpins. */
  put(pgno: number, options?: PutOptions): Promise<void>
  /**
   * delete -- FreeBSD's mpool_delete: drops page `pgno` from the cache without writing it,
   * giving back its one pin. The page must be cached and pinned exactly once.
   * @throws MPoolError EINVAL if the page is not pinned; EBUSY if it is pinned more than once.
   */
  delete(pgno: number): Promise<void>
  /** the number of pages written */
  sync(): Promise<number>
  /**
   * stats -- mpool_stat: BSD's nine counters, the occupancy (cached, pinned, dirty, over the
   * limit) and the hit rate. Changes no counter, pin or recency.
   * @returns a snapshot; later calls do not change it.
   */
  stats(): Promise<PoolStats>
  /**
   * frames -- every cached page, least recently used first, with its frame, pins, dirty bit
   * and, in a shared pool, who holds its pins. Changes nothing.
   * @returns one FrameView per cached page; [] for an empty cache.
   */
  frames(): Promise<FrameView[]>
  policyState(): Promise<Record<string, unknown>>
  /** the page without pinning it or changing recency or counters; `withFile` adds the file's bytes */
  peek(pgno: number, options?: {withFile?: boolean}): Promise<PeekResult>
  /**
   * peekRange -- peek of pages `first` to `last` (both included) in page order, as one call (one
   * round trip, as getRange). Changes nothing.
   * @throws MPoolError EINVAL if `last` is past the end or first > last.
   */
  peekRange(first: number, last: number, options?: {withFile?: boolean}): Promise<PeekResult[]>
  /** mpool_close: ends the pool for everyone (the server exits); writes nothing */
  close(): Promise<CloseReport>
  /** leaves the pool open for others: disconnects a remote handle, drops a local handle's listeners */
  detach(): Promise<void>
  /**
   * onGone -- for a pool hosted by a server: `listener` hears at once when the server dies
   * under the handle (its socket closed unasked), with the error later calls will get. A local
   * pool cannot be gone, and has none. Returns the function that stops it.
   */
  onGone?(listener: (error: Error) => void): () => void
  /** every event of the pool, whoever caused it; resolves to the function that stops it */
  subscribe(listener: (event: PoolEvent) => void): Promise<() => void>
}
