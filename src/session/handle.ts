/*
 * handle -- the one interface the commands and the REPL speak to a pool.
 *
 * It is async so that a pool in this process (LocalPool) and a pool hosted by a pool server
 * (RemotePool) look the same. Pages cross it by page number and by copy: a remote caller cannot
 * hold a view of the server's memory, so `put` carries the bytes to write with the unpin, and
 * the pool applies both or neither.
 */
import type {CloseReport, FrameInfo, MPoolStats, PageSnapshot, PoolEvent, PolicyName} from '../pool/index.js'

/** Who took a pin: recorded per pin in a shared pool (PostgreSQL's pinning backends). */
export interface PinHolder {
  pid: number
  /** the command that took it, e.g. `mpool get 3` or `repl` */
  command: string
}

export interface FrameView extends FrameInfo {
  /** who holds this page's pins, oldest first, where the pool knows */
  holders: PinHolder[]
}

export interface PoolInfo {
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
}

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
  info(): Promise<PoolInfo>
  /** mpool_new: the new page, pinned; `page` is a copy. */
  'new'(): Promise<{pgno: number; page: Buffer}>
  /** mpool_get: pins the page; returns a copy of its bytes. */
  get(pgno: number): Promise<Buffer>
  /** mpool_put: writes `write` into the page (if given: it must fit, else EINVAL and nothing changes), then unpins. */
  put(pgno: number, options?: PutOptions): Promise<void>
  delete(pgno: number): Promise<void>
  /** the number of pages written */
  sync(): Promise<number>
  stats(): Promise<MPoolStats>
  frames(): Promise<FrameView[]>
  policyState(): Promise<Record<string, unknown>>
  /** the page without pinning it or changing recency or counters; `withFile` adds the file's bytes */
  peek(pgno: number, options?: {withFile?: boolean}): Promise<PeekResult>
  /** mpool_close: ends the pool for everyone (the server exits); writes nothing */
  close(): Promise<CloseReport>
  /** leaves the pool open for others: disconnects a remote handle, drops a local handle's listeners */
  detach(): Promise<void>
  /** every event of the pool, whoever caused it; resolves to the function that stops it */
  subscribe(listener: (event: PoolEvent) => void): Promise<() => void>
}
