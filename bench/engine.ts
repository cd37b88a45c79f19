/*
 * engine -- the engine's cases: the hit path, misses, sync, eviction, and memory.
 *
 * Each case times MPool through its public API (get, put, sync) against a plain baseline doing
 * the same work (bench/baselines.ts), in the same process, by the method in bench/lib.ts: time
 * per unit of work, ratio = ours / baseline, lower is better. Pages are 4 KiB, files are real
 * (made in os.tmpdir(), removed at the end). Every case but sync is timed in CPU time.
 *
 *   case            work                                              baseline
 *   hit             get+put, 1024 cached pages, random order          a Map + linked-list LRU (PlainLru)
 *   hit-large       get+put, 65536 cached pages (256 MiB), round-robin  the same on 1024 pages
 *   hit-large-rand  the same in random order                          the same on 1024 pages
 *   hit-large-rand-index  get+put, 65536 pages, random               a direct index over the same pages:
 *                                                                     pgno -> frame in an Int32Array, a pin
 *                                                                     counted and taken off in a frame array
 *   table-large-rand  only the page table's lookups (PageTable.get)   the same direct index: what hashing
 *                   over the same keys, 65536 pages                   and chasing a chain cost past the caches
 *   index-large-rand  the direct index, 65536 pages, random            the same on 1024 pages: what a random
 *                                                                     access to 256 KiB of frame numbers costs
 *   miss-seq        maxcache 64, each page of a warm 256 MiB file in order  readSync of each page into one buffer
 *   miss-rand       the same in a random permutation                  the same loop, same order
 *   miss-seq-readahead  miss-seq with readahead 16                    the per-page readSync loop (target: 0.5)
 *   miss-rand-readahead miss-rand with readahead 16                   the same pool without read-ahead (1.05:
 *                                                                     read-ahead costs nothing where it cannot help)
 *   sync            sync() of 16384 dirty pages (wall clock)          one writev per run of adjacent pages
 *                                                                     (1024 at most), then fsync (target 1.15)
 *   sync-writesync  the same                                          writeSync per page, then fsync (0.8)
 *   sync-journal    the same sync with a journal (journal.ts: the pages  the same sync without one (no target: what
 *                   written and flushed first, then in place, retired)   crash safety costs, followed turn to turn)
 *   evict           maxcache 256 over 4096 pages, random gets, 30 % put dirty
 *                                                                     the pool's own reads and writes replayed
 *                                                                     bare, into and from its frames
 *   evict-1buf      the same                                          the same calls through one buffer (no target)
 *   evict-seq-behind  maxcache 256 over 4096 pages, ascending gets, 30 % put dirty, with readahead 16 and
 *                   write-behind                                      the same pool with neither (target: 0.6)
 *   rss             peak RSS of a child with 65536 pages cached       a child holding the same bytes in one Buffer
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import {fileURLToPath} from 'node:url'
import {FileJournal, journalPathOf, MPool, MPOOL_DIRTY} from '../src/pool/index.js'
import {PageTable} from '../src/pool/page-table.js'
import {PlainLru, RecordingIO, replayIo} from './baselines.js'
import {
  type BenchRow,
  compare,
  log,
  makePageFile,
  median,
  PAGESIZE,
  type PageFile,
  permutation,
  randomPgnos,
  roundRobinPgnos,
  row,
  warmFile,
} from './lib.js'

const HIT_PAGES = 1024
const LARGE_PAGES = 65536
const HIT_OPS = 1 << 20 // get+put pairs per timed run
const MISS_CACHE = 64
const MISS_SLICES = 4
const SYNC_PAGES = 16384
const EVICT_PAGES = 4096
const EVICT_CACHE = 256
const EVICT_OPS = 20000
const EVICT_DIRTY = 0.3
const READAHEAD = 16
/** hit-large-rand's target against the hit path on 1024 pages: see README, Benchmark */
const HIT_LARGE_RAND_TARGET = 8
/** pages per writev in the sync floor: Linux's IOV_MAX, the pool's own limit */
const SYNC_RUN = 1024

/** The engine's case names, in the order they run. */
export const ENGINE_CASES = [
  'hit', 'hit-large', 'hit-large-rand', 'hit-large-rand-index', 'table-large-rand', 'index-large-rand', 'miss-seq', 'miss-rand', 'miss-seq-readahead', 'miss-rand-readahead',
  'sync', 'sync-writesync', 'sync-journal', 'evict', 'evict-1buf', 'evict-seq-behind', 'rss',
] as const
export type EngineCase = (typeof ENGINE_CASES)[number]

/** Files shared by several cases, made the first time one needs them and removed at the end. */
class Files {
  private readonly made = new Map<string, PageFile>()

  get(pages: number, label: string): PageFile {
    let file = this.made.get(label)
    if (file === undefined) {
      log(`  making ${label}.db: ${pages} pages (${(pages * PAGESIZE) / 2 ** 20} MiB) in ${os.tmpdir()}`)
      file = makePageFile(pages, PAGESIZE, label)
      this.made.set(label, file)
    }
    return file
  }

  removeAll(): void {
    for (const file of this.made.values()) file.remove()
    this.made.clear()
  }
}

/** openFilled -- a pool over `file` with every page cached and unpinned (read in page order). */
function openFilled(file: PageFile, pages: number, maxcache: number): MPool {
  const pool = MPool.open(null, file.fd, PAGESIZE, maxcache)
  for (let pgno = 0; pgno < pages; pgno++) pool.put(pool.get(pgno))
  return pool
}

/*
 * The timed loops: get each page of `order`, put it back clean. One function per use, the
 * same text in each, so that V8's type feedback and inlining for one case never depend on
 * which cases ran before it (hit-large's two sides get one each, for the same reason).
 */
function hitLoop(pool: MPool, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    pool.put(page)
  }
}

function largeLoop(pool: MPool, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    pool.put(page)
  }
}

function smallLoop(pool: MPool, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    pool.put(page)
  }
}

function missLoop(pool: MPool, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    pool.put(page)
  }
}

/** missAheadLoop -- missLoop for a pool that reads ahead (its own copy: its own type feedback). */
function missAheadLoop(pool: MPool, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    pool.put(page)
  }
}

function plainGetPut(lru: PlainLru, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = lru.get(order[i])
    lru.put(page)
  }
}

function readEach(fd: number, order: Int32Array, buffer: Buffer): void {
  for (let i = 0; i < order.length; i++) fs.readSync(fd, buffer, 0, PAGESIZE, order[i] * PAGESIZE)
}

function caseHit(files: Files): BenchRow {
  const file = files.get(HIT_PAGES, 'hit')
  const pool = openFilled(file, HIT_PAGES, HIT_PAGES)
  const lru = new PlainLru()
  for (let pgno = 0; pgno < HIT_PAGES; pgno++) {
    const page = Buffer.alloc(PAGESIZE)
    fs.readSync(file.fd, page, 0, PAGESIZE, pgno * PAGESIZE)
    lru.load(pgno, page)
  }
  const order = randomPgnos(HIT_OPS, HIT_PAGES, 1)
  const t = compare({run: () => hitLoop(pool, order)}, {run: () => plainGetPut(lru, order)}, {warmup: 3, reps: 9, clock: 'cpu'})
  pool.close()
  return row('hit', 'ns/op', t.ours / HIT_OPS, t.baseline / HIT_OPS, 1.1)
}

/**
 * hitLarge -- our hit path on 65536 cached pages against the same on 1024 pages, in one order
 * kind for both: round-robin (the target: does the hit cost stay flat as the pool grows?) or
 * random (for the record: past the CPU caches every hit waits for memory, whatever the code).
 */
function hitLarge(files: Files, name: string, kind: 'round-robin' | 'random', target?: number): BenchRow {
  const small = files.get(HIT_PAGES, 'hit')
  const large = files.get(LARGE_PAGES, 'large')
  const smallPool = openFilled(small, HIT_PAGES, HIT_PAGES)
  const largePool = openFilled(large, LARGE_PAGES, LARGE_PAGES)
  const orderOf = (pages: number): Int32Array => (kind === 'random' ? randomPgnos(HIT_OPS, pages, 2) : roundRobinPgnos(HIT_OPS, pages))
  const smallOrder = orderOf(HIT_PAGES)
  const largeOrder = orderOf(LARGE_PAGES)
  const t = compare({run: () => largeLoop(largePool, largeOrder)}, {run: () => smallLoop(smallPool, smallOrder)}, {warmup: 2, reps: 7, clock: 'cpu'})
  largePool.close()
  smallPool.close()
  return row(name, 'ns/op', t.ours / HIT_OPS, t.baseline / HIT_OPS, target)
}

function caseMiss(files: Files, name: 'miss-seq' | 'miss-rand'): BenchRow {
  // Timed a quarter of the order at a time (about 15 ms), many times: short alternating runs
  // see the same neighbours, so the medians compare like with like on a busy machine.
  const {file, slices} = missSlices(files, name === 'miss-seq' ? 'seq' : 'rand')
  const pool = MPool.open(null, file.fd, PAGESIZE, MISS_CACHE)
  const buffer = Buffer.alloc(PAGESIZE)
  let oursNext = 0
  let baselineNext = 0
  const t = compare(
    {run: () => missLoop(pool, slices[oursNext++ % MISS_SLICES])},
    {run: () => readEach(file.fd, slices[baselineNext++ % MISS_SLICES], buffer)},
    {warmup: MISS_SLICES, reps: 6 * MISS_SLICES, clock: 'cpu'},
  )
  const {cachemiss, pageget} = pool.stats()
  pool.close()
  if (cachemiss < pageget * 0.99) throw new Error(`${name}: expected nearly every get to miss, saw ${cachemiss} of ${pageget}`)
  const perSlice = LARGE_PAGES / MISS_SLICES
  return row(name, 'ns/page', t.ours / perSlice, t.baseline / perSlice, 1.1)
}

/** missSlices -- the large file warmed, and an order over it (a scan or a permutation) cut in MISS_SLICES slices. */
function missSlices(files: Files, kind: 'seq' | 'rand'): {file: PageFile; slices: Int32Array[]} {
  const file = files.get(LARGE_PAGES, 'large')
  warmFile(file.fd, LARGE_PAGES * PAGESIZE)
  const order = kind === 'seq' ? roundRobinPgnos(LARGE_PAGES, LARGE_PAGES) : permutation(LARGE_PAGES, 3)
  return {file, slices: Array.from({length: MISS_SLICES}, (_, k) => order.subarray((k * LARGE_PAGES) / MISS_SLICES, ((k + 1) * LARGE_PAGES) / MISS_SLICES))}
}

/*
 * caseMissAhead -- miss-seq and miss-rand with read-ahead 16. The scan is timed against the
 * per-page readSync floor (the target is half of it: fewer calls than any per-page pool makes);
 * the random order against the same pool without read-ahead, since no read can be saved there
 * and the case checks that looking for a run costs nothing.
 */
function caseMissAhead(files: Files, name: 'miss-seq-readahead' | 'miss-rand-readahead'): BenchRow {
  const {file, slices} = missSlices(files, name === 'miss-seq-readahead' ? 'seq' : 'rand')
  const pool = MPool.open(null, file.fd, PAGESIZE, MISS_CACHE, {readahead: READAHEAD})
  const perSlice = LARGE_PAGES / MISS_SLICES
  let oursNext = 0
  let baselineNext = 0
  const ours = {run: () => missAheadLoop(pool, slices[oursNext++ % MISS_SLICES])}
  const options = {warmup: MISS_SLICES, reps: 6 * MISS_SLICES, clock: 'cpu' as const}
  let t: {ours: number; baseline: number}
  if (name === 'miss-seq-readahead') {
    const buffer = Buffer.alloc(PAGESIZE)
    t = compare(ours, {run: () => readEach(file.fd, slices[baselineNext++ % MISS_SLICES], buffer)}, options)
  } else {
    const plain = MPool.open(null, file.fd, PAGESIZE, MISS_CACHE)
    t = compare(ours, {run: () => missLoop(plain, slices[baselineNext++ % MISS_SLICES])}, options)
    plain.close()
  }
  const {prefetch, pageread, pageget} = pool.stats()
  pool.close()
  if (name === 'miss-seq-readahead' && pageread > pageget / 8) throw new Error(`${name}: expected read-ahead to save reads, saw ${pageread} reads for ${pageget} gets`)
  log(`  ${name}: ${pageget} gets, ${pageread} reads, ${prefetch} pages read ahead`)
  return row(name, 'ns/page', t.ours / perSlice, t.baseline / perSlice, name === 'miss-seq-readahead' ? 0.5 : 1.05)
}

/*
 * caseSync -- sync() of SYNC_PAGES dirty pages, wall clock, against one of two floors on the
 * same file: `sync` against the fair one, one writev per run of adjacent pages (at most
 * IOV_MAX = 1024 buffers, as the pool writes them) then fsync; `sync-writesync` against one
 * writeSync per page then fsync, the floor of a pool that writes page by page.
 */
function caseSync(files: Files, name: 'sync' | 'sync-writesync'): BenchRow {
  const file = files.get(SYNC_PAGES, 'sync')
  const pool = MPool.open(null, file.fd, PAGESIZE, SYNC_PAGES)
  const arena = Buffer.alloc(SYNC_PAGES * PAGESIZE)
  const pages = Array.from({length: SYNC_PAGES}, (_, pgno) => arena.subarray(pgno * PAGESIZE, (pgno + 1) * PAGESIZE))
  let stamp = 0
  const dirtyAll = (): void => {
    stamp++
    for (let pgno = 0; pgno < SYNC_PAGES; pgno++) {
      const page = pool.get(pgno)
      page[8] = stamp
      pool.put(page, MPOOL_DIRTY)
    }
  }
  const writeEach = (): void => {
    for (let pgno = 0; pgno < SYNC_PAGES; pgno++) fs.writeSync(file.fd, arena, pgno * PAGESIZE, PAGESIZE, pgno * PAGESIZE)
    fs.fsyncSync(file.fd)
  }
  const writevRuns = (): void => {
    for (let first = 0; first < SYNC_PAGES; first += SYNC_RUN) {
      const run = pages.slice(first, Math.min(first + SYNC_RUN, SYNC_PAGES))
      const bytes = run.length * PAGESIZE
      let done = fs.writevSync(file.fd, run, first * PAGESIZE)
      if (done !== bytes) done += fs.writeSync(file.fd, arena, first * PAGESIZE + done, bytes - done, first * PAGESIZE + done)
    }
    fs.fsyncSync(file.fd)
  }
  const t = compare(
    {setup: dirtyAll, run: () => pool.sync()},
    {setup: () => arena.fill(++stamp & 0xff), run: name === 'sync' ? writevRuns : writeEach},
    {warmup: 1, reps: name === 'sync' ? 9 : 5, clock: 'wall'},
  )
  pool.close()
  return row(name, 'ms', t.ours / 1e6, t.baseline / 1e6, name === 'sync' ? 1.15 : 0.8)
}

/** caseSyncJournal -- sync of SYNC_PAGES dirty pages with a journal against the same without, two files, wall clock. */
function caseSyncJournal(files: Files): BenchRow {
  const plainFile = files.get(SYNC_PAGES, 'sync')
  const journalledFile = files.get(SYNC_PAGES, 'sync-journal')
  const journal = new FileJournal(journalPathOf(journalledFile.path))
  const journalled = MPool.open(null, journalledFile.fd, PAGESIZE, SYNC_PAGES, {journal})
  const plain = MPool.open(null, plainFile.fd, PAGESIZE, SYNC_PAGES)
  let stamp = 0
  const dirtyAll = (pool: MPool): void => {
    stamp++
    for (let pgno = 0; pgno < SYNC_PAGES; pgno++) {
      const page = pool.get(pgno)
      page[8] = stamp
      pool.put(page, MPOOL_DIRTY)
    }
  }
  const t = compare(
    {setup: () => dirtyAll(journalled), run: () => journalled.sync()},
    {setup: () => dirtyAll(plain), run: () => plain.sync()},
    {warmup: 1, reps: 5, clock: 'wall'},
  )
  journalled.close()
  plain.close()
  journal.remove()
  return row('sync-journal', 'ms', t.ours / 1e6, t.baseline / 1e6)
}

/** evictLoop -- the evict case's accesses: get, dirty 30 % of them (one byte), put. */
function evictLoop(pool: MPool, order: Int32Array, dirty: Uint8Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    if (dirty[i] !== 0) page[8] = i & 0xff
    pool.put(page, dirty[i])
  }
}

/** evictProbe -- evictLoop again, for the recording pool, so that the timed loop's type feedback is its own. */
function evictProbe(pool: MPool, order: Int32Array, dirty: Uint8Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    if (dirty[i] !== 0) page[8] = i & 0xff
    pool.put(page, dirty[i])
  }
}

/*
 * caseEvict -- a pool kept open across runs, in its steady state: after one run from empty,
 * every run of the same accesses starts from the same cache (with 256 frames, no page stays
 * cached through 20000 random gets) and so makes the same reads and writes. A probe pool on a
 * recording PageIO makes that steady run once untimed; the baseline replays its calls bare.
 * The timed pool's counters check afterwards that it made exactly those reads and writes.
 *
 * The replay uses the buffers the pool used: the same calls on the same memory, so the ratio
 * is what the pool's bookkeeping costs. `evict-1buf` replays through one buffer instead, which
 * stays in the CPU's first-level cache, as no cache of 256 pages can: the difference between
 * the two baselines is what holding pages in 256 frames costs (about 13 % here).
 */
function caseEvict(files: Files, name: 'evict' | 'evict-1buf'): BenchRow {
  const file = files.get(EVICT_PAGES, 'evict')
  const order = randomPgnos(EVICT_OPS, EVICT_PAGES, 4)
  const dirty = new Uint8Array(EVICT_OPS)
  const coin = randomPgnos(EVICT_OPS, 1000, 5)
  for (let i = 0; i < EVICT_OPS; i++) dirty[i] = coin[i] < EVICT_DIRTY * 1000 ? MPOOL_DIRTY : 0

  const recorder = new RecordingIO(file.fd)
  const probe = MPool.open(null, file.fd, PAGESIZE, EVICT_CACHE, {io: recorder})
  evictProbe(probe, order, dirty) // from empty: not the steady state
  recorder.calls.length = 0
  const before = probe.stats()
  evictProbe(probe, order, dirty)
  const reads = probe.stats().pageread - before.pageread
  const writes = probe.stats().pagewrite - before.pagewrite
  probe.close()
  const calls = recorder.calls

  const pool = MPool.open(null, file.fd, PAGESIZE, EVICT_CACHE)
  evictLoop(pool, order, dirty) // untimed, from empty
  const start = pool.stats()
  const buffer = Buffer.alloc(PAGESIZE)
  const warmup = 2
  const reps = 15
  const one = name === 'evict-1buf' ? buffer : undefined
  const t = compare({run: () => evictLoop(pool, order, dirty)}, {run: () => replayIo(file.fd, calls, one)}, {warmup, reps, clock: 'cpu'})
  const end = pool.stats()
  pool.close()
  const runs = warmup + reps
  if (end.pageread - start.pageread !== runs * reads || end.pagewrite - start.pagewrite !== runs * writes) {
    throw new Error(`evict: the timed pool did not repeat the recorded I/O (${reads} reads and ${writes} writes a run)`)
  }
  log(`  ${name}: ${EVICT_OPS} gets make ${reads} reads and ${writes} writes a run`)
  return row(name, 'ns/get', t.ours / EVICT_OPS, t.baseline / EVICT_OPS, name === 'evict' ? 1.1 : undefined)
}

/** evictSeqLoop -- evict-seq's accesses: an ascending scan, 30 % of the pages dirtied (one byte) and put dirty. */
function evictSeqLoop(pool: MPool, order: Int32Array, dirty: Uint8Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    if (dirty[i] !== 0) page[8] = i & 0xff
    pool.put(page, dirty[i])
  }
}

/** evictSeqTuned -- evictSeqLoop for the pool that reads ahead and writes behind (its own type feedback). */
function evictSeqTuned(pool: MPool, order: Int32Array, dirty: Uint8Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    if (dirty[i] !== 0) page[8] = i & 0xff
    pool.put(page, dirty[i])
  }
}

/*
 * caseEvictSeq -- eviction churn over an ascending scan (4096 pages through 256 frames, 30 %
 * dirty): read-ahead 16 and write-behind against the same pool with neither, each on a file of
 * its own, both kept open in their steady state. Wall clock: the writes are the point.
 */
function caseEvictSeq(files: Files): BenchRow {
  const order = roundRobinPgnos(EVICT_OPS, EVICT_PAGES)
  const dirty = new Uint8Array(EVICT_OPS)
  const coin = randomPgnos(EVICT_OPS, 1000, 6)
  for (let i = 0; i < EVICT_OPS; i++) dirty[i] = coin[i] < EVICT_DIRTY * 1000 ? MPOOL_DIRTY : 0
  const tunedFile = files.get(EVICT_PAGES, 'evict-seq-tuned')
  const plainFile = files.get(EVICT_PAGES, 'evict-seq-plain')
  const tuned = MPool.open(null, tunedFile.fd, PAGESIZE, EVICT_CACHE, {readahead: READAHEAD, writeBehind: true})
  const plain = MPool.open(null, plainFile.fd, PAGESIZE, EVICT_CACHE)
  evictSeqTuned(tuned, order, dirty) // from empty: not the steady state
  evictSeqLoop(plain, order, dirty)
  const t = compare({run: () => evictSeqTuned(tuned, order, dirty)}, {run: () => evictSeqLoop(plain, order, dirty)}, {warmup: 2, reps: 11, clock: 'cpu'})
  const a = tuned.stats()
  const b = plain.stats()
  tuned.close()
  plain.close()
  log(`  evict-seq-behind: tuned ${a.pageread} reads (${a.prefetch} pages ahead), ${a.pagewrite} pages written; plain ${b.pageread} reads, ${b.pagewrite} pages written`)
  return row('evict-seq-behind', 'ns/get', t.ours / EVICT_OPS, t.baseline / EVICT_OPS, 0.6)
}

/*
 * The lookup cases: where hit-large-rand's time goes. A random get over 65536 pages misses the
 * CPU's caches whatever the code; these rows split the cost into the page table's hash and chain
 * walk (table-large-rand) and the floor any pool pays to find a frame and count a pin
 * (hit-large-rand-index's baseline, a direct index: pgno -> frame in an Int32Array, then a pin
 * up and down in an Int32Array of frames), both over the same seeded keys as hit-large-rand.
 */
function indexLoop(index: Int32Array, pins: Int32Array, order: Int32Array): number {
  let sum = 0
  for (let i = 0; i < order.length; i++) {
    const frame = index[order[i]]
    pins[frame]++
    sum += frame
    pins[frame]--
  }
  return sum
}

function tableLoop(table: PageTable, order: Int32Array): number {
  let sum = 0
  for (let i = 0; i < order.length; i++) sum += table.get(order[i])
  return sum
}

function randLargeLoop(pool: MPool, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) {
    const page = pool.get(order[i])
    pool.put(page)
  }
}

/** directIndex -- pgno -> frame for `pages` pages, frames in a seeded random order (as a pool fills them). */
function directIndex(pages: number): Int32Array {
  return permutation(pages, 7)
}

function lookupLarge(files: Files, name: 'hit-large-rand-index' | 'table-large-rand' | 'index-large-rand'): BenchRow {
  const order = randomPgnos(HIT_OPS, LARGE_PAGES, 2) // hit-large-rand's keys
  const index = directIndex(LARGE_PAGES)
  const pins = new Int32Array(LARGE_PAGES)
  const options = {warmup: 2, reps: 7, clock: 'cpu' as const}
  let t: {ours: number; baseline: number}
  if (name === 'hit-large-rand-index') {
    const pool = openFilled(files.get(LARGE_PAGES, 'large'), LARGE_PAGES, LARGE_PAGES)
    t = compare({run: () => randLargeLoop(pool, order)}, {run: () => indexLoop(index, pins, order)}, options)
    pool.close()
  } else if (name === 'table-large-rand') {
    const table = new PageTable(LARGE_PAGES)
    for (let pgno = 0; pgno < LARGE_PAGES; pgno++) table.add(pgno, index[pgno])
    if (tableLoop(table, order) !== indexLoop(index, pins, order)) throw new Error('table-large-rand: the table and the index disagree')
    t = compare({run: () => tableLoop(table, order)}, {run: () => indexLoop(index, pins, order)}, options)
  } else {
    const smallIndex = directIndex(HIT_PAGES)
    const smallPins = new Int32Array(HIT_PAGES)
    const smallOrder = randomPgnos(HIT_OPS, HIT_PAGES, 2)
    t = compare({run: () => indexLoop(index, pins, order)}, {run: () => indexLoop(smallIndex, smallPins, smallOrder)}, options)
  }
  return row(name, 'ns/op', t.ours / HIT_OPS, t.baseline / HIT_OPS)
}

/** rssOf -- the peak RSS in MiB of a child that fills a pool (`ours`) or one Buffer (`baseline`) from the file. */
function rssOf(mode: 'ours' | 'baseline', file: PageFile): number {
  const child = fileURLToPath(new URL('./rss-child.ts', import.meta.url))
  const result = spawnSync(process.execPath, [...process.execArgv, child, mode, file.path, String(LARGE_PAGES)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  if (result.status !== 0) throw new Error(`rss child (${mode}) exited with ${result.status ?? result.signal}`)
  return (JSON.parse(result.stdout) as {maxRssKiB: number}).maxRssKiB / 1024
}

function caseRss(files: Files): BenchRow {
  const file = files.get(LARGE_PAGES, 'large')
  const ours: number[] = []
  const baseline: number[] = []
  for (let i = 0; i < 3; i++) {
    ours.push(rssOf('ours', file))
    baseline.push(rssOf('baseline', file))
  }
  return row('rss', 'MiB', median(ours), median(baseline))
}

const RUNNERS: Record<EngineCase, (files: Files) => BenchRow> = {
  hit: caseHit,
  'hit-large': (files) => hitLarge(files, 'hit-large', 'round-robin', 1.2),
  'hit-large-rand': (files) => hitLarge(files, 'hit-large-rand', 'random', HIT_LARGE_RAND_TARGET),
  'hit-large-rand-index': (files) => lookupLarge(files, 'hit-large-rand-index'),
  'table-large-rand': (files) => lookupLarge(files, 'table-large-rand'),
  'index-large-rand': (files) => lookupLarge(files, 'index-large-rand'),
  'miss-seq': (files) => caseMiss(files, 'miss-seq'),
  'miss-rand': (files) => caseMiss(files, 'miss-rand'),
  'miss-seq-readahead': (files) => caseMissAhead(files, 'miss-seq-readahead'),
  'miss-rand-readahead': (files) => caseMissAhead(files, 'miss-rand-readahead'),
  sync: (files) => caseSync(files, 'sync'),
  'sync-writesync': (files) => caseSync(files, 'sync-writesync'),
  'sync-journal': caseSyncJournal,
  evict: (files) => caseEvict(files, 'evict'),
  'evict-1buf': (files) => caseEvict(files, 'evict-1buf'),
  'evict-seq-behind': caseEvictSeq,
  rss: caseRss,
}

/**
 * benchEngine -- run the engine cases named in `only` (all of them when it is empty or absent),
 * in the documented order; progress goes to stderr. Every file made is removed, even on error,
 * and on SIGINT or SIGTERM, which are heard between cases (a case runs a few seconds at most).
 */
export async function benchEngine(only?: readonly string[]): Promise<BenchRow[]> {
  const files = new Files()
  const rows: BenchRow[] = []
  const stop = (signal: NodeJS.Signals): void => {
    files.removeAll()
    log(`engine: stopped by ${signal}; its files are removed`)
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  try {
    for (const name of ENGINE_CASES) {
      if (only !== undefined && only.length > 0 && !only.includes(name)) continue
      await new Promise((resolve) => setImmediate(resolve)) // let a pending signal in
      log(`engine: ${name}`)
      const started = Date.now()
      const result = RUNNERS[name](files)
      log(`  ${name}: ${result.ours} vs ${result.baseline} ${result.unit}, ratio ${result.ratio} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
      rows.push(result)
    }
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    files.removeAll()
  }
  return rows
}
