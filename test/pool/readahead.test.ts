/**
 * Read-ahead and write-behind (issue 13): a miss that continues an ascending run reads the next
 * pages in one vectored read; a dirty victim is written with its dirty, cold neighbours in one
 * vectored write. Real files, through FaultyIO (real pread/preadv/pwrite/pwritev underneath)
 * so that the calls can be counted and faults injected.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {MPool, MPOOL_DIRTY, type MPoolOptions, type PoolEvent, POLICY_NAMES} from '../../src/pool/index.js'
import {FaultyIO} from '../helpers/faulty-io.js'
import {filled, pageOf, TmpDir} from '../helpers/tmp.js'

const PS = 64

describe('read-ahead and write-behind', () => {
  let tmp: TmpDir
  const pools: MPool[] = []

  /** poolOf -- `npages` pages (page n full of byte n+1), `maxcache` frames, through a FaultyIO. */
  function poolOf(npages: number, maxcache: number, options: MPoolOptions = {}): {pool: MPool; io: FaultyIO; file: string} {
    const {file, fd} = tmp.pageFile(PS, npages)
    const io = new FaultyIO(fd)
    const pool = MPool.open(null, fd, PS, maxcache, {io, ...options})
    pools.push(pool)
    return {pool, io, file}
  }

  /** scan -- get and put each page from `from` to `to` - 1, in order. */
  function scan(pool: MPool, from: number, to: number): void {
    for (let pgno = from; pgno < to; pgno++) pool.put(pool.get(pgno))
  }

  beforeEach(() => {
    tmp = new TmpDir()
  })

  afterEach(() => {
    for (const pool of pools.splice(0)) if (!pool.closed) pool.close()
    tmp.cleanup()
  })

  describe('read-ahead', () => {
    it('is off by default: a scan makes one read a page', () => {
      const {pool, io} = poolOf(32, 64)
      scan(pool, 0, 32)
      assert.equal(io.count('read'), 32)
      assert.equal(io.count('readv'), 0)
      const s = pool.stats()
      assert.deepEqual([s.readahead, s.prefetch, s.prefetchhit, s.prefetchwaste], [0, 0, 0, 0])
    })

    it('reads a scan 8 pages a read once two misses run in order, with the same hits and the same bytes', () => {
      const {pool, io} = poolOf(32, 64, {readahead: 8})
      for (let pgno = 0; pgno < 32; pgno++) {
        assert.deepEqual(pool.get(pgno), filled(PS, pgno + 1), `page ${pgno}`)
        pool.put(pgno)
      }
      // page 0 alone (no run yet), then pages 1-8, 9-16, 17-24, 25-31 in one vectored read each
      assert.equal(io.count('read'), 1)
      assert.deepEqual(io.calls.filter((c) => c.op === 'readv').map((c) => [c.position! / PS, c.buffers]), [[1, 8], [9, 8], [17, 8], [25, 7]])
      const s = pool.stats()
      assert.deepEqual(
        {cachehit: s.cachehit, cachemiss: s.cachemiss, pageread: s.pageread, prefetch: s.prefetch, prefetchhit: s.prefetchhit, prefetchwaste: s.prefetchwaste},
        {cachehit: 0, cachemiss: 32, pageread: 5, prefetch: 27, prefetchhit: 27, prefetchwaste: 0},
      )
    })

    it('leaves random misses alone: no run, no vectored read', () => {
      const {pool, io} = poolOf(64, 8, {readahead: 16})
      for (const pgno of [40, 3, 17, 9, 60, 33, 2, 50]) pool.put(pool.get(pgno))
      assert.equal(io.count('readv'), 0)
      assert.equal(pool.stats().prefetch, 0)
    })

    it('puts read-ahead pages unpinned and clean at the cold end, marked until a get asks for them', () => {
      const {pool} = poolOf(16, 16, {readahead: 4})
      pool.put(pool.get(0))
      const page = pool.get(1) // reads 1-4
      assert.deepEqual(pool.frames().map((f) => [f.pgno, f.pins, f.dirty, f.prefetched === true]), [
        [4, 0, false, true], [3, 0, false, true], [2, 0, false, true], [0, 0, false, false], [1, 1, false, false],
      ])
      pool.put(page)
      pool.put(pool.get(3))
      assert.deepEqual(pool.frames().map((f) => [f.pgno, f.prefetched === true]), [[4, true], [2, true], [0, false], [1, false], [3, false]])
      assert.deepEqual([pool.stats().prefetchhit, pool.stats().cachehit], [1, 0])
    })

    it('never takes a pinned page, nor a page got since the run\'s previous read, and never grows the pool', () => {
      const {pool} = poolOf(32, 4, {readahead: 8})
      const pinned = pool.get(20)
      pool.put(pool.get(0))
      pool.put(pool.get(1)) // the run: 1, and 2 in the last free frame; 3 would take page 0's, got since the previous read
      assert.deepEqual(pool.frames().map((f) => f.pgno).sort((a, b) => a - b), [0, 1, 2, 20])
      assert.equal(pool.stats().prefetch, 1)
      pool.put(pool.get(2))
      pool.put(pool.get(3)) // evicts 0 for 3 itself; 4 would take page 1's frame, got since the previous read
      assert.equal(pool.stats().prefetch, 1)
      assert.ok(pool.frames().some((f) => f.pgno === 20 && f.pins === 1), 'the pinned page stays')
      assert.equal(pool.stats().cached, 4)
      pool.put(pinned)
    })

    it('never caches pages past the end of the file as data', () => {
      const {pool, file} = poolOf(4, 16, {readahead: 8})
      const {pgno} = pool.new() // page 4: not on the file
      pool.put(pgno)
      fs.truncateSync(file, 3 * PS) // page 3 is gone from the file too (a reader would see zeros)
      pool.put(pool.get(0))
      pool.put(pool.get(1))
      const cached = pool.frames().map((f) => f.pgno).sort((a, b) => a - b)
      assert.deepEqual(cached, [0, 1, 2, 4], 'page 3 is not cached: the read came back short')
    })

    it('counts a read-ahead page evicted before any get as prefetchwaste', () => {
      const {pool} = poolOf(64, 8, {readahead: 4})
      pool.put(pool.get(0))
      pool.put(pool.get(1)) // 2, 3, 4 read ahead
      for (const pgno of [40, 41 + 9, 30, 20, 10, 55, 45, 35]) pool.put(pool.get(pgno))
      const s = pool.stats()
      assert.deepEqual([s.prefetch, s.prefetchhit, s.prefetchwaste], [3, 0, 3])
    })

    it('tells each step: the read of several pages and each page read ahead', () => {
      const {pool} = poolOf(16, 16, {readahead: 3})
      pool.put(pool.get(0))
      const events: PoolEvent[] = []
      pool.on((e) => events.push(e))
      pool.get(1)
      assert.deepEqual(events, [
        {type: 'miss', pgno: 1},
        {type: 'read', pgno: 1, frame: 1, offset: PS, bytes: 3 * PS, pages: 3},
        {type: 'prefetch', pgno: 2, frame: 2},
        {type: 'prefetch', pgno: 3, frame: 3},
        {type: 'pin', pgno: 1, frame: 1, pins: 1},
      ])
      events.length = 0
      pool.get(2)
      assert.deepEqual(events, [{type: 'hit', pgno: 2, frame: 2, prefetched: true}, {type: 'pin', pgno: 2, frame: 2, pins: 1}])
    })

    it('refuses a readahead that is not a whole number from 0 to 256, and a join that asks for another', () => {
      const {fd} = tmp.pageFile(PS, 2)
      for (const readahead of [-1, 1.5, 257, Number.NaN]) {
        assert.throws(() => MPool.open(null, fd, PS, 2, {readahead}), {code: 'EINVAL'})
      }
      const a = MPool.open('ra-join', fd, PS, 2, {readahead: 4, writeBehind: true})
      pools.push(a)
      assert.throws(() => MPool.open('ra-join', fd, PS, 2, {readahead: 8}), {code: 'EINVAL'})
      assert.throws(() => MPool.open('ra-join', fd, PS, 2, {writeBehind: false}), {code: 'EINVAL'})
      const b = MPool.open('ra-join', fd, PS, 2)
      pools.push(b)
      assert.deepEqual([b.stats().readahead, b.stats().writeBehind], [4, true])
    })

    for (const policy of POLICY_NAMES) {
      it(`under ${policy}, returns every page's bytes, never pins a read-ahead page and stays within maxcache`, () => {
        const {pool} = poolOf(64, 8, {readahead: 4, policy})
        const plain = poolOf(64, 8, {policy}).pool
        // Prefetched pages are unpinned and the policy decides every victim: a pool that read
        // ahead must still return each page's bytes and hold no read-ahead page pinned.
        const order = [0, 1, 2, 3, 4, 5, 30, 31, 32, 10, 2, 33, 34, 35, 36, 50, 51, 52, 53]
        for (const pgno of order) {
          assert.deepEqual(pool.get(pgno), plain.get(pgno), `page ${pgno}`)
          pool.put(pgno)
          plain.put(pgno)
          for (const f of pool.frames()) if (f.prefetched === true) assert.equal(f.pins, 0)
          assert.ok(pool.stats().cached <= 8)
        }
        assert.ok(pool.stats().prefetch > 0)
      })
    }

    it('under lru, evicts an unused read-ahead page first: the policy\'s own cold end', () => {
      const {pool} = poolOf(64, 6, {readahead: 3})
      for (const pgno of [10, 20, 30]) pool.put(pool.get(pgno))
      pool.put(pool.get(0))
      pool.put(pool.get(1)) // 2 read ahead into the last free frame, 3 into page 10's (used before the run)
      assert.deepEqual(pool.frames().map((f) => f.pgno), [3, 2, 20, 30, 0, 1], 'the last page read ahead is the coldest')
      const events: PoolEvent[] = []
      pool.on((e) => events.push(e))
      pool.put(pool.get(40))
      assert.deepEqual(events.filter((e) => e.type === 'evict').map((e) => (e as {pgno: number}).pgno), [3])
    })
  })

  describe('read-ahead faults', () => {
    it('reads the page alone when the vectored read fails, and the retry of the run reads ahead again', () => {
      const {pool, io} = poolOf(32, 32, {readahead: 4})
      pool.put(pool.get(0))
      io.fail('readv', 'EIO')
      assert.deepEqual(pool.get(1), filled(PS, 2))
      pool.put(1)
      assert.equal(pool.stats().prefetch, 0)
      assert.deepEqual(pool.frames().map((f) => f.pgno).sort((a, b) => a - b), [0, 1])
      pool.put(pool.get(2)) // the run goes on: 2-5 in one read
      assert.equal(pool.stats().prefetch, 3)
    })

    it('gives the per-page error when the page asked for cannot be read either', () => {
      const {pool, io} = poolOf(32, 32, {readahead: 4})
      pool.put(pool.get(0))
      io.fail('readv', 'EIO').fail('read', 'EIO')
      assert.throws(() => pool.get(1), {code: 'EIO', pgno: 1})
      assert.deepEqual(pool.frames().map((f) => f.pgno), [0], 'nothing else is cached; every frame went back')
      assert.deepEqual(pool.get(1), filled(PS, 2), 'a retry succeeds')
    })

    it('keeps only whole pages of a short vectored read', () => {
      const {pool, io} = poolOf(32, 32, {readahead: 4})
      pool.put(pool.get(0))
      io.short('readv', 2 * PS + 10)
      pool.put(pool.get(1))
      assert.deepEqual(pool.frames().map((f) => f.pgno).sort((a, b) => a - b), [0, 1, 2])
      assert.deepEqual(pool.get(3), filled(PS, 4), 'page 3 is read again, whole')
    })

    it('reads the page alone when the vectored read stops inside it', () => {
      const {pool, io} = poolOf(32, 32, {readahead: 4})
      pool.put(pool.get(0))
      io.short('readv', 10)
      assert.deepEqual(pool.get(1), filled(PS, 2))
      assert.equal(pool.stats().prefetch, 0)
    })
  })

  describe('write-behind', () => {
    /** dirtyRun -- pages from..to-1 got, changed to byte 0xa0+pgno and put back dirty. */
    function dirtyRun(pool: MPool, from: number, to: number): void {
      for (let pgno = from; pgno < to; pgno++) {
        pool.get(pgno).fill(0xa0 + pgno)
        pool.put(pgno, MPOOL_DIRTY)
      }
    }

    it('is off by default: each dirty victim is one write', () => {
      const {pool, io} = poolOf(32, 8)
      dirtyRun(pool, 0, 8)
      scan(pool, 16, 24)
      assert.deepEqual([io.count('write'), io.count('writev')], [8, 0])
    })

    /** writes -- the writes made, as [op, first page, pages]. */
    function writes(io: FaultyIO): Array<[string, number, number]> {
      return io.calls.filter((c) => c.op === 'writev' || c.op === 'write').map((c) => [c.op, c.position! / PS, c.length! / PS])
    }

    it('writes a dirty victim with its cold dirty neighbours in one write, and they leave clean', () => {
      const {pool, io, file} = poolOf(32, 8, {writeBehind: true})
      dirtyRun(pool, 0, 8)
      scan(pool, 16, 24)
      // get 16 evicts page 0: 1-3 are in the cold half (untouched in the last 4 gets), 4 is not;
      // 17-19 find 1-3 clean; get 20 evicts 4 with 5-7, cold by then
      assert.deepEqual(writes(io), [['writev', 0, 4], ['writev', 4, 4]])
      for (let pgno = 0; pgno < 8; pgno++) assert.deepEqual(pageOf(file, PS, pgno), filled(PS, 0xa0 + pgno), `page ${pgno} on the file`)
      assert.equal(pool.stats().pagewrite, 8)
    })

    it('leaves pinned and recently used neighbours dirty', () => {
      const {pool, io} = poolOf(32, 8, {writeBehind: true})
      dirtyRun(pool, 0, 4)
      pool.get(2) // pinned
      dirtyRun(pool, 4, 8) // 4-7 are recent
      scan(pool, 16, 17) // the victim is page 0
      assert.deepEqual(writes(io), [['writev', 0, 2]], 'pages 0 and 1; 2 is pinned')
      assert.deepEqual(pool.frames().filter((f) => f.dirty).map((f) => f.pgno).sort((a, b) => a - b), [2, 3, 4, 5, 6, 7])
      pool.put(2)
    })

    it('loses nothing when the write fails: the get fails, every page stays dirty, and a retry succeeds', () => {
      const {pool, io, file} = poolOf(32, 4, {writeBehind: true})
      dirtyRun(pool, 0, 4)
      io.fail('writev', 'ENOSPC')
      assert.throws(() => pool.get(20), {code: 'ENOSPC', pgno: 0}) // page 0 with its cold neighbour 1
      assert.deepEqual(pool.frames().filter((f) => f.dirty).map((f) => f.pgno).sort((a, b) => a - b), [0, 1, 2, 3])
      pool.put(pool.get(20))
      assert.deepEqual(writes(io), [['writev', 0, 2], ['writev', 0, 3]], 'the retry is one get later: page 2 is cold by then')
      pool.sync()
      for (let pgno = 0; pgno < 4; pgno++) assert.deepEqual(pageOf(file, PS, pgno), filled(PS, 0xa0 + pgno), `page ${pgno} on the file`)
    })

    it('loses nothing on a short write-behind: the pages written are clean, the rest dirty', () => {
      const {pool, io, file} = poolOf(32, 8, {writeBehind: true})
      dirtyRun(pool, 0, 8)
      io.short('writev', PS + 5).fail('writev', 'EIO')
      assert.throws(() => pool.get(16), {code: 'EIO', pgno: 1})
      assert.deepEqual(pool.frames().filter((f) => f.dirty).map((f) => f.pgno).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7])
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 0xa0))
      pool.put(pool.get(16))
      pool.sync()
      for (let pgno = 0; pgno < 8; pgno++) assert.deepEqual(pageOf(file, PS, pgno), filled(PS, 0xa0 + pgno), `page ${pgno} on the file`)
    })
  })
})
