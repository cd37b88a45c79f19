/**
 * local -- a PoolHandle over an MPool in this process.
 *
 * The REPL's private pool and the pool server's own pool are LocalPools. Pins are recorded per
 * holder here, not in the engine, so the engine's hot path stays free of bookkeeping; a holder
 * is whoever the caller says it is (the server passes the client's pid and command).
 */
import {counted} from '../common/plural.js'
import fs from 'node:fs'
import path from 'node:path'
import {fileProblem} from '../common/file-errors.js'
import {FileIO, FileJournal, journalPathOf, MPool, MPOOL_DIRTY, MPoolError, type MPoolOptions, type MPoolStats, type PoolEvent, type PolicyName, recoverJournal} from '../pool/index.js'
import {type Recorder, startRecorder} from '../workload/recorder.js'
import type {FormatInfo} from '../formats/types.js'
import type {FrameView, PeekResult, PinHolder, PoolHandle, PoolInfo, PoolLayout, PoolStats, PutOptions} from './handle.js'

export interface LocalOpenOptions extends Omit<MPoolOptions, 'journal'> {
  /** crash-safe sync: the pool's journal is FILE.mpool-journal */
  journal?: boolean
  key?: string | null
  pagesize: number
  maxcache: number
  /** make the file if it is missing */
  create?: boolean
  /** collect each call's events into lastEvents */
  explain?: boolean
  /** the umask a file made by `create` gets its mode from (default: this process's own) */
  umask?: number
  /** the file's page format, as detected by the opener (default: none, a plain page file) */
  format?: FormatInfo | null
}

/** What a later opener asks of an open pool (see MPool.join). */
export interface JoinRequest {
  pagesize: number
  maxcache: number
  policy?: PolicyName
  hardLimit?: boolean
  readahead?: number
  writeBehind?: boolean
  /** asked for a journal: refused if the pool has none (its sync is what it is) */
  journal?: boolean
}

export class LocalPool implements PoolHandle {
  lastEvents: PoolEvent[] = []
  /** what this open did about a journal a crashed sync left, in one line, or null */
  recovered: string | null = null
  /** pins per page, by holder, oldest first */
  private readonly holders = new Map<number, PinHolder[]>()
  private readonly unsubscribers: Array<() => void> = []
  private released = false
  /** the file as it was at open: what fileChange compares with */
  private readonly openedAs: fs.Stats

  private constructor(
    private readonly pool: MPool,
    private readonly fd: number,
    readonly file: string | null,
    private readonly explain: boolean,
    /** the file's page format, or null for a plain page file */
    readonly format: FormatInfo | null,
    /** the holder recorded for pins taken through this handle */
    public holder: PinHolder = {pid: process.pid, command: 'mpool'},
  ) {
    if (explain) pool.on((event) => this.lastEvents.push(event))
    this.openedAs = fs.fstatSync(fd)
  }

  /**
   * fileChange -- what another hand did to FILE since the open, in one line, or null if nothing
   * the pool can see: the name deleted or pointing to another file (the pool writes to a file no
   * name reaches, or not to the one the name shows), the file cut below its size at open, or
   * grown past every page the pool knows (another writer appended). Checked by new, sync, peek
   * with the file's bytes (dump --diff), stats and info (ls): the pool never re-reads the file
   * on its own, so a change is reported, not followed.
   */
  fileChange(): string | null {
    const file = this.file ?? `fd ${this.fd}`
    const now = fs.fstatSync(this.fd)
    if (this.file !== null) {
      let named: fs.Stats | null = null
      try {
        named = fs.statSync(this.file)
      } catch {
        // no file by that name: deleted, or renamed
      }
      if (named === null) return now.nlink === 0 ? `${file} was deleted under the pool` : `${file} was renamed or deleted under the pool (the pool writes to a file that name no longer reaches)`
      if (named.dev !== now.dev || named.ino !== now.ino) return `${file} was replaced under the pool (it names another file now)`
    }
    if (now.nlink === 0) return `${file} was deleted under the pool`
    if (now.size < this.openedAs.size) return `${file} was cut from ${this.openedAs.size} to ${now.size} bytes under the pool`
    const known = Math.max(this.openedAs.size, this.pool.stats().npages * this.pool.pagesize)
    if (now.size > known) return `${file} grew from ${known} to ${now.size} bytes under the pool (another writer appended)`
    return null
  }

  /** checkFile -- refuse `doing` (ESTALE, nothing changed) if FILE changed under the pool. */
  private checkFile(doing: string): void {
    const change = this.fileChange()
    if (change !== null) throw new MPoolError('ESTALE', `${change}; ${doing}; close the pool and open the file again`)
  }

  /**
   * open -- open FILE (made first with `create`) and a pool over it. Throws MPoolError: ENOENT for a
   * missing file, EISDIR for a directory, ESPIPE (naming the file) for anything else not a regular file.
   */
  static open(file: string, options: LocalOpenOptions): LocalPool {
    const absolute = path.resolve(file)
    const fd = openFile(absolute, options.create === true, options.umask)
    try {
      // Every open of FILE finishes what a crashed journalled sync left, with --journal or not.
      const journal = new FileJournal(journalPathOf(absolute))
      const recovered = options.journal === true ? null : recoverJournal(new FileIO(fd), journal)
      const {journal: journalled, ...rest} = options
      const pool = MPool.open(options.key ?? null, fd, options.pagesize, options.maxcache, journalled === true ? {...rest, journal} : rest)
      const local = new LocalPool(pool, fd, absolute, options.explain === true, options.format ?? null)
      local.recovered = (pool.recovery ?? recovered)?.message ?? null
      return local
    } catch (err) {
      fs.closeSync(fd)
      // The engine names the fd, which means nothing to someone who gave a file name.
      if (err instanceof MPoolError && err.code === 'ESPIPE') {
        throw new MPoolError('ESPIPE', `${absolute} is not a regular file (a pipe, socket or device); give a file of pages`)
      }
      throw err
    }
  }

  get key(): string | null {
    return this.pool.key
  }

  /** Whether the pool has been closed (every call but close then fails). */
  get closed(): boolean {
    return this.pool.closed
  }

  /** The pool's pagesize in bytes. */
  get pagesize(): number {
    return this.pool.pagesize
  }

  /**
   * join -- another opener of this keyed pool (mpool_open with the key, the fd ignored): a
   * larger maxcache raises the pool's; another pagesize, or a policy or hard limit unlike the
   * pool's, is EINVAL and changes nothing.
   */
  join(request: JoinRequest): void {
    const key = this.pool.key
    if (key === null) throw new MPoolError('EINVAL', 'a private pool has no key to join it by')
    if (request.journal === true && !this.pool.stats().journal) {
      throw new MPoolError('EINVAL', `pool ${JSON.stringify(key)} is open without a journal; join it without --journal, or close it and open it again with --journal`)
    }
    MPool.join(key, request.pagesize, request.maxcache, {
      ...(request.policy === undefined ? {} : {policy: request.policy}),
      ...(request.hardLimit === undefined ? {} : {hardLimit: request.hardLimit}),
      ...(request.readahead === undefined ? {} : {readahead: request.readahead}),
      ...(request.writeBehind === undefined ? {} : {writeBehind: request.writeBehind}),
    }).close() // the extra handle only checked and raised; the pool lives on in this one
  }

  /** fileStat -- the open file as it is now (fstat of the pool's descriptor: the file the pool writes, whatever its name now points to). */
  fileStat(): fs.Stats {
    return fs.fstatSync(this.fd)
  }

  /** onEvent -- every event of the pool, at once (synchronously); returns the function that stops it. */
  onEvent(listener: (event: PoolEvent) => void): () => void {
    return this.pool.on(listener)
  }

  /** record -- write every page access of the pool to the new trace file `file` (see workload/recorder); `force` replaces one that is there. */
  record(file: string, options: {force?: boolean} = {}): Recorder {
    return startRecorder(this.pool, file, options)
  }

  /** layout -- no syscall: the pool's own figures and what was known at open. */
  async layout(): Promise<PoolLayout> {
    const pool = this.pool
    return {key: pool.key, file: this.file, pagesize: pool.pagesize, npages: pool.npages, format: this.format}
  }

  async info(): Promise<PoolInfo> {
    const s = this.pool.stats()
    const change = this.fileChange()
    return {
      key: s.key, file: this.file, pagesize: s.pagesize, npages: s.npages, maxcache: s.maxcache, policy: s.policy, hardLimit: s.hardLimit,
      ...(s.readahead > 0 ? {readahead: s.readahead} : {}),
      ...(s.writeBehind ? {writeBehind: true as const} : {}),
      ...(s.journal ? {journal: true as const} : {}),
      ...(this.recovered === null ? {} : {recovered: this.recovered}),
      trailing: s.trailing, format: this.format, ...(change === null ? {} : {fileChanged: change}),
    }
  }

  async new(): Promise<{pgno: number; page: Buffer}> {
    return this.call(() => {
      // a page appended by another writer must not be handed out again, and zeroed at its sync
      this.checkFile(`new would hand out page ${this.pool.stats().npages}, which may be on the file already, so no page was made`)
      const {pgno, page} = this.pool.new()
      this.pin(pgno)
      return {pgno, page: Buffer.from(page)}
    })
  }

  async get(pgno: number): Promise<Buffer> {
    return this.getWith(pgno, (page) => Buffer.from(page))
  }

  /**
   * getWith -- get, with the cached page itself lent to `read` for that call (no copy) and what
   * `read` returns as the result: the pool server encodes the page straight from the cache, and
   * the pool keeps no Buffer object per frame for it (MPool.getWith).
   */
  async getWith<T>(pgno: number, read: (page: Buffer) => T): Promise<T> {
    return this.call(() => {
      const result = this.pool.getWith(pgno, read)
      this.pin(pgno)
      return result
    })
  }

  /** getRange -- PoolHandle.getRange: each page got, pinned and peeked in turn; on a failure the pages already pinned are put back. */
  async getRange(first: number, last: number): Promise<PeekResult[]> {
    return this.call(() => {
      this.checkRange(first, last, 'get')
      const pages: PeekResult[] = []
      try {
        for (let pgno = first; pgno <= last; pgno++) {
          this.pool.getWith(pgno, () => undefined)
          this.pin(pgno)
          pages.push(this.pool.peek(pgno))
        }
      } catch (err) {
        if (pages.length === 0 || !(err instanceof MPoolError)) throw err
        for (const {pgno} of pages) {
          this.pool.put(pgno, 0)
          this.unpin(pgno)
        }
        const back = pages.length === 1 ? `page ${first}` : `pages ${first} to ${first + pages.length - 1}`
        throw new MPoolError(err.code, `${err.message}; get ${first}-${last} put back ${back}, which it had pinned: nothing of the range is pinned`, err.pgno)
      }
      return pages
    })
  }

  async put(pgno: number, options: PutOptions = {}): Promise<void> {
    return this.call(() => {
      const write = options.write
      if (write !== undefined) {
        const page = this.pool.pinnedPage(pgno) // checks the number and the pin; nothing changes yet
        const {offset, bytes} = write
        if (!Number.isInteger(offset) || offset < 0 || offset + bytes.length > page.length) {
          throw new MPoolError('EINVAL', `cannot write ${counted(bytes.length, 'byte')} at offset ${offset}: page ${pgno} has ${page.length} bytes (offsets 0 to ${page.length - 1}); nothing was written and the page is still pinned`, pgno)
        }
        page.set(write.bytes, offset)
      }
      const dirty = options.dirty === true || write !== undefined
      this.pool.put(pgno, dirty ? MPOOL_DIRTY : 0)
      this.unpin(pgno)
    })
  }

  async delete(pgno: number): Promise<void> {
    return this.call(() => {
      this.pool.delete(pgno)
      this.holders.delete(pgno)
    })
  }

  async sync(): Promise<number> {
    return this.call(() => {
      this.checkFile('nothing was written and the dirty pages are still dirty')
      return this.pool.sync()
    })
  }

  async stats(): Promise<PoolStats> {
    const change = this.fileChange()
    return change === null ? this.pool.stats() : {...this.pool.stats(), fileChanged: change}
  }

  async frames(): Promise<FrameView[]> {
    return this.pool.frames().map((f) => ({...f, holders: [...(this.holders.get(f.pgno) ?? [])]}))
  }

  async policyState(): Promise<Record<string, unknown>> {
    return this.pool.policyState()
  }

  async peek(pgno: number, options: {withFile?: boolean} = {}): Promise<PeekResult> {
    const snapshot = this.pool.peek(pgno)
    if (options.withFile) this.checkFile(`the file's bytes of page ${pgno} would not be the pool's file, so there is no diff`)
    return options.withFile ? {...snapshot, file: this.pool.readFile(pgno)} : snapshot
  }

  /** peekRange -- PoolHandle.peekRange: peek of each page in turn, checked whole first. */
  async peekRange(first: number, last: number, options: {withFile?: boolean} = {}): Promise<PeekResult[]> {
    this.checkRange(first, last, 'look at')
    const pages: PeekResult[] = []
    for (let pgno = first; pgno <= last; pgno++) pages.push(await this.peek(pgno, options))
    return pages
  }

  /** checkRange -- a range's ends, refused whole before any page is touched (EINVAL): out of order, or past the end. */
  private checkRange(first: number, last: number, verb: string): void {
    const range = `pages ${first} to ${last}`
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 0 || first > last) {
      throw new MPoolError('EINVAL', `cannot ${verb} ${range}: a range runs from a page number to one no lower; nothing was touched`)
    }
    const npages = this.pool.npages
    if (last >= npages) {
      const has = npages === 0 ? 'no pages' : `${counted(npages, 'page')} (0 to ${npages - 1})`
      throw new MPoolError('EINVAL', `cannot ${verb} ${range}: the file has ${has}; nothing was touched`, last)
    }
  }

  async close() {
    return this.call(() => {
      const report = this.pool.close()
      this.release()
      return report
    })
  }

  async detach(): Promise<void> {
    for (const stop of this.unsubscribers.splice(0)) stop()
  }

  async subscribe(listener: (event: PoolEvent) => void): Promise<() => void> {
    const stop = this.pool.on(listener)
    this.unsubscribers.push(stop)
    return stop
  }

  /** Runs one engine call, keeping its events for lastEvents when explaining. */
  private call<T>(fn: () => T): T {
    if (this.explain) this.lastEvents = []
    return fn()
  }

  private pin(pgno: number): void {
    const list = this.holders.get(pgno)
    if (list === undefined) this.holders.set(pgno, [this.holder])
    else list.push(this.holder)
  }

  private unpin(pgno: number): void {
    const list = this.holders.get(pgno)
    if (list === undefined) return
    // Give back the holder's own pin if it has one, else the oldest: pins outlive their takers.
    const mine = list.findIndex((h) => h.pid === this.holder.pid && h.command === this.holder.command)
    list.splice(mine >= 0 ? mine : 0, 1)
    if (list.length === 0) this.holders.delete(pgno)
  }

  private release(): void {
    if (this.released) return
    this.released = true
    for (const stop of this.unsubscribers.splice(0)) stop()
    fs.closeSync(this.fd)
  }
}

/**
 * openFile -- FILE opened for reading and writing, made first if `create` and missing. A file
 * this makes gets mode 0666 less `umask` (the caller's, passed in by a server that keeps a strict
 * umask of its own for its socket and logs), exactly as `touch` under that umask would.
 * O_NONBLOCK: opening a FIFO must fail at the regular-file check, not hang waiting for a writer.
 */
function openFile(file: string, create: boolean, umask: number | undefined): number {
  const flags = fs.constants.O_RDWR | fs.constants.O_NONBLOCK
  try {
    return fs.openSync(file, flags)
  } catch (err) {
    if (!create || (err as NodeJS.ErrnoException).code !== 'ENOENT') throw openError(err, file, create)
  }
  let fd: number
  try {
    fd = fs.openSync(file, flags | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o666)
  } catch (err) {
    // made by someone else between the two opens: open theirs
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return openFile(file, false, umask)
    throw openError(err, file, create)
  }
  if (umask !== undefined) fs.fchmodSync(fd, 0o666 & ~umask)
  return fd
}

function openError(err: unknown, file: string, create: boolean): MPoolError {
  if (create && (err as NodeJS.ErrnoException).code === 'ENOENT') return new MPoolError('ENOENT', `cannot create ${file}: its folder does not exist`)
  const {code, message} = fileProblem(err, file, {access: 'read and write', ifMissing: 'pass --create to make it'})
  return new MPoolError(code, message)
}
