/**
 * core -- the buffer pool itself: frames, the page table, pins, dirty pages, write-back.
 *
 * One PoolCore exists per open file (per key, when a key is shared); MPool handles point at it.
 *
 *     page table (pgno -> frame)              replacer (which unpinned frame goes next)
 *              \_______ FrameMap (frame-map.ts) _________/    the one miss path, shared with the simulator
 *              |                                        |
 *              v                                        v
 *   frame:   0        1        2        3   ...   pgnoOf[f]  pins[f]  dirty[f]
 *           [page]   [page]   [page]   [page]      Float64    Int32    Uint8 (0 or 1)
 *              \________\________\________\__ bytes of arena chunks; a Buffer object (handed[f])
 *                                               only once get or new has handed the page out
 *
 * Policies, each in a sentence (the reasons are in DESIGN.md):
 *  - A frame is empty (on the free list) or holds exactly one page (in the table and the replacer).
 *  - Pins are counts. A pinned frame is never a victim, never given back.
 *  - Dirty is sticky: put ORs it in; only a complete write of the page clears it.
 *  - A miss takes a free frame while the pool is under maxcache, else the replacer's victim,
 *    written first if dirty; if that write fails the miss fails and the victim stays, dirty.
 *  - With every frame pinned the pool grows past maxcache (BSD) unless hardLimit makes it EBUSY;
 *    frames over the limit are given back when a put or sync leaves a clean victim to drop.
 *  - pgout runs on a copy: the cached page always stays in its in-memory form.
 *  - Nothing here looks at the clock, a socket or a terminal; with no listener no event is made.
 *  - A frame costs its page's bytes and a few typed-array slots. The Buffer a get returns is made
 *    the first time that frame is handed out and kept, so every later get of it returns the same
 *    object; a caller that only reads the page at once (getWith: the pool server) never makes one,
 *    so a pool of 65536 frames served over a socket holds no 65536 objects on the JS heap.
 */
import {ioError, MPoolError} from './errors.js'
import type {PoolEvent, PoolListener} from './events.js'
import {readFully, type PageIO} from './io.js'
import {type FrameHolder, FrameMap, NO_FRAME} from './frame-map.js'
import {journalImage, type JournalIO} from './journal.js'
import type {PageTable} from './page-table.js'
import type {VictimReason} from './policies/reasons.js'
import type {PolicyName, Replacer} from './replacer.js'
import {widened} from './typed.js'

/** mpool_put's flag: the page was modified and must be written before its frame is reused. */
export const MPOOL_DIRTY = 0x01

/** The largest page number: page numbers are 32-bit, as BSD's pgno_t. */
export const MAX_PGNO = 0xffff_ffff
/** The largest pagesize: with it, pgno × pagesize stays an exact integer (< 2^53) for every pgno. */
export const MAX_PAGESIZE = 1 << 21
/** The page size the shell uses when not told one: the common file-system block, SQLite's default. */
export const DEFAULT_PAGESIZE = 4096
/** The largest maxcache: 16 Mi frames is far more than any machine here can hold at 512 bytes a page. */
export const MAX_MAXCACHE = 1 << 24

/** A page filter, run on a page as it is read in (pgin) or on a copy as it is written out (pgout). */
export type PageFilter = (cookie: unknown, pgno: number, page: Buffer) => void

const EMPTY = NO_FRAME
/** Frames per arena chunk: the arena grows a chunk at a time, so a large maxcache costs nothing until used. */
const CHUNK_FRAMES = 256
/**
 * Each page Buffer the pool hands out carries its frame index under this symbol, a
 * non-enumerable, read-only property (invisible to inspect, JSON and deepStrictEqual), so
 * put(page) finds the frame in one load instead of a Map lookup; handed[frame] === page then
 * confirms the Buffer is this pool's own.
 */
const FRAME_OF = Symbol('mpool.frame')
type TaggedPage = {[FRAME_OF]?: number}
/** At most this many buffers go to one vectored write (Linux's IOV_MAX is 1024). */
const IOV_MAX = 1024

export interface FrameInfo {
  /** the frame's index in the frame table */
  frame: number
  pgno: number
  pins: number
  dirty: boolean
  /** present (true) while the page was read ahead and no get has asked for it yet */
  prefetched?: true
}

/** How a pool reads ahead and writes behind; both off by default (mpool(3)'s exact behaviour). */
export interface PoolTuning {
  /** where a crash-safe sync writes its journal first (journal.ts); absent: mpool(3)'s plain sync */
  journal?: JournalIO
  /** 0: off. N > 1: a miss that continues an ascending run reads up to N pages in one vectored read. */
  readahead: number
  /** a dirty victim is written together with its dirty, cold, adjacent neighbours in one vectored write */
  writeBehind: boolean
}

/** The most pages one read-ahead reads, and one write-behind writes. */
export const MAX_READAHEAD = 256

export interface PageSnapshot {
  pgno: number
  /** a copy of the page as the pool holds it: the cached bytes, or read from the file (through pgin) */
  bytes: Buffer
  cached: boolean
  dirty: boolean
  pins: number
  /** the frame holding it, -1 if not cached */
  frame: number
}

export interface CloseReport {
  /** pages that were dirty and were dropped unwritten, in page order */
  dirty: number[]
  /** pages still pinned when the pool closed, in page order */
  pinned: number[]
}

export interface PoolCounters {
  cachehit: number
  cachemiss: number
  pagealloc: number
  pageflush: number
  pageget: number
  pagenew: number
  pageput: number
  pageread: number
  pagewrite: number
  /** pages read ahead (beyond the page a miss asked for) */
  prefetch: number
  /** gets that found a read-ahead page not yet asked for (counted as misses too: the policy missed them) */
  prefetchhit: number
  /** read-ahead pages that left the cache before any get asked for them */
  prefetchwaste: number
}

export class PoolCore implements FrameHolder {
  // Fields in the order a get and a put use them: V8 lays them out in this order, so the hot
  // ones share the object's first cache lines.
  readonly io: PageIO
  readonly pagesize: number
  readonly replacer: Replacer
  npages: number // pages in the file, counting those created by new
  private readonly map: FrameMap // page table, replacer, free frames: the miss path
  private readonly table: PageTable // the map's page table, read directly by the hit path
  private pins = new Int32Array(0) // frame -> pin count
  private dirty = new Uint8Array(0) // frame -> 1 if the page was modified and not yet written, else 0
  private readonly handed: Array<Buffer | undefined> = [] // frame -> the Buffer get/new handed out for it, made on first use
  private readonly chunks: Buffer[] = [] // the arena, a chunk at a time
  private chunkOf = new Int32Array(0) // frame -> index of its arena chunk
  private offsetOf = new Int32Array(0) // frame -> byte offset of its page within that chunk
  private lastFrame = 0 // the frame get returned last: a put mostly gives back that page, so pinnedFrame tries it first
  /** Non-null only while somebody listens: the hot path tests this one field. */
  private emit: PoolListener | null = null
  private pgin: PageFilter | null = null
  private readonly tuned: boolean // readahead or writeBehind: only then does a hit keep lastUse (mpool(3)'s pool pays nothing)
  private unused = new Uint8Array(0) // frame -> 1 if its page was read ahead and not yet asked for
  private lastUse = new Float64Array(0) // frame -> pageget when its page was last got or read in: read-ahead and write-behind's clock

  // Counters, under BSD's names (mpool.h, STATISTICS), always on.
  cachehit = 0 // gets that found the page cached
  cachemiss = 0 // gets that did not
  pagealloc = 0 // frames allocated
  pageflush = 0 // frames taken from a victim to be reused (dirty or not)
  pageget = 0 // calls to get
  pagenew = 0 // calls to new
  pageput = 0 // calls to put
  pageread = 0 // pages read from the file
  pagewrite = 0 // pages written to the file
  // Two splits of BSD's counters, so that a reader can tell them apart (additive: BSD's stay as they are).
  pagezero = 0 // of pageread: pages the file held no bytes of (never written), handed out as zeros
  pagegiveback = 0 // of pageflush: frames over maxcache given back as pins came back (not a victim for a miss)
  prefetch = 0 // pages read ahead
  prefetchhit = 0 // gets that found a read-ahead page first
  prefetchwaste = 0 // read-ahead pages evicted unused

  readonly journal: JournalIO | null // crash-safe sync (journal.ts), or null: mpool(3)'s sync
  private journalLeft = false // a sync wrote the journal and did not retire it (it failed)
  readonly readahead: number // 0 or the most pages one read brings in
  readonly writeBehind: boolean
  private runNext = -1 // the page after the last one the previous miss read: a miss there continues an ascending run
  private runSince = 0 // pageget at the previous miss: read-ahead never takes a page used since
  private aheadFrames: Int32Array // the frames of one read-ahead, reused
  private readonly aheadBuffers: Buffer[] = [] // their pages, the vectored read's list, reused
  private behindFrames: Int32Array // the frames of one write-behind, reused

  readonly key: string | null
  readonly hardLimit: boolean
  opens = 1 // handles open on this core; the last close drops it
  readonly trailing: number // bytes of a partial last page at open: reported, never used
  private readonly pagesAtOpen: number // pages from here on were added by new(): the file holds none of their bytes but the trailing ones

  private chunk: Buffer | null = null // the arena chunk new frames are carved from
  private chunkUsed = 0
  private readonly scratch: Buffer // pgout's copy of a page written alone
  private readonly one = [0] // the frame list of a one-page write, reused

  private pgout: PageFilter | null = null
  private cookie: unknown = undefined
  private listeners: PoolListener[] = []

  constructor(key: string | null, io: PageIO, pagesize: number, maxcache: number, hardLimit: boolean, replacer: Replacer, fileSize: number, tuning: PoolTuning = {readahead: 0, writeBehind: false}) {
    this.io = io
    this.pagesize = pagesize
    this.replacer = replacer
    this.key = key
    this.hardLimit = hardLimit
    this.npages = Math.floor(fileSize / pagesize)
    this.trailing = fileSize - this.npages * pagesize
    this.pagesAtOpen = this.npages
    this.scratch = Buffer.alloc(pagesize)
    this.map = new FrameMap(replacer, maxcache, this)
    this.table = this.map.table
    this.readahead = tuning.readahead > 1 ? tuning.readahead : 0
    this.writeBehind = tuning.writeBehind
    this.journal = tuning.journal ?? null
    this.tuned = this.readahead !== 0 || this.writeBehind
    this.aheadFrames = new Int32Array(this.readahead)
    this.behindFrames = new Int32Array(tuning.writeBehind ? MAX_READAHEAD : 0)
  }

  get policy(): PolicyName {
    return this.replacer.name
  }

  /** The most pages cached before victims are taken (it grows past it only when every frame is pinned). */
  get maxcache(): number {
    return this.map.maxcache
  }


  /*
   * get -- the page pgno, pinned. A hit costs a hash lookup, a list move and a pin; a miss goes
   * on in getMiss. (The hot paths are kept short, rare work in functions of its own, so that
   * V8 inlines them whole into the caller's loop.)
   */
  get(pgno: number): Buffer {
    const frame = this.getFrame(pgno)
    return this.handed[frame] ?? this.handOut(frame)
  }

  /* getWith -- get, with the page lent to `read` for that call only: no Buffer is kept for the frame. */
  getWith<T>(pgno: number, read: (page: Buffer) => T): T {
    return read(this.bytesOf(this.getFrame(pgno)))
  }

  /* getFrame -- get's work: the frame of page pgno, pinned once more. */
  private getFrame(pgno: number): number {
    if ((pgno >>> 0) !== pgno || pgno >= this.npages) throw this.badPgno(pgno, 'get')
    this.pageget++
    const frame = this.table.get(pgno)
    if (frame === EMPTY) return this.getMiss(pgno)
    if (this.tuned) {
      if (this.unused[frame] !== 0) return this.getPrefetched(pgno, frame)
      this.lastUse[frame] = this.pageget
    }
    this.cachehit++
    this.replacer.access(frame)
    const pins = ++this.pins[frame]
    if (this.emit !== null) this.emitHit(pgno, frame, pins)
    this.lastFrame = frame
    return frame
  }

  /* getMiss -- get of a page not cached: a frame for it, the page read in, pgin run, pinned. */
  private getMiss(pgno: number): number {
    this.cachemiss++
    if (this.emit !== null) this.emit({type: 'miss', pgno})
    const since = this.runSince
    this.runSince = this.pageget
    const fresh = this.map.claim(pgno, this.pins)
    const page = this.bytesOf(fresh)
    const ahead = this.readahead !== 0 && pgno === this.runNext ? this.claimAhead(pgno, since) : 1
    try {
      if (ahead === 1) this.readInto(page, pgno, fresh)
      else this.readAhead(page, pgno, fresh, ahead)
      if (this.pgin !== null) this.pgin(this.cookie, pgno, page)
    } catch (err) {
      this.map.release(fresh) // the frame goes back: BSD 1.85 leaked it here
      throw err
    }
    this.install(fresh, pgno)
    this.lastFrame = fresh
    return fresh
  }

  /*
   * getPrefetched -- get of a page read ahead and not yet asked for. The policy missed it, so it
   * counts as a miss (and a prefetchhit), and the replacer hears of it as of a page just read:
   * from here on the page is treated exactly as it would have been without read-ahead.
   */
  private getPrefetched(pgno: number, frame: number): number {
    this.cachemiss++
    this.prefetchhit++
    this.unused[frame] = 0
    this.lastUse[frame] = this.pageget
    this.replacer.remove(frame, false)
    this.replacer.admit(frame, pgno)
    const pins = ++this.pins[frame]
    if (this.emit !== null) {
      this.emit({type: 'hit', pgno, frame, prefetched: true})
      this.emit({type: 'pin', pgno, frame, pins})
    }
    this.lastFrame = frame
    return frame
  }

  /* new -- a zero-filled page at the end of the file, pinned, not dirty. */
  new(): {pgno: number; page: Buffer} {
    const pgno = this.npages
    if (pgno > MAX_PGNO) {
      throw new MPoolError('EINVAL', `the file already has ${pgno} pages, the most a pool can address; no page was added`)
    }
    this.pagenew++
    const frame = this.map.claim(pgno, this.pins)
    const page = this.handed[frame] ?? this.handOut(frame)
    page.fill(0) // BSD hands back the previous page's bytes; a new page is all zeros here
    this.npages++
    if (this.emit !== null) this.emit({type: 'new', pgno, frame})
    this.install(frame, pgno)
    return {pgno, page}
  }

  /* put -- give back one pin; MPOOL_DIRTY marks the page for write-back. */
  put(page: Buffer | number, flags: number): void {
    const frame = this.pinnedFrame(page, 'put')
    if (flags !== 0 && flags !== MPOOL_DIRTY) throw this.badFlags(flags, frame)
    this.pageput++
    const pins = --this.pins[frame]
    if (flags !== 0) this.dirty[frame] = 1
    if (this.emit !== null) this.emitUnpin(frame, pins, flags)
    if (pins === 0 && this.table.size > this.maxcache) this.giveBackFrames()
  }

  /* delete -- drop a page pinned once, without writing it (FreeBSD's mpool_delete). */
  delete(page: Buffer | number): void {
    const frame = this.pinnedFrame(page, 'delete')
    const pgno = this.map.pgnoOf[frame]
    if (this.pins[frame] > 1) {
      throw new MPoolError('EBUSY', `page ${pgno} is pinned ${this.pins[frame]} times; put the other pins back before deleting it`, pgno)
    }
    const dirty = this.isDirty(frame)
    this.pins[frame] = 0
    this.drop(frame, false)
    this.map.release(frame) // the frame is reused by the next miss, not leaked
    if (this.emit !== null) this.emit({type: 'delete', pgno, frame, dirty})
  }

  /*
   * sync -- write every dirty page, pinned or not, in page order, adjacent pages in one
   * vectored write; then flush the file. On the first failure it stops: pages already
   * written are clean, the rest stay dirty, nothing is dropped. A failed flush makes the
   * pages this sync wrote dirty again, since nothing says they reached the disk.
   */
  sync(): number {
    const frames: number[] = []
    for (const frame of this.cachedFrames()) if (this.isDirty(frame)) frames.push(frame)
    frames.sort((a, b) => this.map.pgnoOf[a] - this.map.pgnoOf[b])
    if (this.journal !== null && frames.length > 0) this.writeJournal(frames)
    let written = 0
    let writes = 0
    for (let start = 0; start < frames.length; ) {
      let end = start + 1
      while (end < frames.length && end - start < IOV_MAX && this.map.pgnoOf[frames[end]] === this.map.pgnoOf[frames[end - 1]] + 1) end++
      this.writeRun(frames.slice(start, end), end - start, 'sync')
      written += end - start
      writes++
      start = end
    }
    try {
      this.io.flush()
    } catch (err) {
      for (const frame of frames) this.dirty[frame] = 1
      throw ioError(err, `flushing the file after writing ${written} pages (they are dirty again; sync again)`)
    }
    if (this.journal !== null && frames.length > 0) {
      this.journal.remove() // retired: every page it holds is whole on the file
      this.journalLeft = false
    }
    if (this.emit !== null) this.emit({type: 'sync', pages: written, writes})
    if (this.table.size > this.maxcache) this.giveBackFrames()
    return written
  }

  /*
   * writeJournal -- step 1 of a journalled sync (journal.ts): the images the sync is about to
   * write, pgout's bytes, on stable storage before any page is written in place. A failure
   * writes nothing in place: every page stays dirty.
   */
  private writeJournal(frames: readonly number[]): void {
    const pgnos = frames.map((frame) => this.map.pgnoOf[frame])
    const images = frames.map((frame) => this.outgoing(frame, false))
    try {
      this.journalLeft = true
      this.journal!.write(journalImage(this.pagesize, pgnos, images))
    } catch (err) {
      throw ioError(err, `writing the journal ${this.journal!.name} before syncing ${frames.length} pages (nothing was written in place; the pages stay dirty; sync again)`)
    }
  }

  /* close -- drop every page without writing (the man page: modified pages are not written). */
  close(): CloseReport {
    const dirty: number[] = []
    const pinned: number[] = []
    const cached = this.cachedFrames()
    for (const frame of cached) {
      if (this.isDirty(frame)) dirty.push(this.map.pgnoOf[frame])
      if (this.pins[frame] > 0) pinned.push(this.map.pgnoOf[frame])
    }
    dirty.sort((a, b) => a - b)
    pinned.sort((a, b) => a - b)
    for (const frame of cached) {
      this.pins[frame] = 0
      this.drop(frame, false)
    }
    // A journal a failed sync left would complete that sync at the next open: close writes nothing.
    if (this.journal !== null && this.journalLeft) this.journal.remove()
    if (this.emit !== null) this.emit({type: 'close', dirty, pinned})
    this.listeners = []
    this.emit = null
    return {dirty, pinned}
  }

  filter(pgin: PageFilter | null, pgout: PageFilter | null, cookie: unknown): void {
    this.pgin = pgin
    this.pgout = pgout
    this.cookie = cookie
  }

  /* raiseMaxcache -- a later opener's larger maxcache wins (the man page's rule); it never shrinks. */
  raiseMaxcache(maxcache: number): void {
    if (maxcache <= this.maxcache) return
    this.map.maxcache = maxcache
    this.replacer.resize?.(maxcache)
    if (this.emit !== null) this.emit({type: 'maxcache', maxcache})
  }

  subscribe(listener: PoolListener): () => void {
    this.listeners = [...this.listeners, listener]
    this.updateEmit()
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener)
      this.updateEmit()
    }
  }

  counters(): PoolCounters {
    const {cachehit, cachemiss, pagealloc, pageflush, pageget, pagenew, pageput, pageread, pagewrite, prefetch, prefetchhit, prefetchwaste} = this
    return {cachehit, cachemiss, pagealloc, pageflush, pageget, pagenew, pageput, pageread, pagewrite, prefetch, prefetchhit, prefetchwaste}
  }

  /* occupancy -- pinned and dirty frames, counted on demand: the hot path keeps no totals. */
  occupancy(): {cached: number; pinned: number; dirty: number; overcommit: number; frames: number} {
    let pinned = 0
    let dirty = 0
    for (const frame of this.cachedFrames()) {
      if (this.pins[frame] > 0) pinned++
      if (this.isDirty(frame)) dirty++
    }
    const cached = this.table.size
    return {cached, pinned, dirty, overcommit: Math.max(0, cached - this.maxcache), frames: this.map.frames}
  }

  /* frames -- the cached pages in the replacer's order: the next victim, pins aside, first. */
  frames(): FrameInfo[] {
    return this.replacer.order().map((frame) => {
      const info: FrameInfo = {frame, pgno: this.map.pgnoOf[frame], pins: this.pins[frame], dirty: this.isDirty(frame)}
      if (this.unused[frame] !== 0) info.prefetched = true
      return info
    })
  }

  /* pinnedPage -- the cached page of a pinned page number, to change in place; no pin, recency or counter moves. */
  pinnedPage(pgno: number, verb: string): Buffer {
    return this.bytesOf(this.pinnedFrame(pgno, verb))
  }

  /* peek -- a copy of the page as the pool holds it, changing no pin, recency or counter. */
  peek(pgno: number): PageSnapshot {
    if ((pgno >>> 0) !== pgno || pgno >= this.npages) throw this.badPgno(pgno, 'look at')
    const frame = this.table.get(pgno)
    if (frame !== EMPTY) {
      return {pgno, bytes: Buffer.from(this.bytesOf(frame)), cached: true, dirty: this.isDirty(frame), pins: this.pins[frame], frame}
    }
    const bytes = this.readFile(pgno)
    if (this.pgin !== null) this.pgin(this.cookie, pgno, bytes)
    return {pgno, bytes, cached: false, dirty: false, pins: 0, frame: -1}
  }

  /* readFile -- the page's bytes on the file as they are now (zeros past the end), no filter run. */
  readFile(pgno: number): Buffer {
    if ((pgno >>> 0) !== pgno || pgno >= this.npages) throw this.badPgno(pgno, 'read')
    const bytes = Buffer.alloc(this.pagesize)
    this.readPage(bytes, pgno)
    return bytes
  }

  // ---------------------------------------------------------------- internals

  private updateEmit(): void {
    const listeners = this.listeners
    if (listeners.length === 0) this.emit = null
    else if (listeners.length === 1) this.emit = listeners[0]
    else this.emit = (event: PoolEvent) => { for (const l of listeners) l(event) }
  }

  /* cachedFrames -- the frames that hold a page, in frame order. */
  private cachedFrames(): number[] {
    const frames: number[] = []
    for (let frame = 0; frame < this.map.frames; frame++) if (this.map.held(frame)) frames.push(frame)
    return frames
  }

  private isDirty(frame: number): boolean {
    return this.dirty[frame] !== 0
  }

  /* install -- page pgno now lives in frame, pinned once, clean, just admitted by the replacer. */
  private install(frame: number, pgno: number): void {
    this.map.install(frame, pgno)
    this.pins[frame] = 1
    this.dirty[frame] = 0
    this.unused[frame] = 0 // a victim's frame comes straight from the map's claim, still marked as its page was
    this.lastUse[frame] = this.pageget
    if (this.emit !== null) this.emit({type: 'pin', pgno, frame, pins: 1})
  }

  /*
   * full -- (FrameHolder) every frame pinned at maxcache: one frame more (BSD), or EBUSY under hardLimit.
   */
  full(incoming: number): number {
    if (this.hardLimit) {
      throw new MPoolError('EBUSY', `all ${this.table.size} frames are pinned and the pool may not grow past maxcache ${this.maxcache}; put a page back first`, incoming)
    }
    const frame = this.map.spare()
    if (this.emit !== null) this.emit({type: 'grow', frame, cached: this.table.size + 1, maxcache: this.maxcache})
    return frame
  }

  /* evict -- (FrameHolder) the replacer's victim for page incoming, about to be emptied by the map. */
  evict(frame: number, incoming: number): void {
    // the policy's reason is asked for only while somebody listens (Replacer.why)
    this.evicting(frame, 'replace', this.emit === null ? undefined : this.replacer.why?.(frame, this.pins, incoming))
  }

  /*
   * evicting -- a victim leaves: written first if dirty (a failed write throws and the page
   * stays cached and dirty), counted, told. The caller empties the frame.
   */
  private evicting(frame: number, reason: 'replace' | 'shrink', why?: VictimReason): void {
    const dirty = this.isDirty(frame)
    if (dirty) {
      // Over maxcache, pages written behind would be clean pages over the limit: write the victim alone.
      if (this.writeBehind && reason === 'replace' && this.table.size <= this.maxcache) this.writeBehindOf(frame)
      else this.writeOne(frame, reason === 'replace' ? 'evict' : 'shrink')
    }
    if (this.unused[frame] !== 0) this.prefetchwaste++
    this.pageflush++
    if (reason === 'shrink') this.pagegiveback++
    if (this.emit === null) return
    const pgno = this.map.pgnoOf[frame]
    this.emit(why === undefined ? {type: 'evict', pgno, frame, dirty, reason} : {type: 'evict', pgno, frame, dirty, reason, why})
  }

  /* drop -- forget the page in frame, without writing: out of the map, clean. */
  private drop(frame: number, evicted: boolean): void {
    this.map.drop(frame, evicted)
    this.dirty[frame] = 0
    this.unused[frame] = 0
  }

  /*
   * giveBackFrames -- over maxcache, drop clean victims until back at the limit. A dirty page is
   * passed over as if pinned (it waits for sync or a miss: put does no I/O), so one dirty page
   * first in line does not keep every clean page behind it over the limit.
   */
  private giveBackFrames(): void {
    if (this.table.size <= this.maxcache) return
    const held = this.pins.slice() // pinned or dirty: not to be given back now
    for (let frame = 0; frame < this.map.frames; frame++) if (this.isDirty(frame)) held[frame] = 1
    while (this.table.size > this.maxcache) {
      const victim = this.replacer.victim(held, -1)
      if (victim === EMPTY) return
      this.evicting(victim, 'shrink', this.emit === null ? undefined : this.replacer.why?.(victim, held, -1))
      this.drop(victim, true)
      this.map.release(victim)
    }
  }

  /* added -- (FrameHolder) frame `frame` is new: a page buffer carved from the arena, room in the frame table. */
  added(frame: number): void {
    if (frame >= this.pins.length) this.growTable(Math.max(16, this.pins.length * 2))
    if (this.chunk === null || (this.chunkUsed + 1) * this.pagesize > this.chunk.length) {
      // Buffer.alloc is calloc underneath: the OS maps the memory when a page is first touched.
      this.chunk = Buffer.alloc(Math.min(CHUNK_FRAMES, this.maxcache) * this.pagesize)
      this.chunks.push(this.chunk)
      this.chunkUsed = 0
    }
    this.chunkOf[frame] = this.chunks.length - 1
    this.offsetOf[frame] = this.chunkUsed * this.pagesize
    this.chunkUsed++
    this.handed.push(undefined) // a slot for every frame: the array stays dense (a sparse one would be a slow dictionary)
    this.pagealloc++
  }

  /* bytesOf -- frame `frame`'s page: the Buffer handed out for it if there is one, else a view made for this call. */
  private bytesOf(frame: number): Buffer {
    const page = this.handed[frame]
    if (page !== undefined) return page
    const start = this.offsetOf[frame]
    return this.chunks[this.chunkOf[frame]].subarray(start, start + this.pagesize)
  }

  /* handOut -- the Buffer get and new return for `frame` from now on, tagged with the frame so put(page) finds it. */
  private handOut(frame: number): Buffer {
    const page = this.bytesOf(frame)
    Object.defineProperty(page, FRAME_OF, {value: frame})
    this.handed[frame] = page
    return page
  }

  private growTable(capacity: number): void {
    this.pins = widened(this.pins, capacity)
    this.dirty = widened(this.dirty, capacity)
    this.unused = widened(this.unused, capacity)
    this.lastUse = widened(this.lastUse, capacity)
    this.chunkOf = widened(this.chunkOf, capacity)
    this.offsetOf = widened(this.offsetOf, capacity)
  }

  /* pinnedFrame -- the frame of a page given by number or by the Buffer get/new returned; it must be pinned. */
  private pinnedFrame(page: Buffer | number, verb: string): number {
    // The page get returned last is recognised by identity alone: nothing is loaded from the
    // Buffer object (typeof and == null would read its map), which on a large pool is a cache miss.
    const last = this.handed[this.lastFrame]
    const frame =
      page === last && last !== undefined
        ? this.lastFrame
        : typeof page === 'number'
          ? (page >>> 0) === page ? this.table.get(page) : EMPTY
          : this.frameOfPage(page)
    // An empty frame has no pins, so one test covers every case; unpinnedError sorts them out.
    if (frame === EMPTY || this.pins[frame] === 0) throw this.unpinnedError(page, frame, verb)
    return frame
  }

  /* unpinnedError -- why `page` cannot be put or deleted: a bad number, not cached, not this pool's, or not pinned. */
  private unpinnedError(page: Buffer | number, frame: number, verb: string): MPoolError {
    if (typeof page === 'number') {
      if ((page >>> 0) !== page) return this.badPgno(page, verb)
      if (frame === EMPTY) {
        return new MPoolError('EINVAL', `cannot ${verb} page ${page}: it is not in the cache, so it is not pinned; get it first`, page)
      }
    } else if (frame === EMPTY || this.map.pgnoOf[frame] === EMPTY) {
      return new MPoolError('EINVAL', `cannot ${verb} this buffer: it is not a page this pool handed out (or its page has left the cache)`)
    }
    const pgno = this.map.pgnoOf[frame]
    return new MPoolError('EINVAL', `cannot ${verb} page ${pgno}: it is not pinned; get it first`, pgno)
  }

  private badFlags(flags: number, frame: number): MPoolError {
    return new MPoolError('EINVAL', `put flags must be 0 or MPOOL_DIRTY (1), not ${flags}; the page is still pinned`, this.map.pgnoOf[frame])
  }

  private emitHit(pgno: number, frame: number, pins: number): void {
    this.emit!({type: 'hit', pgno, frame})
    this.emit!({type: 'pin', pgno, frame, pins})
  }

  private emitUnpin(frame: number, pins: number, flags: number): void {
    this.emit!({type: 'unpin', pgno: this.map.pgnoOf[frame], frame, pins, dirty: this.isDirty(frame), dirtied: flags === MPOOL_DIRTY})
  }

  /* frameOfPage -- the frame whose page is this very Buffer, or EMPTY: the Buffer's tag, checked against the frame's view. */
  private frameOfPage(page: unknown): number {
    if (page === null || page === undefined) return EMPTY
    const frame = (page as TaggedPage)[FRAME_OF]
    if (frame === undefined) return EMPTY
    return this.handed[frame] === page ? frame : EMPTY
  }

  private badPgno(pgno: unknown, verb: string): MPoolError {
    const n = typeof pgno === 'number' ? pgno : NaN
    if (Number.isInteger(n) && n >= 0 && n <= MAX_PGNO) {
      const has = this.npages === 0 ? 'no pages yet' : this.npages === 1 ? '1 page (0 to 0)' : `${this.npages} pages (0 to ${this.npages - 1})`
      return new MPoolError('EINVAL', `cannot ${verb} page ${n}: the file has ${has}; use new to add one`, n)
    }
    return new MPoolError('EINVAL', `cannot ${verb} page ${String(pgno)}: a page number is a whole number from 0 to ${MAX_PGNO}`)
  }

  private partialRead(pgno: number, got: number): MPoolError {
    return new MPoolError('EFTYPE', `page ${pgno} is partial: the file ends ${got} bytes into it (pagesize ${this.pagesize}); check the pagesize or the file`, pgno)
  }

  /* readInto -- readPage into a frame, counted and told. */
  private readInto(page: Buffer, pgno: number, frame: number): void {
    const got = this.readPage(page, pgno)
    this.pageread++
    if (got < this.pagesize) this.pagezero++
    this.runNext = pgno + 1
    if (this.emit !== null) this.emit({type: 'read', pgno, frame, offset: pgno * this.pagesize, bytes: got})
  }

  /*
   * readPage -- one page from the file: a full page, or zeros if nothing was ever written there;
   * anything between is EFTYPE. The one exception is the page new() put over the trailing bytes
   * of a partial last page: those bytes were never this page's, so it reads as zeros too.
   */
  private readPage(page: Buffer, pgno: number): number {
    const got = this.readFully(page, pgno)
    if (got === this.pagesize) return got
    if (got > 0 && pgno < this.pagesAtOpen) throw this.partialRead(pgno, got)
    page.fill(0)
    return got
  }

  private readFully(page: Buffer, pgno: number): number {
    const offset = pgno * this.pagesize
    try {
      return readFully(this.io, page.subarray(0, this.pagesize), offset)
    } catch (err) {
      throw ioError(err, `reading page ${pgno} at offset ${offset}`, pgno)
    }
  }

  /*
   * claimAhead -- frames for the pages after pgno, for a read-ahead: into aheadFrames[1..],
   * returning how many pages the read will bring in (pgno's own included, so 1 means none).
   * It stops at the first page already cached, the end of the file, or the first frame it may
   * not take: under maxcache any free or new frame; at maxcache only the replacer's victim, and
   * only if that page was not got since `since` (the previous miss of this run: the pages the
   * scan is still using) and its eviction succeeds. The pool never grows for a read-ahead.
   */
  private claimAhead(pgno: number, since: number): number {
    const limit = Math.min(this.readahead, this.npages - pgno)
    const frames = this.aheadFrames
    let n = 1
    while (n < limit) {
      const next = pgno + n
      if (this.table.get(next) !== EMPTY) break
      const frame = this.aheadFrame(next, n, since)
      if (frame === EMPTY) break
      frames[n++] = frame
    }
    return n
  }

  /* aheadFrame -- one frame for read-ahead page `next`, `claimed` frames being held already, or EMPTY (see claimAhead). */
  private aheadFrame(next: number, claimed: number, since: number): number {
    const held = this.table.size + claimed
    if (held < this.maxcache) return this.map.spare()
    if (held > this.maxcache) return EMPTY // grown past maxcache: a read-ahead page would be a clean page over the limit
    const victim = this.replacer.victim(this.pins, next)
    if (victim === EMPTY || this.lastUse[victim] >= since) return EMPTY
    try {
      this.evict(victim, next)
    } catch {
      return EMPTY // its write failed: it stays cached and dirty, and the demand miss does not fail for a read-ahead
    }
    this.drop(victim, true)
    return victim
  }

  /*
   * readAhead -- page pgno into `page` and the next `count - 1` pages into the frames claimAhead
   * took, in one vectored read. The page asked for gets exactly what a read of it alone gives:
   * if the vectored read fails or stops inside it, it is read alone (readInto), errors and all.
   * A read-ahead page is cached only if it came in whole; it goes in unpinned, clean, at the
   * cold end of the replacer where the policy has one (Replacer.prefetched), marked unused.
   * The others' frames go back to the free list. pgin runs on each page kept; a page whose
   * pgin throws is not kept (its get will run pgin again and fail then).
   */
  private readAhead(page: Buffer, pgno: number, frame: number, count: number): void {
    const ps = this.pagesize
    const frames = this.aheadFrames
    const buffers = this.aheadBuffers
    buffers.length = count
    buffers[0] = page
    for (let i = 1; i < count; i++) buffers[i] = this.bytesOf(frames[i])
    let got: number
    try {
      got = this.io.readv(buffers, pgno * ps)
    } catch {
      got = -1
    }
    const whole = got < ps ? 0 : Math.min(count, Math.floor(got / ps))
    if (whole === 0) {
      for (let i = 1; i < count; i++) this.map.release(frames[i])
      this.readInto(page, pgno, frame)
      return
    }
    this.pageread++
    this.runNext = pgno + whole
    if (this.emit !== null) this.emit({type: 'read', pgno, frame, offset: pgno * ps, bytes: whole * ps, pages: whole})
    for (let i = 1; i < count; i++) {
      const ahead = frames[i]
      if (i >= whole || !this.filtered(pgno + i, this.bytesOf(ahead))) {
        this.map.release(ahead)
        continue
      }
      this.map.installCold(ahead, pgno + i)
      this.pins[ahead] = 0
      this.dirty[ahead] = 0
      this.unused[ahead] = 1
      this.lastUse[ahead] = this.pageget
      this.prefetch++
      if (this.emit !== null) this.emit({type: 'prefetch', pgno: pgno + i, frame: ahead})
    }
  }

  /* filtered -- pgin run on a read-ahead page: whether it succeeded. */
  private filtered(pgno: number, page: Buffer): boolean {
    if (this.pgin === null) return true
    try {
      this.pgin(this.cookie, pgno, page)
      return true
    } catch {
      return false
    }
  }

  /*
   * writeBehindOf -- write dirty victim `frame` together with its dirty neighbours (adjacent page
   * numbers, cached, unpinned) that sit in the cold half of the cache, in one vectored write, so
   * that the next evictions find clean victims. "Cold half" is read off the get clock: a page no
   * get has touched in the last maxcache/2 gets is in the colder half of the LRU order (those
   * gets touched at most maxcache/2 pages), and for the other policies it is the same
   * recency test. Same fault rules as sync: pages are clean only once whole on the file; on an
   * error the rest stay dirty and the eviction fails, the victim still cached.
   */
  private writeBehindOf(frame: number): void {
    const cold = this.pageget - this.maxcache / 2
    const pgno = this.map.pgnoOf[frame]
    const run = this.behindFrames
    let low = pgno
    while (pgno - low + 1 < run.length / 2 && this.behindable(low - 1, cold)) low--
    let n = 0
    for (let p = low; p < pgno; p++) run[n++] = this.table.get(p)
    run[n++] = frame
    for (let p = pgno + 1; n < run.length && this.behindable(p, cold); p++) run[n++] = this.table.get(p)
    this.writeRun(run, n, 'evict')
  }

  /* behindable -- whether page pgno may be written behind: cached, dirty, unpinned, untouched since `cold`. */
  private behindable(pgno: number, cold: number): boolean {
    if (pgno < 0 || pgno > MAX_PGNO) return false
    const frame = this.table.get(pgno)
    return frame !== EMPTY && this.dirty[frame] !== 0 && this.pins[frame] === 0 && this.lastUse[frame] < cold
  }

  /* writeOne -- the one page an eviction or a shrink writes: writeRun of one frame, with no array made. */
  private writeOne(frame: number, reason: 'evict' | 'shrink'): void {
    this.one[0] = frame
    this.writeRun(this.one, 1, reason)
  }

  /*
   * writeRun -- write `count` frames holding adjacent pages, frames[0] first: one plain write
   * for one page, one vectored write for more, going on after a short write until every byte
   * is down. A page is marked clean only when all of its bytes are written; on an error the
   * rest stay dirty and the error is thrown. The write event tells the pages that went down.
   */
  private writeRun(frames: ArrayLike<number>, count: number, reason: 'evict' | 'shrink' | 'sync'): void {
    const ps = this.pagesize
    const first = this.map.pgnoOf[frames[0]]
    const offset = first * ps
    const single = count === 1 ? this.outgoing(frames[0], true) : null
    const buffers = single === null ? Array.from({length: count}, (_, i) => this.outgoing(frames[i], false)) : null
    const total = count * ps
    let done = 0
    let clean = 0
    try {
      while (done < total) {
        const n = single !== null
          ? this.io.write(done === 0 ? single : single.subarray(done), offset + done)
          : this.io.writev(remainder(buffers!, Math.floor(done / ps), done % ps), offset + done)
        if (n <= 0) throw Object.assign(new Error(`the write stopped after ${done} of ${total} bytes`), {code: 'EIO'})
        done += n
        for (; clean < Math.floor(done / ps); clean++) {
          this.dirty[frames[clean]] = 0
          this.pagewrite++
        }
      }
    } catch (err) {
      const pgno = this.map.pgnoOf[frames[clean]]
      throw ioError(err, `writing page ${pgno} at offset ${pgno * ps} (it stays dirty in the cache; free space or fix the file, then sync again)`, pgno)
    } finally {
      if (clean > 0 && this.emit !== null) {
        this.emit({type: 'write', pgno: first, pages: clean, offset, bytes: clean * ps, reason})
      }
    }
  }

  /* outgoing -- the bytes to write for a frame: the page itself, or pgout's copy of it. */
  private outgoing(frame: number, alone: boolean): Buffer {
    if (this.pgout === null) return this.bytesOf(frame)
    const copy = alone ? this.scratch : Buffer.allocUnsafe(this.pagesize)
    this.bytesOf(frame).copy(copy)
    this.pgout(this.cookie, this.map.pgnoOf[frame], copy)
    return copy
  }
}

/* remainder -- the buffers still to write after a short vectored write stopped inside buffer `page`. */
function remainder(buffers: Buffer[], page: number, into: number): Buffer[] {
  const rest = buffers.slice(page)
  if (into > 0) rest[0] = rest[0].subarray(into)
  return rest
}
