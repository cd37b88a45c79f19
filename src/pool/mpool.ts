/**
 * mpool -- the mpool(3) interface: open, filter, new, get, put, delete, sync, close, stats.
 *
 * An MPool is a handle on a PoolCore. Opens with a null key each get a core of their own.
 * Opens with the same non-null key share one core, so one cache, in this process (the man
 * page's key, which BSD never implemented; the pool server extends it across processes):
 * the larger maxcache wins, another pagesize is an error, and the fd (and io) of a later open
 * is ignored. A later open that asks for another policy, hardLimit, readahead or writeBehind is refused, like another
 * pagesize: silently running a policy the caller did not ask for would mislead. The core is
 * dropped when its last handle closes.
 */
import {MPoolError} from './errors.js'
import type {PoolListener} from './events.js'
import {FileIO, type PageIO} from './io.js'
import {type JournalIO, type Recovery, recoverJournal} from './journal.js'
import {DEFAULT_POLICY, isPolicyName, POLICIES, POLICY_NAMES} from './policies/index.js'
import type {PolicyName, ReplacerFactory} from './replacer.js'
import {
  type CloseReport,
  type FrameInfo,
  MAX_MAXCACHE,
  MAX_PAGESIZE,
  MAX_READAHEAD,
  type PageFilter,
  type PageSnapshot,
  type PoolCounters,
  PoolCore,
} from './core.js'

export interface MPoolOptions {
  /** With every frame pinned and the cache full, fail with EBUSY instead of growing past maxcache. */
  hardLimit?: boolean
  /**
   * Read-ahead: 0 or 1 is off (the default, mpool(3)'s behaviour). N from 2 to MAX_READAHEAD:
   * a miss that continues an ascending run of misses reads up to N pages (the one asked for and
   * the next ones not cached) in one vectored read; the extra pages come in unpinned, at the
   * replacer's cold end, counted in prefetch, prefetchhit and prefetchwaste.
   */
  readahead?: number
  /**
   * Write-behind (default off): a dirty victim is written in one vectored write together with
   * its dirty neighbours (adjacent page numbers, unpinned, in the cold half of the cache), which
   * become clean, so that the next evictions find clean victims.
   */
  writeBehind?: boolean
  /**
   * Crash-safe sync (default: none, mpool(3)'s sync): every sync first writes the pages it will
   * write to this journal and flushes it, then writes in place, then retires the journal; and
   * open first completes or rolls back a sync a crash interrupted (journal.ts). Give a
   * FileJournal beside the file (journalPathOf). Ignored, as the fd is, by a join.
   */
  journal?: JournalIO
  /** The replacement policy, by name (default `lru`), or a factory for one of your own. */
  policy?: PolicyName | ReplacerFactory
  /** How the pool reaches the file; default: node:fs on the fd. Tests put failing disks here. */
  io?: PageIO
}

export interface MPoolStats extends PoolCounters {
  key: string | null
  policy: PolicyName
  hardLimit: boolean
  /** pages one read-ahead reads at most, 0 when off */
  readahead: number
  writeBehind: boolean
  /** whether sync writes a journal first */
  journal: boolean
  pagesize: number
  /** pages in the file, counting those added by new and not yet written */
  npages: number
  maxcache: number
  /** pages in the cache */
  cached: number
  /** cached pages with at least one pin */
  pinned: number
  /** cached pages modified and not yet written */
  dirty: number
  /** cached pages over maxcache (the pool grew because every frame was pinned) */
  overcommit: number
  /** frames allocated, in use or free */
  frames: number
  /** cachehit / pageget, 0 before the first get */
  hitRate: number
  /** bytes of a partial page at the end of the file at open: never read, reported here */
  trailing: number
  /** of pageread: pages the file held no bytes of (new pages never written, or evicted clean), read as zeros */
  pagezero: number
  /** of pageflush: frames over maxcache given back as pins came back, not taken as a victim for a miss */
  pagegiveback: number
}

/** Cores shared by key within this process. */
const registry = new Map<string, PoolCore>()

function checkWhole(name: string, value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MPoolError('EINVAL', `${name} must be a whole number from ${min} to ${max} (${what}), not ${String(value)}`)
  }
  return value
}

/** readaheadOf -- the pages a read-ahead reads: 0 (off) for 0 or 1. */
function readaheadOf(readahead: number): number {
  return readahead > 1 ? readahead : 0
}

function replacerFactory(policy: MPoolOptions['policy']): ReplacerFactory {
  if (typeof policy === 'function') return policy
  const name = policy ?? DEFAULT_POLICY
  if (!isPolicyName(name)) {
    throw new MPoolError('EINVAL', `unknown replacement policy ${JSON.stringify(name)}; choose one of ${POLICY_NAMES.join(', ')}`)
  }
  return POLICIES[name]!
}

/**
 * MPool -- one handle on a page cache over one file: mpool(3), call for call.
 *
 * The contract, readable without the body (BusTub's buffer_pool_manager.h style):
 *  - Every page a call hands out (get, new) is pinned once more; it stays cached, at the same
 *    Buffer, until every pin is put back. An unpinned page may be evicted at any later miss.
 *  - A closed handle: every call and property on it throws MPoolError ECLOSED ("this pool
 *    handle is closed; open the pool again"), close included. Other handles on the same keyed
 *    pool go on working.
 *  - A filter that throws: pgin's exception fails the get (or peek) that read the page, the
 *    frame goes back to the free list and nothing is cached, so the next get reads the page
 *    again. pgout's exception fails the write it was preparing (eviction, shrink or sync) as a
 *    failed write does: the page stays cached and dirty. The exception is thrown as it is, not
 *    wrapped.
 *  - Every error is an MPoolError with an errno-style code (errors.ts) and a one-sentence
 *    message that says what to do; a failed call leaves pins, dirty marks and cached bytes as
 *    they were, except that counters count the attempt.
 */
export class MPool {
  private core: PoolCore | null
  /** What open did about a journal a crashed sync left (null: there was none, or no journal was given). */
  recovery: Recovery | null = null

  private constructor(core: PoolCore) {
    this.core = core
  }

  /**
   * open -- mpool_open(key, fd, pagesize, maxcache).
   *
   * Returns a pool over the regular file `fd`, broken into pages of `pagesize` bytes, caching up
   * to `maxcache` of them. npages is floor(size / pagesize); a partial last page is reported in
   * `stats().trailing`, never read. The fd stays the caller's: close does not close it.
   * With a key already open in this process, returns a handle on that pool: `fd` is ignored,
   * a larger `maxcache` raises the pool's, another `pagesize` is EINVAL, and so is a `policy` (by
   * name) or `hardLimit` given explicitly and unlike the pool's; `io` is ignored, as the fd is.
   *
   * @returns a new handle: on a new pool, or on the pool already open under `key`.
   * @throws MPoolError EINVAL for a bad pagesize, maxcache, key or policy; ESPIPE if `fd` is not a
   *   regular file; the fs code (EBADF...) if `fd` cannot be examined.
   */
  static open(key: string | null, fd: number, pagesize: number, maxcache: number, options: MPoolOptions = {}): MPool {
    if (key !== null && (typeof key !== 'string' || key.length === 0)) {
      throw new MPoolError('EINVAL', 'a key must be a non-empty string, or null for a private pool')
    }
    checkWhole('pagesize', pagesize, 1, MAX_PAGESIZE, 'bytes a page')
    checkWhole('maxcache', maxcache, 1, MAX_MAXCACHE, 'pages to cache')
    const factory = replacerFactory(options.policy)
    if (options.readahead !== undefined) checkWhole('readahead', options.readahead, 0, MAX_READAHEAD, 'pages one read may bring in; 0 is off')

    const shared = key === null ? undefined : registry.get(key)
    if (shared !== undefined) {
      if (shared.pagesize !== pagesize) {
        throw new MPoolError('EINVAL', `pool ${JSON.stringify(key)} is open with pagesize ${shared.pagesize}, not ${pagesize}; open it with pagesize ${shared.pagesize}`)
      }
      if (typeof options.policy === 'string' && options.policy !== shared.policy) {
        throw new MPoolError('EINVAL', `pool ${JSON.stringify(key)} is open with policy ${shared.policy}, not ${options.policy}; join it without a policy, or close it and open it again`)
      }
      if (options.hardLimit !== undefined && options.hardLimit !== shared.hardLimit) {
        const has = shared.hardLimit ? 'with' : 'without'
        throw new MPoolError('EINVAL', `pool ${JSON.stringify(key)} is open ${has} a hard limit; join it without asking for one, or close it and open it again`)
      }
      if (options.readahead !== undefined && readaheadOf(options.readahead) !== shared.readahead) {
        throw new MPoolError('EINVAL', `pool ${JSON.stringify(key)} is open with readahead ${shared.readahead}, not ${options.readahead}; join it without asking for one, or close it and open it again`)
      }
      if (options.writeBehind !== undefined && options.writeBehind !== shared.writeBehind) {
        const has = shared.writeBehind ? 'with' : 'without'
        throw new MPoolError('EINVAL', `pool ${JSON.stringify(key)} is open ${has} write-behind; join it without asking for it, or close it and open it again`)
      }
      shared.raiseMaxcache(maxcache)
      shared.opens++
      return new MPool(shared)
    }

    const io = options.io ?? new FileIO(fd)
    let regular: boolean
    let size: number
    try {
      regular = io.isRegularFile()
      size = io.size()
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'EBADF'
      throw new MPoolError(code, `cannot examine fd ${fd} (${code}): pass an open file descriptor`, undefined, {cause: err})
    }
    if (!regular) {
      throw new MPoolError('ESPIPE', `fd ${fd} is not a regular file (a pipe, socket, device or directory); mpool needs a seekable file of pages`)
    }
    // A sync a crash interrupted is completed or rolled back before the file is measured.
    const recovery = options.journal === undefined ? null : recoverJournal(io, options.journal)
    if (recovery !== null) size = io.size()
    const tuning = {readahead: readaheadOf(options.readahead ?? 0), writeBehind: options.writeBehind === true, ...(options.journal === undefined ? {} : {journal: options.journal})}
    const core = new PoolCore(key, io, pagesize, maxcache, options.hardLimit === true, factory(Math.min(maxcache, 1024), maxcache), size, tuning)
    if (key !== null) registry.set(key, core)
    const pool = new MPool(core)
    pool.recovery = recovery
    return pool
  }

  /**
   * join -- mpool_open of a key already open in this process, with no file: the man page's
   * "the fd is ignored" as an entry point of its own. The rules of a keyed open apply: a larger
   * `maxcache` raises the pool's; another `pagesize`, or a `policy` or `hardLimit` given and
   * unlike the pool's, is EINVAL.
   *
   * @returns another handle on the open pool (close it when done; the pool lives while any
   *   handle does).
   * @throws MPoolError ENOENT if no pool with `key` is open in this process; EINVAL as above.
   */
  static join(key: string, pagesize: number, maxcache: number, options: Omit<MPoolOptions, 'io'> = {}): MPool {
    if (!registry.has(key)) {
      throw new MPoolError('ENOENT', `no pool with key ${JSON.stringify(key)} is open in this process; open it with a file first`)
    }
    return MPool.open(key, -1, pagesize, maxcache, options)
  }

  /** @returns the pool's key, or null for a private pool. @throws ECLOSED on a closed handle. */
  get key(): string | null {
    return this.live().key
  }

  /** @returns the pool's pagesize in bytes. @throws ECLOSED on a closed handle. */
  get pagesize(): number {
    return this.live().pagesize
  }

  /** @returns the pages in the file, counting those added by new and not yet written. @throws ECLOSED on a closed handle. */
  get npages(): number {
    return this.live().npages
  }

  /** @returns whether this handle has been closed (the one member that never throws ECLOSED). */
  get closed(): boolean {
    return this.core === null
  }

  /**
   * filter -- mpool_filter: `pgin` runs on each page read from the file, in place; `pgout` runs on
   * a copy of each page about to be written (the cached page keeps its in-memory form). Either
   * may be null. Both are called as `(cookie, pgno, page)`. A filter that throws fails the
   * call that ran it (see the class comment); the pool stays consistent.
   *
   * @returns nothing; the filters apply to every later read and write of the pool, whoever's handle causes them.
   * @throws ECLOSED on a closed handle.
   */
  filter(pgin?: PageFilter | null, pgout?: PageFilter | null, cookie?: unknown): void {
    this.live().filter(pgin ?? null, pgout ?? null, cookie)
  }

  /**
   * new -- mpool_new: a page added at the end of the file, zero-filled, pinned once, not dirty.
   * A new page put back clean and evicted never reached the file: a later get reads it as zeros.
   *
   * @returns `{pgno, page}`: its page number (the old npages) and the cached page, pinned.
   * @throws ECLOSED on a closed handle; EBUSY under hardLimit with every frame pinned; the write error of a dirty victim
   *   (the victim stays cached and dirty); EINVAL past 2^32 pages.
   */
  new(): {pgno: number; page: Buffer} {
    return this.live().new()
  }

  /**
   * get -- mpool_get: page `pgno`, pinned once more. The Buffer is the cached page itself (no copy):
   * change it in place, then put it with MPOOL_DIRTY.
   *  - hit: the page moves to the most recently used end; counts cachehit.
   *  - miss: a frame comes from the free list, the replacer's victim (written first if dirty) or,
   *    with every frame pinned, a new frame past maxcache; the page is read and pgin run on it.
   *    A page never written reads as zeros.
   *
   * @param flags unused, as in mpool(3); must be 0 if given.
   * @returns the cached page, pinned: on a hit the Buffer every earlier get of it returned.
   * @throws ECLOSED on a closed handle; EINVAL if pgno is not a whole number below npages; EFTYPE if the file ends inside the
   *   page (the frame goes back); EBUSY under hardLimit with every frame pinned; an fs code for a
   *   failed read, or for a failed write of a dirty victim (which then stays cached and dirty).
   */
  get(pgno: number, flags = 0): Buffer {
    if (flags !== 0) throw new MPoolError('EINVAL', `get takes no flags (mpool(3): not currently used), not ${flags}`, pgno)
    return this.live().get(pgno)
  }

  /**
   * getWith -- get, for a caller that only reads the page at once (copies it, encodes it): the
   * cached page is lent to `read` for that call and not handed out, so the pool makes no Buffer
   * object for the frame (get makes one per frame the first time and keeps it). The pin, the
   * counters, recency and events are exactly get's; the caller puts the page back by number.
   *
   * @param read called once with the cached page (no copy); it must not keep the Buffer.
   * @returns what `read` returned.
   * @throws what get throws, before `read` is called; whatever `read` throws, with the pin held.
   */
  getWith<T>(pgno: number, read: (page: Buffer) => T): T {
    return this.live().getWith(pgno, read)
  }

  /**
   * put -- mpool_put: give back one pin of a page, by the Buffer get or new returned or by number.
   * MPOOL_DIRTY marks it for write-back; dirty stays until the page is written. Recency does not
   * change (get sets it, as in BSD). Over maxcache, clean unpinned frames are given back.
   *
   * @returns nothing.
   * @throws ECLOSED on a closed handle; EINVAL if the page is not pinned, not cached, not from
   *   this pool, or flags are not 0 or MPOOL_DIRTY (the pin is then still held).
   */
  put(page: Buffer | number, flags = 0): void {
    this.live().put(page, flags)
  }

  /**
   * delete -- FreeBSD's mpool_delete: drop a page this caller has pinned once, without writing it.
   * The cached copy and its unwritten changes are gone; the file keeps whatever it had.
   *
   * @returns nothing; the frame is free for the next miss.
   * @throws ECLOSED on a closed handle; EINVAL if the page is not pinned; EBUSY if it is pinned more than once.
   */
  delete(page: Buffer | number): void {
    this.live().delete(page)
  }

  /**
   * sync -- mpool_sync: write every dirty page (pinned ones too) in page order, adjacent pages in
   * one vectored write, then flush the file to stable storage.
   *
   * @returns the number of pages written (0 when nothing was dirty; the flush still happens).
   * @throws ECLOSED on a closed handle; the fs code of the first failed write (written pages are clean, the rest stay dirty)
   *   or of the flush (the pages it wrote are dirty again).
   */
  sync(): number {
    return this.live().sync()
  }

  /**
   * close -- mpool_close: writes nothing. The last handle on a pool drops every cached page and
   * returns the dirty pages it dropped and the pages still pinned, so a leak shows. A handle on a
   * pool others still hold drops nothing and returns empty lists. The fd is not closed.
   *
   * @returns `{dirty, pinned}`: the page numbers dropped dirty and those still pinned, in page order.
   * @throws ECLOSED if this handle is already closed.
   */
  close(): CloseReport {
    const core = this.live()
    this.core = null
    if (--core.opens > 0) return {dirty: [], pinned: []}
    if (core.key !== null && registry.get(core.key) === core) registry.delete(core.key)
    return core.close()
  }

  /**
   * stats -- mpool_stat's nine counters under BSD's names, and the cache's occupancy. Changes nothing.
   *
   * @returns a fresh MPoolStats object. @throws ECLOSED on a closed handle.
   */
  stats(): MPoolStats {
    const core = this.live()
    const occupancy = core.occupancy()
    return {
      key: core.key,
      policy: core.policy,
      hardLimit: core.hardLimit,
      readahead: core.readahead,
      writeBehind: core.writeBehind,
      journal: core.journal !== null,
      pagesize: core.pagesize,
      npages: core.npages,
      maxcache: core.maxcache,
      ...occupancy,
      ...core.counters(),
      hitRate: core.pageget === 0 ? 0 : core.cachehit / core.pageget,
      trailing: core.trailing,
      pagezero: core.pagezero,
      pagegiveback: core.pagegiveback,
    }
  }

  /**
   * frames -- the cached pages, the replacer's next victim first (least recently used first under LRU).
   *
   * @returns one FrameInfo a cached page; changes nothing. @throws ECLOSED on a closed handle.
   */
  frames(): FrameInfo[] {
    return this.live().frames()
  }

  /**
   * policyState -- the replacement policy's own state (clock hand, ARC's lists), for display.
   *
   * @returns a JSON-safe object; changes nothing. @throws ECLOSED on a closed handle.
   */
  policyState(): Record<string, unknown> {
    return this.live().replacer.describe()
  }

  /**
   * pinnedPage -- the cached page `pgno`, which must be pinned, for callers that keep page
   * numbers rather than Buffers (the pool server): its bytes, the same memory get returned (the
   * same Buffer once get has handed one out), to change in place. Moves nothing.
   *
   * @returns the cached page itself (no copy).
   * @throws ECLOSED on a closed handle; EINVAL if the page is not pinned.
   */
  pinnedPage(pgno: number): Buffer {
    return this.live().pinnedPage(pgno, 'write into')
  }

  /**
   * peek -- page `pgno` as the pool holds it (from the file, through pgin, if not cached);
   * changes no pin, recency or counter.
   *
   * @returns a PageSnapshot holding a copy of the bytes.
   * @throws ECLOSED on a closed handle; EINVAL past npages; EFTYPE or an fs code if the read fails; pgin's exception.
   */
  peek(pgno: number): PageSnapshot {
    return this.live().peek(pgno)
  }

  /**
   * readFile -- page `pgno` as it is on the file now (zeros past its end), without filters; for diffs.
   *
   * @returns a new Buffer of pagesize bytes. @throws ECLOSED on a closed handle; EINVAL past npages; EFTYPE or an fs code.
   */
  readFile(pgno: number): Buffer {
    return this.live().readFile(pgno)
  }

  /**
   * on -- call `listener` with every event (hit, miss, read, write, evict, pin, unpin, new, delete,
   * grow, maxcache, sync, close) of the shared pool, whoever's handle caused it. Returns the
   * function that stops it. With no listener, the pool makes no events at all. A listener that
   * throws fails the call that made the event, possibly halfway through it: listeners must not throw.
   *
   * @returns the unsubscribe function (calling it twice is harmless).
   * @throws ECLOSED on a closed handle.
   */
  on(listener: PoolListener): () => void {
    return this.live().subscribe(listener)
  }

  private live(): PoolCore {
    if (this.core === null) throw new MPoolError('ECLOSED', 'this pool handle is closed; open the pool again')
    return this.core
  }
}
