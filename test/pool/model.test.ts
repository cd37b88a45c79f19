/*
 * MPool against a plain reference model, on random command sequences (fast-check, seeded).
 *
 * The model is written to be obviously right rather than fast: the cache is an array of
 * {pgno, bytes, pins, dirty} in LRU order (least recent first), the file is one Buffer. It
 * follows the contract in DESIGN.md step by step, counters included (BSD's nine, counted as
 * mpool.c counts them: a failed get still counts as a get and a miss). After every command the
 * test compares the pool with the model: the error (or none), stats(), frames() in order, every
 * page's bytes (peek), and the file on disk byte for byte. Small pages and a maxcache of 1 to 4
 * make eviction, overcommit and give-back happen all the time.
 *
 * Invariants checked besides the model (they hold whatever the model says):
 *  - cached ≤ max(maxcache, the most pages ever pinned at once): the pool grows only when every
 *    frame is pinned, so past maxcache it never holds more pages than were pinned together;
 *  - under hardLimit, cached ≤ maxcache;
 *  - over maxcache, every cached page is pinned or dirty: the put that unpins a clean page, and
 *    the sync that cleans dirty ones, give back frames until the limit (a dirty page waits for
 *    sync or a miss, since put does no I/O), and nothing else makes an unpinned clean page;
 *  - so right after a sync, cached ≤ max(maxcache, pinned).
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import fc from 'fast-check'
import {MPool, MPOOL_DIRTY, MPoolError} from '../../src/pool/index.js'
import {TmpDir} from '../helpers/tmp.js'

type Op =
  | {op: 'get'; pick: number}
  | {op: 'new'}
  | {op: 'put'; pick: number; aimed: boolean; dirty: boolean; write: number | null; byBuffer: boolean}
  | {op: 'write'; pick: number; seed: number}
  | {op: 'delete'; pick: number; aimed: boolean}
  | {op: 'sync'}
  | {op: 'reopen'}

interface Entry {
  pgno: number
  bytes: Buffer
  pins: number
  dirty: boolean
}

/** pattern -- `length` pseudo-random bytes from `seed` (an LCG: cheap, deterministic, not all equal). */
function pattern(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length)
  let x = (seed >>> 0) || 1
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/** The reference model: what the pool and the file should hold. */
class Model {
  cache: Entry[] = [] // LRU order: the next victim first
  file: Buffer
  npages: number
  frames = 0
  peakPinned = 0
  counters = {cachehit: 0, cachemiss: 0, pagealloc: 0, pageflush: 0, pageget: 0, pagenew: 0, pageput: 0, pageread: 0, pagewrite: 0}

  constructor(readonly ps: number, readonly mc: number, readonly hard: boolean, file: Buffer) {
    this.file = Buffer.from(file)
    this.npages = Math.floor(file.length / ps)
  }

  /** reopen -- the state of a pool freshly opened on the same file. */
  reopen(): void {
    this.cache = []
    this.npages = Math.floor(this.file.length / this.ps)
    this.frames = 0
    for (const k of Object.keys(this.counters) as Array<keyof Model['counters']>) this.counters[k] = 0
  }

  entry(pgno: number): Entry | undefined {
    return this.cache.find((e) => e.pgno === pgno)
  }

  pinnedPages(): number[] {
    return this.cache.filter((e) => e.pins > 0).map((e) => e.pgno).sort((a, b) => a - b)
  }

  fileRead(pgno: number): Buffer {
    const out = Buffer.alloc(this.ps)
    if (pgno * this.ps < this.file.length) this.file.copy(out, 0, pgno * this.ps, Math.min(this.file.length, (pgno + 1) * this.ps))
    return out
  }

  fileWrite(entry: Entry): void {
    const end = (entry.pgno + 1) * this.ps
    if (this.file.length < end) this.file = Buffer.concat([this.file, Buffer.alloc(end - this.file.length)])
    entry.bytes.copy(this.file, entry.pgno * this.ps)
    entry.dirty = false
    this.counters.pagewrite++
  }

  remove(entry: Entry): void {
    this.cache.splice(this.cache.indexOf(entry), 1)
  }

  /** takeFrame -- room for one more page, or 'EBUSY'. */
  takeFrame(): 'EBUSY' | null {
    if (this.cache.length >= this.mc) {
      const victim = this.cache.find((e) => e.pins === 0)
      if (victim !== undefined) {
        if (victim.dirty) this.fileWrite(victim)
        this.counters.pageflush++
        this.remove(victim)
        return null // its frame is reused
      }
      if (this.hard) return 'EBUSY'
    }
    if (this.cache.length === this.frames) {
      this.frames++
      this.counters.pagealloc++
    }
    return null
  }

  admit(entry: Entry): void {
    this.cache.push(entry)
    this.peakPinned = Math.max(this.peakPinned, this.pinnedPages().length)
  }

  /** giveBack -- over maxcache, drop the least recent pages neither pinned nor dirty (put does no I/O). */
  giveBack(): void {
    while (this.cache.length > this.mc) {
      const victim = this.cache.find((e) => e.pins === 0 && !e.dirty)
      if (victim === undefined) return
      this.counters.pageflush++
      this.remove(victim)
    }
  }

  get(pgno: number): string | null {
    if (pgno >= this.npages) return 'EINVAL'
    this.counters.pageget++
    const hit = this.entry(pgno)
    if (hit !== undefined) {
      this.counters.cachehit++
      this.remove(hit)
      this.cache.push(hit)
      hit.pins++
      this.peakPinned = Math.max(this.peakPinned, this.pinnedPages().length)
      return null
    }
    this.counters.cachemiss++
    const busy = this.takeFrame()
    if (busy !== null) return busy
    this.counters.pageread++
    this.admit({pgno, bytes: this.fileRead(pgno), pins: 1, dirty: false})
    return null
  }

  new(): string | null {
    this.counters.pagenew++
    const busy = this.takeFrame()
    if (busy !== null) return busy
    this.admit({pgno: this.npages++, bytes: Buffer.alloc(this.ps), pins: 1, dirty: false})
    return null
  }

  put(pgno: number, dirty: boolean): string | null {
    const entry = this.entry(pgno)
    if (entry === undefined || entry.pins === 0) return 'EINVAL'
    this.counters.pageput++
    entry.pins--
    entry.dirty ||= dirty
    if (entry.pins === 0 && this.cache.length > this.mc) this.giveBack()
    return null
  }

  delete(pgno: number): string | null {
    const entry = this.entry(pgno)
    if (entry === undefined || entry.pins === 0) return 'EINVAL'
    if (entry.pins > 1) return 'EBUSY'
    this.remove(entry)
    return null
  }

  sync(): number {
    const dirty = this.cache.filter((e) => e.dirty).sort((a, b) => a.pgno - b.pgno)
    for (const entry of dirty) this.fileWrite(entry)
    if (this.cache.length > this.mc) this.giveBack()
    return dirty.length
  }

  close(): {dirty: number[]; pinned: number[]} {
    return {
      dirty: this.cache.filter((e) => e.dirty).map((e) => e.pgno).sort((a, b) => a - b),
      pinned: this.pinnedPages(),
    }
  }
}

/** codeOf -- the MPoolError code `fn` threw, or null; anything else thrown fails the test. */
function codeOf(fn: () => void): string | null {
  try {
    fn()
    return null
  } catch (err) {
    if (err instanceof MPoolError) return err.code
    throw err
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {weight: 6, arbitrary: fc.record({op: fc.constant('get' as const), pick: fc.nat(99)})},
  {weight: 2, arbitrary: fc.constant({op: 'new' as const})},
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('put' as const),
      pick: fc.nat(99),
      aimed: fc.nat(3).map((n) => n > 0), // mostly a pinned page, sometimes any page
      dirty: fc.boolean(),
      write: fc.option(fc.nat(), {freq: 2}),
      byBuffer: fc.boolean(),
    }),
  },
  {weight: 1, arbitrary: fc.record({op: fc.constant('write' as const), pick: fc.nat(99), seed: fc.nat()})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('delete' as const), pick: fc.nat(99), aimed: fc.boolean()})},
  {weight: 1, arbitrary: fc.constant({op: 'sync' as const})},
  {weight: 1, arbitrary: fc.constant({op: 'reopen' as const})},
)

const caseArb = fc.record({
  pagesize: fc.constantFrom(16, 32, 64),
  maxcache: fc.integer({min: 1, max: 4}),
  initialPages: fc.integer({min: 0, max: 6}),
  seed: fc.nat(),
  ops: fc.array(opArb, {minLength: 10, maxLength: 100, size: 'max'}),
})

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never

describe('MPool against a reference model', () => {
  let tmp: TmpDir

  before(() => {
    tmp = new TmpDir()
  })

  after(() => {
    tmp.cleanup()
  })

  function run(hardLimit: boolean, c: Case): void {
    const {pagesize: ps, maxcache: mc} = c
    const file = tmp.file(pattern(c.seed, c.initialPages * ps))
    const fd = tmp.open(file)
    const model = new Model(ps, mc, hardLimit, fs.readFileSync(file))
    let pool = MPool.open(null, fd, ps, mc, {hardLimit})
    const buffers = new Map<number, Buffer>() // the Buffer get/new last returned for a page: valid while pinned
    try {
      for (const [step, op] of c.ops.entries()) {
        const where = `step ${step} ${JSON.stringify(op)}`
        const pinned = model.pinnedPages()
        const target = (pick: number, aimed: boolean) =>
          aimed && pinned.length > 0 ? pinned[pick % pinned.length] : pick % (model.npages + 2)
        let expected: string | null = null
        let actual: string | null = null
        let synced = false
        switch (op.op) {
          case 'get': {
            const pgno = op.pick % (model.npages + 1) // one in npages+1 is past the end
            expected = model.get(pgno)
            actual = codeOf(() => buffers.set(pgno, pool.get(pgno)))
            break
          }
          case 'new': {
            const npages = model.npages
            expected = model.new()
            actual = codeOf(() => {
              const {pgno, page} = pool.new()
              assert.equal(pgno, npages, where)
              buffers.set(pgno, page)
            })
            break
          }
          case 'write': {
            if (pinned.length === 0) continue
            const pgno = pinned[op.pick % pinned.length]
            const bytes = pattern(op.seed, ps)
            bytes.copy(model.entry(pgno)!.bytes)
            bytes.copy(buffers.get(pgno)!)
            break
          }
          case 'put': {
            const pgno = target(op.pick, op.aimed)
            const entry = model.entry(pgno)
            const valid = entry !== undefined && entry.pins > 0
            if (valid && op.write !== null) {
              const bytes = pattern(op.write, ps)
              bytes.copy(entry.bytes)
              bytes.copy(buffers.get(pgno)!)
            }
            const page = valid && op.byBuffer ? buffers.get(pgno)! : pgno
            expected = model.put(pgno, op.dirty)
            actual = codeOf(() => pool.put(page, op.dirty ? MPOOL_DIRTY : 0))
            break
          }
          case 'delete': {
            const pgno = target(op.pick, op.aimed)
            expected = model.delete(pgno)
            actual = codeOf(() => pool.delete(pgno))
            break
          }
          case 'sync': {
            const count = model.sync()
            let written = -1
            actual = codeOf(() => {
              written = pool.sync()
            })
            assert.equal(written, count, where)
            synced = true
            break
          }
          case 'reopen': {
            assert.deepEqual(pool.close(), model.close(), where)
            model.reopen()
            buffers.clear()
            pool = MPool.open(null, fd, ps, mc, {hardLimit})
            break
          }
        }
        assert.equal(actual, expected, `${where}: error`)
        check(pool, model, file, where)
        const stats = pool.stats()
        assert.ok(stats.cached <= Math.max(mc, model.peakPinned), `${where}: cached ${stats.cached} past maxcache and the most pins`)
        if (hardLimit) assert.ok(stats.cached <= mc, `${where}: hardLimit overcommitted`)
        if (stats.overcommit > 0) {
          assert.ok(pool.frames().every((f) => f.pins > 0 || f.dirty), `${where}: a clean unpinned page kept over maxcache`)
        }
        if (synced) assert.ok(stats.cached <= Math.max(mc, stats.pinned), `${where}: sync left clean unpinned pages over maxcache`)
      }
      assert.deepEqual(pool.close(), model.close())
    } finally {
      if (!pool.closed) pool.close()
      tmp.close(fd)
      fs.rmSync(file)
    }
  }

  /** check -- the pool, its pages and its file equal the model. */
  function check(pool: MPool, model: Model, file: string, where: string): void {
    const stats = pool.stats()
    const pinned = model.cache.filter((e) => e.pins > 0).length
    const dirty = model.cache.filter((e) => e.dirty).length
    assert.deepEqual(
      {npages: stats.npages, cached: stats.cached, pinned: stats.pinned, dirty: stats.dirty, overcommit: stats.overcommit, frames: stats.frames},
      {npages: model.npages, cached: model.cache.length, pinned, dirty, overcommit: Math.max(0, model.cache.length - model.mc), frames: model.frames},
      `${where}: occupancy`,
    )
    const {cachehit, cachemiss, pagealloc, pageflush, pageget, pagenew, pageput, pageread, pagewrite} = stats
    assert.deepEqual({cachehit, cachemiss, pagealloc, pageflush, pageget, pagenew, pageput, pageread, pagewrite}, model.counters, `${where}: counters`)
    assert.deepEqual(
      pool.frames().map(({pgno, pins, dirty}) => ({pgno, pins, dirty})),
      model.cache.map(({pgno, pins, dirty}) => ({pgno, pins, dirty})),
      `${where}: frames in LRU order`,
    )
    for (let pgno = 0; pgno < model.npages; pgno++) {
      const entry = model.entry(pgno)
      const want = entry?.bytes ?? model.fileRead(pgno)
      assert.ok(pool.peek(pgno).bytes.equals(want), `${where}: page ${pgno} bytes`)
    }
    assert.ok(fs.readFileSync(file).equals(model.file), `${where}: the file`)
  }

  for (const hardLimit of [false, true]) {
    it(`agrees with the model on 100 random sequences of up to 100 calls (hardLimit ${hardLimit})`, () => {
      fc.assert(fc.property(caseArb, (c) => run(hardLimit, c)), {seed: hardLimit ? 0x5eed2 : 0x5eed1, numRuns: 100})
    })
  }

  it('catches a pool that forgets a page was dirty (the model check can fail)', () => {
    // A sanity check of the harness itself: a pool whose sync writes nothing must not pass.
    const c: Case = {pagesize: 16, maxcache: 2, initialPages: 2, seed: 7, ops: [
      {op: 'get', pick: 0}, {op: 'put', pick: 0, aimed: true, dirty: true, write: 99, byBuffer: false}, {op: 'sync'},
    ] as Op[]}
    const original = MPool.prototype.sync
    MPool.prototype.sync = function (this: MPool) {
      return this.frames().filter((f) => f.dirty).length
    }
    try {
      assert.throws(() => run(false, c), /the file|occupancy/)
    } finally {
      MPool.prototype.sync = original
    }
  })
})
