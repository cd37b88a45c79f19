/*
 * MPool on a failing disk: writes that fail (EIO, ENOSPC), come back short or write nothing,
 * flushes and reads that fail. The PageIO (test/helpers/faulty-io.ts) wraps real file I/O, so
 * the file on disk is what the pool really managed to write.
 *
 * After every fault the test checks that nothing was lost: each page the test changed still
 * holds its bytes in the cache (or on the file, where it was written), dirty until written.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {MPool, MPOOL_DIRTY, MPoolError} from '../../src/pool/index.js'
import {FaultyIO} from '../helpers/faulty-io.js'
import {filled, pageOf, TmpDir} from '../helpers/tmp.js'

const PS = 64

/** throwsCode -- `fn` throws an MPoolError with this code and pgno; returns it. */
function throwsCode(fn: () => unknown, code: string, pgno?: number): MPoolError {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof MPoolError, String(err))
    assert.equal(err.code, code, err.message)
    if (pgno !== undefined) assert.equal(err.pgno, pgno, err.message)
    return err
  }
  assert.fail(`expected ${code}, nothing was thrown`)
}

describe('MPool on a failing disk', () => {
  let tmp: TmpDir
  let pool: MPool
  let io: FaultyIO
  let file: string
  /** what each page the test changed should hold */
  let changed: Map<number, Buffer>

  /** setUp -- a pool of `maxcache` frames over `npages` pages (page n full of byte n+1), through a FaultyIO. */
  function setUp(npages: number, maxcache: number): void {
    const made = tmp.pageFile(PS, npages)
    file = made.file
    io = new FaultyIO(made.fd)
    pool = MPool.open(null, made.fd, PS, maxcache, {io})
  }

  /** change -- get page pgno, fill it with `byte`, put it back dirty. */
  function change(pgno: number, byte: number): void {
    const page = pool.get(pgno)
    page.fill(byte)
    changed.set(pgno, filled(PS, byte))
    pool.put(page, MPOOL_DIRTY)
  }

  /** dirtyPages -- the cached dirty pages, in page order. */
  function dirtyPages(): number[] {
    return pool.frames().filter((f) => f.dirty).map((f) => f.pgno).sort((a, b) => a - b)
  }

  /** nothingLost -- every changed page reads back (from the cache, else the file) as it was written into. */
  function nothingLost(): void {
    for (const [pgno, bytes] of changed) assert.deepEqual(pool.peek(pgno).bytes, bytes, `page ${pgno}`)
  }

  /** fileHolds -- the file's pages: the changed ones as changed, the others as made. */
  function fileHoldsEverything(npages: number): void {
    for (let pgno = 0; pgno < npages; pgno++) {
      assert.deepEqual(pageOf(file, PS, pgno), changed.get(pgno) ?? filled(PS, pgno + 1), `page ${pgno} on file`)
    }
  }

  beforeEach(() => {
    tmp = new TmpDir()
    changed = new Map()
  })

  afterEach(() => {
    if (pool !== undefined && !pool.closed) pool.close()
    tmp.cleanup()
  })

  describe('a failed write while evicting', () => {
    for (const code of ['EIO', 'ENOSPC']) {
      it(`fails the get with ${code}, keeps the victim cached and dirty, and does not cache the incoming page`, () => {
        setUp(3, 1)
        change(0, 0xaa)
        io.fail('write', code)
        throwsCode(() => pool.get(1), code, 0)
        assert.deepEqual(pool.frames(), [{frame: 0, pgno: 0, pins: 0, dirty: true}])
        const stats = pool.stats()
        assert.equal(stats.pagewrite, 0)
        assert.equal(stats.pageflush, 0)
        assert.equal(stats.cached, 1)
        assert.deepEqual(pageOf(file, PS, 0), filled(PS, 1))
        nothingLost()

        assert.deepEqual(pool.get(1), filled(PS, 2), 'the retry succeeds')
        pool.put(1)
        assert.deepEqual(pageOf(file, PS, 0), filled(PS, 0xaa))
        assert.deepEqual(pool.stats().pagewrite, 1)
        nothingLost()
      })
    }

    it('fails new with the write error and adds no page', () => {
      setUp(2, 1)
      change(1, 0xbb)
      io.fail('write', 'ENOSPC')
      throwsCode(() => pool.new(), 'ENOSPC', 1)
      assert.equal(pool.npages, 2)
      assert.deepEqual(dirtyPages(), [1])
      nothingLost()
      const {pgno, page} = pool.new()
      assert.equal(pgno, 2)
      assert.deepEqual(page, Buffer.alloc(PS))
      fileHoldsEverything(2)
    })

    it('treats a write that returns 0 as EIO and keeps the victim dirty', () => {
      setUp(2, 1)
      change(0, 0xcc)
      io.short('write', 0)
      throwsCode(() => pool.get(1), 'EIO', 0)
      assert.deepEqual(dirtyPages(), [0])
      nothingLost()
      pool.put(pool.get(1))
      fileHoldsEverything(2)
    })

    it('leaves the cached page in its in-memory form when pgout ran and the write failed', () => {
      setUp(2, 1)
      pool.filter(null, (_cookie, _pgno, page) => page.fill(0xee))
      change(0, 0x12)
      io.fail('write', 'EIO')
      throwsCode(() => pool.get(1), 'EIO', 0)
      nothingLost()
      pool.put(pool.get(1))
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 0xee))
    })
  })

  describe('a short write', () => {
    it('goes on writing the rest of a page, then marks it clean', () => {
      setUp(3, 1)
      change(2, 0x5a)
      io.short('write', 10)
      io.forget()
      pool.put(pool.get(0))
      assert.deepEqual(io.calls.filter((c) => c.op === 'write').map(({position, length, result}) => ({position, length, result})), [
        {position: 2 * PS, length: PS, result: 10},
        {position: 2 * PS + 10, length: PS - 10, result: PS - 10},
      ])
      assert.deepEqual(pageOf(file, PS, 2), filled(PS, 0x5a))
      assert.equal(pool.stats().pagewrite, 1)
      nothingLost()
    })

    it('goes on after a short vectored write from inside the page where it stopped', () => {
      setUp(4, 4)
      for (const pgno of [0, 1, 2]) change(pgno, 0x60 + pgno)
      io.short('writev', PS + 5)
      io.forget()
      assert.equal(pool.sync(), 3)
      assert.deepEqual(io.calls.filter((c) => c.op === 'writev').map(({position, length, buffers}) => ({position, length, buffers})), [
        {position: 0, length: 3 * PS, buffers: 3},
        {position: PS + 5, length: 2 * PS - 5, buffers: 2},
      ])
      assert.deepEqual(dirtyPages(), [])
      fileHoldsEverything(4)
    })

    it('marks clean only the pages wholly written when a short vectored write is followed by a failure', () => {
      setUp(4, 4)
      for (const pgno of [0, 1, 2]) change(pgno, 0x70 + pgno)
      io.short('writev', PS + 5).fail('writev', 'EIO')
      throwsCode(() => pool.sync(), 'EIO', 1)
      assert.deepEqual(dirtyPages(), [1, 2])
      assert.equal(pool.stats().pagewrite, 1)
      assert.equal(io.count('flush'), 0)
      nothingLost()
      io.forget()
      assert.equal(pool.sync(), 2)
      assert.deepEqual(io.calls.map((c) => [c.op, c.position]), [['writev', PS], ['flush', undefined]])
      fileHoldsEverything(4)
    })
  })

  describe('a failed write during sync', () => {
    it('leaves the runs written before it clean and the rest dirty; a second sync writes only the rest', () => {
      setUp(9, 9)
      for (const pgno of [7, 0, 3, 1, 6, 4]) change(pgno, 0x90 + pgno) // runs: 0-1, 3-4, 6-7
      pool.get(4) // a pinned dirty page is written too
      io.fail('writev', 'ENOSPC', {skip: 1})
      throwsCode(() => pool.sync(), 'ENOSPC', 3)
      assert.deepEqual(dirtyPages(), [3, 4, 6, 7])
      assert.equal(pool.stats().pagewrite, 2)
      assert.equal(io.count('flush'), 0)
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 0x90))
      assert.deepEqual(pageOf(file, PS, 3), filled(PS, 4))
      nothingLost()

      io.forget()
      assert.equal(pool.sync(), 4)
      assert.deepEqual(io.calls.map((c) => [c.op, c.position]), [['writev', 3 * PS], ['writev', 6 * PS], ['flush', undefined]])
      assert.deepEqual(dirtyPages(), [])
      assert.equal(pool.frames().find((f) => f.pgno === 4)?.pins, 1)
      fileHoldsEverything(9)
    })

    it('stops at a failed single-page write the same way', () => {
      setUp(5, 5)
      for (const pgno of [0, 2, 4]) change(pgno, 0xa0 + pgno)
      io.fail('write', 'EIO', {skip: 1})
      throwsCode(() => pool.sync(), 'EIO', 2)
      assert.deepEqual(dirtyPages(), [2, 4])
      nothingLost()
      assert.equal(pool.sync(), 2)
      fileHoldsEverything(5)
    })
  })

  describe('a failed flush', () => {
    it('makes the pages the sync wrote dirty again, and a second sync writes and flushes them', () => {
      setUp(4, 4)
      for (const pgno of [1, 3]) change(pgno, 0xb0 + pgno)
      io.fail('flush', 'EIO')
      const err = throwsCode(() => pool.sync(), 'EIO')
      assert.match(err.message, /sync again/)
      assert.deepEqual(dirtyPages(), [1, 3])
      nothingLost()
      io.forget()
      assert.equal(pool.sync(), 2)
      assert.deepEqual(io.calls.map((c) => c.op), ['write', 'write', 'flush'])
      assert.deepEqual(dirtyPages(), [])
      fileHoldsEverything(4)
    })
  })

  describe('a failed read', () => {
    it('fails the get with the code and the page number and leaks no frame', () => {
      setUp(3, 2)
      pool.put(pool.get(0))
      io.fail('read', 'EIO')
      throwsCode(() => pool.get(2), 'EIO', 2)
      const stats = pool.stats()
      assert.deepEqual([stats.cached, stats.frames, stats.pageread], [1, 2, 1])
      assert.deepEqual(pool.frames().map((f) => f.pgno), [0])
      assert.deepEqual(pool.get(2), filled(PS, 3))
      pool.put(2)
      assert.deepEqual([pool.stats().cached, pool.stats().frames], [2, 2])
    })

    it('keeps the dirty victim it wrote before the read failed: the file has it', () => {
      setUp(2, 1)
      change(0, 0xd0)
      io.fail('read', 'EIO')
      throwsCode(() => pool.get(1), 'EIO', 1)
      assert.deepEqual(pool.frames(), [])
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 0xd0))
      nothingLost()
      pool.put(pool.get(1))
      assert.equal(pool.stats().frames, 1)
    })

    it('fails with the code a failed read gave even after part of the page came in', () => {
      setUp(2, 2)
      io.short('read', 8).fail('read', 'EIO')
      throwsCode(() => pool.get(1), 'EIO', 1)
      assert.equal(pool.stats().cached, 0)
      assert.deepEqual(pool.get(1), filled(PS, 2))
    })
  })

  it('closes with the dirty pages a failing disk kept from being written, and writes nothing', () => {
    setUp(3, 3)
    change(0, 0x41)
    change(2, 0x43)
    io.fail('write', 'EIO')
    throwsCode(() => pool.sync(), 'EIO', 0)
    const before = fs.readFileSync(file)
    io.forget()
    assert.deepEqual(pool.close(), {dirty: [0, 2], pinned: []})
    assert.equal(io.calls.length, 0)
    assert.deepEqual(fs.readFileSync(file), before)
  })
})
