/*
 * The MPool contract, line by line (src/pool/mpool.ts TSDoc, DESIGN.md "The engine", mpool(3)).
 *
 * Every test runs on a real file in a fresh temporary directory; page n of a test file holds the
 * byte n+1 throughout, so a page read from the wrong place shows at once.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import {
  MAX_MAXCACHE,
  MAX_PAGESIZE,
  MAX_PGNO,
  MPool,
  MPOOL_DIRTY,
  MPoolError,
  type MPoolOptions,
  POLICY_NAMES,
  type PoolEvent,
} from '../../src/pool/index.js'
import {FaultyIO} from '../helpers/faulty-io.js'
import {filled, pageOf, TmpDir} from '../helpers/tmp.js'

/** throwsCode -- `fn` throws an MPoolError with this code (and this pgno, when given) and a one-line message. */
function throwsCode(fn: () => unknown, code: string, pgno?: number): MPoolError {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  assert.ok(caught instanceof MPoolError, `expected an MPoolError ${code}, got ${String(caught)}`)
  assert.equal(caught.code, code, caught.message)
  if (pgno !== undefined) assert.equal(caught.pgno, pgno)
  assert.ok(!caught.message.includes('\n'), `a one-line message: ${caught.message}`)
  return caught
}

const PS = 64

describe('MPool', () => {
  let tmp: TmpDir
  let pools: MPool[]

  /** a pool over a fresh file of `npages` pages (page n full of byte n+1) */
  function poolOf(npages: number, maxcache: number, options: MPoolOptions & {key?: string | null; pagesize?: number} = {}) {
    const pagesize = options.pagesize ?? PS
    const {file, fd} = tmp.pageFile(pagesize, npages)
    const pool = MPool.open(options.key ?? null, fd, pagesize, maxcache, options)
    pools.push(pool)
    return {pool, file, fd}
  }

  /** the page numbers of frames(), next victim first */
  function order(pool: MPool): number[] {
    return pool.frames().map((f) => f.pgno)
  }

  beforeEach(() => {
    tmp = new TmpDir()
    pools = []
  })

  afterEach(() => {
    for (const pool of pools) if (!pool.closed) pool.close()
    tmp.cleanup()
  })

  describe('open', () => {
    it('breaks the file into floor(size / pagesize) pages and reports the trailing bytes', () => {
      const file = tmp.file(Buffer.alloc(3 * PS + 10, 7))
      const pool = MPool.open(null, tmp.open(file), PS, 4)
      pools.push(pool)
      assert.equal(pool.npages, 3)
      assert.equal(pool.pagesize, PS)
      assert.equal(pool.key, null)
      const stats = pool.stats()
      assert.equal(stats.npages, 3)
      assert.equal(stats.trailing, 10)
      throwsCode(() => pool.get(3), 'EINVAL', 3)
    })

    it('starts with every counter at zero and nothing cached', () => {
      const {pool} = poolOf(2, 4)
      assert.deepEqual(pool.stats(), {
        key: null, policy: 'lru', hardLimit: false, readahead: 0, writeBehind: false, journal: false, pagesize: PS, npages: 2, maxcache: 4,
        cached: 0, pinned: 0, dirty: 0, overcommit: 0, frames: 0,
        cachehit: 0, cachemiss: 0, pagealloc: 0, pageflush: 0, pageget: 0, pagenew: 0, pageput: 0, pageread: 0, pagewrite: 0,
        prefetch: 0, prefetchhit: 0, prefetchwaste: 0,
        hitRate: 0, trailing: 0, pagezero: 0, pagegiveback: 0,
      })
      assert.deepEqual(pool.frames(), [])
    })

    it('opens an empty file as a pool of no pages', () => {
      const {pool} = poolOf(0, 2)
      assert.equal(pool.npages, 0)
      const err = throwsCode(() => pool.get(0), 'EINVAL', 0)
      assert.equal(err.message, 'cannot get page 0: the file has no pages yet; use new to add one')
      pool.new()
      assert.equal(throwsCode(() => pool.get(1), 'EINVAL', 1).message, 'cannot get page 1: the file has 1 page (0 to 0); use new to add one')
    })

    it('does not close the fd: it stays the caller\'s', () => {
      const {pool, fd} = poolOf(2, 2)
      pool.get(0)
      pool.close()
      assert.ok(fs.fstatSync(fd).isFile())
      const bytes = Buffer.alloc(PS)
      assert.equal(fs.readSync(fd, bytes, 0, PS, PS), PS)
      assert.deepEqual(bytes, filled(PS, 2))
    })

    it('rejects a FIFO with ESPIPE', () => {
      const fifo = tmp.path('fifo')
      execFileSync('mkfifo', [fifo])
      const fd = tmp.open(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK)
      throwsCode(() => MPool.open(null, fd, PS, 2), 'ESPIPE')
    })

    it('rejects a directory fd with ESPIPE', () => {
      const fd = tmp.open(tmp.dir, 'r')
      throwsCode(() => MPool.open(null, fd, PS, 2), 'ESPIPE')
    })

    it('rejects a character device (/dev/null) with ESPIPE', () => {
      const fd = tmp.open('/dev/null', 'r+')
      throwsCode(() => MPool.open(null, fd, PS, 2), 'ESPIPE')
    })

    it('gives EBADF for an fd that is closed', () => {
      const file = tmp.file(Buffer.alloc(PS))
      const fd = fs.openSync(file, 'r+')
      fs.closeSync(fd)
      throwsCode(() => MPool.open(null, fd, PS, 2), 'EBADF')
    })

    for (const [name, bad] of [
      ['0', 0], ['negative', -64], ['fractional', 64.5], ['NaN', NaN], ['Infinity', Infinity], ['a string', '64'],
    ] as const) {
      it(`rejects a pagesize that is ${name} with EINVAL`, () => {
        const {fd} = tmp.pageFile(PS, 1)
        throwsCode(() => MPool.open(null, fd, bad as number, 2), 'EINVAL')
      })
      it(`rejects a maxcache that is ${name} with EINVAL`, () => {
        const {fd} = tmp.pageFile(PS, 1)
        throwsCode(() => MPool.open(null, fd, PS, (name === 'a string' ? '2' : bad) as number), 'EINVAL')
      })
    }

    it('rejects a pagesize or maxcache one past the largest with EINVAL, and takes the largest', () => {
      const {fd} = tmp.pageFile(PS, 1)
      throwsCode(() => MPool.open(null, fd, MAX_PAGESIZE + 1, 2), 'EINVAL')
      throwsCode(() => MPool.open(null, fd, PS, MAX_MAXCACHE + 1), 'EINVAL')
      const big = MPool.open(null, fd, MAX_PAGESIZE, 1)
      pools.push(big)
      assert.equal(big.npages, 0)
      assert.equal(big.stats().trailing, PS)
      const many = MPool.open(null, fd, PS, MAX_MAXCACHE)
      pools.push(many)
      assert.deepEqual(many.get(0), filled(PS, 1))
      assert.equal(many.stats().frames, 1)
    })

    it('opens the largest maxcache under every policy without paying for it up front', () => {
      const {fd} = tmp.pageFile(PS, 2)
      for (const policy of POLICY_NAMES) {
        const before = process.memoryUsage().arrayBuffers
        const pool = MPool.open(null, fd, PS, MAX_MAXCACHE, {policy})
        pools.push(pool)
        pool.put(pool.get(1))
        const grew = process.memoryUsage().arrayBuffers - before
        assert.ok(grew < 16 * 1024 * 1024, `${policy} took ${grew} bytes for one cached page`)
      }
    })

    it('rejects an empty key and an unknown policy with EINVAL', () => {
      const {fd} = tmp.pageFile(PS, 1)
      throwsCode(() => MPool.open('', fd, PS, 2), 'EINVAL')
      throwsCode(() => MPool.open(null, fd, PS, 2, {policy: 'mru' as 'lru'}), 'EINVAL')
    })
  })

  describe('keyed sharing in one process', () => {
    const key = () => `mpool-test-${process.pid}-${Math.random().toString(36).slice(2)}`

    it('gives one cache to every open with the same key: a get through one handle is a hit through another', () => {
      const k = key()
      const {pool: a, fd} = poolOf(3, 2, {key: k})
      const b = MPool.open(k, fd, PS, 2)
      pools.push(b)
      const page = a.get(1)
      page[0] = 0xee
      a.put(1, MPOOL_DIRTY)
      assert.equal(b.get(1), page)
      assert.equal(b.get(1)[0], 0xee)
      const stats = b.stats()
      assert.equal(stats.key, k)
      assert.equal(stats.cachemiss, 1)
      assert.equal(stats.cachehit, 2)
      assert.deepEqual(a.stats(), stats)
      assert.deepEqual(a.frames(), [{frame: 0, pgno: 1, pins: 2, dirty: true}])
    })

    it('keeps the largest maxcache any opener asked for', () => {
      const k = key()
      const {pool: a, fd} = poolOf(1, 2, {key: k})
      pools.push(MPool.open(k, fd, PS, 5))
      assert.equal(a.stats().maxcache, 5)
      pools.push(MPool.open(k, fd, PS, 3))
      assert.equal(a.stats().maxcache, 5)
    })

    it('sizes an ARC pool\'s directory by the raised maxcache: a join that raises it runs as if opened with it', () => {
      const k = key()
      const {pool: a, fd} = poolOf(12, 2, {key: k, policy: 'arc'})
      const b = MPool.open(k, fd, PS, 4)
      pools.push(b)
      const {pool: fresh} = poolOf(12, 4, {policy: 'arc'})
      const refs = [0, 1, 2, 3, 0, 1, 4, 5, 6, 7, 8, 0, 1, 9, 10, 0, 1, 2, 3, 11, 0, 1, 2, 3, 4, 5, 0, 1]
      for (const pgno of refs) {
        a.put(a.get(pgno))
        fresh.put(fresh.get(pgno))
      }
      assert.equal(a.policyState().c, 4)
      assert.deepEqual(a.policyState(), fresh.policyState())
      assert.deepEqual(order(a), order(fresh))
      assert.equal(a.stats().cachehit, fresh.stats().cachehit)
    })

    it('rejects another pagesize with EINVAL and leaves the pool as it was', () => {
      const k = key()
      const {pool: a, fd} = poolOf(2, 2, {key: k})
      a.get(0)
      throwsCode(() => MPool.open(k, fd, PS * 2, 8), 'EINVAL')
      assert.equal(a.stats().maxcache, 2)
      assert.equal(a.pagesize, PS)
      assert.deepEqual(order(a), [0])
    })

    it('refuses a later open that asks for another policy or hardLimit, and takes no share of the pool', () => {
      const k = key()
      const {pool: a, fd} = poolOf(3, 2, {key: k})
      throwsCode(() => MPool.open(k, fd, PS, 2, {policy: 'arc'}), 'EINVAL')
      throwsCode(() => MPool.open(k, fd, PS, 2, {hardLimit: true}), 'EINVAL')
      throwsCode(() => MPool.open(k, fd, PS, 2, {policy: 'mru' as 'lru'}), 'EINVAL')
      const b = MPool.open(k, fd, PS, 4, {policy: 'lru', hardLimit: false}) // the pool's own: a join
      pools.push(b)
      assert.deepEqual([b.stats().policy, b.stats().hardLimit, b.stats().maxcache], ['lru', false, 4])
      a.close()
      assert.equal(b.closed, false)
      assert.deepEqual(b.close(), {dirty: [], pinned: []}, 'the refused opens took no share of the pool')
      throwsCode(() => b.stats(), 'ECLOSED')
    })

    it('ignores the fd of a later open', () => {
      const k = key()
      const {pool: a} = poolOf(2, 2, {key: k})
      const other = tmp.pageFile(PS, 5, () => 0x99)
      const b = MPool.open(k, other.fd, PS, 2)
      pools.push(b)
      assert.equal(b.npages, 2)
      assert.deepEqual(b.get(1), filled(PS, 2))
      b.put(1)
      const c = MPool.open(k, -1, PS, 2)
      pools.push(c)
      assert.deepEqual(c.get(0), filled(PS, 1))
      assert.equal(a.stats().cachemiss, 2)
    })

    it('drops nothing at an earlier close and drops the cache at the last', () => {
      const k = key()
      const {pool: a, fd} = poolOf(2, 2, {key: k})
      const b = MPool.open(k, fd, PS, 2)
      pools.push(b)
      a.get(0).fill(0x55)
      a.put(0, MPOOL_DIRTY)
      b.get(1)
      assert.deepEqual(a.close(), {dirty: [], pinned: []})
      assert.equal(b.stats().cached, 2)
      assert.deepEqual(b.get(0), filled(PS, 0x55))
      b.put(0)
      assert.deepEqual(b.close(), {dirty: [0], pinned: [1]})
      const again = MPool.open(k, fd, PS * 2, 3)
      pools.push(again)
      assert.equal(again.stats().cached, 0)
      assert.equal(again.stats().pageget, 0)
      assert.deepEqual(again.get(0), Buffer.concat([filled(PS, 1), filled(PS, 2)]))
    })

    it('shares nothing between different keys or null keys', () => {
      const {pool: a, fd} = poolOf(2, 2, {key: key()})
      const b = MPool.open(key(), fd, PS, 2)
      const c = MPool.open(null, fd, PS, 2)
      const d = MPool.open(null, fd, PS, 2)
      pools.push(b, c, d)
      a.get(0)
      for (const other of [b, c, d]) {
        other.get(0)
        assert.equal(other.stats().cachemiss, 1)
        assert.equal(other.stats().cachehit, 0)
      }
    })
  })

  describe('filter', () => {
    const invert = (_cookie: unknown, _pgno: number, page: Buffer) => {
      for (let i = 0; i < page.length; i++) page[i] ^= 0xff
    }

    it('runs pgin on each page read from the file, with the cookie and the page number, and not on a hit or a new page', () => {
      const {pool} = poolOf(2, 2)
      const calls: Array<[unknown, number]> = []
      const cookie = {name: 'cookie'}
      pool.filter((c, pgno, page) => {
        calls.push([c, pgno])
        invert(c, pgno, page)
      }, null, cookie)
      assert.deepEqual(pool.get(1), filled(PS, 0xfd))
      pool.put(1)
      pool.get(1)
      pool.new()
      assert.deepEqual(calls, [[cookie, 1]])
      assert.equal(calls[0][0], cookie)
    })

    it('runs pgout on a copy: the cached page keeps its form and the file gets the transformed bytes', () => {
      const {pool, file} = poolOf(2, 1)
      const seen: number[] = []
      pool.filter(null, (c, pgno, page) => {
        seen.push(pgno)
        invert(c, pgno, page)
      })
      const page = pool.get(0)
      page.fill(0x0f)
      pool.put(page, MPOOL_DIRTY)
      assert.equal(pool.sync(), 1)
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 0xf0))
      assert.deepEqual(pool.get(0), filled(PS, 0x0f))
      pool.put(0, MPOOL_DIRTY)
      pool.get(1) // evicts page 0, written through pgout again
      assert.deepEqual(page, filled(PS, 2), 'the frame now holds page 1')
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 0xf0))
      assert.deepEqual(seen, [0, 0])
    })

    it('round-trips a page through pgout and pgin', () => {
      const {pool, file} = poolOf(3, 1)
      pool.filter(invert, invert)
      const page = pool.get(2)
      assert.deepEqual(page, filled(PS, 3 ^ 0xff))
      page.write('hello')
      pool.put(2, MPOOL_DIRTY)
      pool.put(pool.get(0)) // evicts page 2 through pgout
      assert.equal(pageOf(file, PS, 2)[0], 'h'.charCodeAt(0) ^ 0xff)
      assert.equal(pageOf(file, PS, 2)[PS - 1], 3)
      const again = pool.get(2)
      assert.equal(again.subarray(0, 5).toString(), 'hello')
      assert.equal(again[PS - 1], 3 ^ 0xff)
    })

    it('fails the get whose pgin throws, caching nothing, and the write whose pgout throws, keeping the page dirty', () => {
      const {pool, file} = poolOf(3, 1)
      const boom = new Error('filter failed')
      let failIn = true
      let failOut = true
      pool.filter(() => { if (failIn) throw boom }, () => { if (failOut) throw boom })
      assert.throws(() => pool.get(1), (err) => err === boom)
      assert.deepEqual(pool.frames(), [])
      failIn = false
      const page = pool.get(1)
      page.fill(0x77)
      pool.put(page, MPOOL_DIRTY)
      assert.throws(() => pool.get(2), (err) => err === boom, 'evicting page 1 runs pgout, which throws')
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 1, pins: 0, dirty: true}])
      assert.throws(() => pool.sync(), (err) => err === boom)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 1, pins: 0, dirty: true}])
      failOut = false
      assert.equal(pool.sync(), 1)
      assert.deepEqual(pageOf(file, PS, 1), filled(PS, 0x77))
    })

    it('stops filtering when given nulls', () => {
      const {pool} = poolOf(2, 1)
      pool.filter(invert, invert)
      pool.filter(null, null)
      assert.deepEqual(pool.get(0), filled(PS, 1))
    })
  })

  describe('new', () => {
    it('numbers a new page npages and adds one to npages', () => {
      const {pool} = poolOf(2, 4)
      assert.equal(pool.new().pgno, 2)
      assert.equal(pool.new().pgno, 3)
      assert.equal(pool.npages, 4)
      assert.equal(pool.stats().pagenew, 2)
    })

    it('hands out a page that is pinned once and not dirty', () => {
      const {pool} = poolOf(0, 2)
      const {pgno, page} = pool.new()
      assert.equal(pgno, 0)
      assert.equal(page.length, PS)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 0, pins: 1, dirty: false}])
      assert.equal(pool.stats().pinned, 1)
      assert.equal(pool.stats().dirty, 0)
    })

    it('zero-fills the page even when its frame held a page with data', () => {
      const {pool} = poolOf(1, 1)
      assert.deepEqual(pool.get(0), filled(PS, 1))
      pool.put(0)
      const {pgno, page} = pool.new()
      assert.equal(pgno, 1)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 1, pins: 1, dirty: false}], 'the same frame was reused')
      assert.deepEqual(page, Buffer.alloc(PS))
    })

    it('reads a new page put back clean and evicted as zeros: it never reached the file', () => {
      const {pool, file} = poolOf(1, 1)
      const {pgno, page} = pool.new()
      page.fill(0x77) // changed but put back clean: the change is not kept
      pool.put(page)
      pool.get(0)
      pool.put(0)
      assert.equal(fs.statSync(file).size, PS)
      assert.deepEqual(pool.get(pgno), Buffer.alloc(PS))
      assert.equal(pool.stats().pageread, 2)
    })

    it('writes a new page put back dirty, growing the file', () => {
      const {pool, file} = poolOf(1, 2)
      const {page} = pool.new()
      page.fill(0x42)
      pool.put(page, MPOOL_DIRTY)
      pool.sync()
      assert.equal(fs.statSync(file).size, 2 * PS)
      assert.deepEqual(pageOf(file, PS, 1), filled(PS, 0x42))
    })
  })

  describe('get', () => {
    it('reads a page it does not have from the file', () => {
      const {pool} = poolOf(3, 2)
      assert.deepEqual(pool.get(2), filled(PS, 3))
      assert.equal(pool.stats().cachemiss, 1)
      assert.equal(pool.stats().pageread, 1)
    })

    it('moves a hit to the most recently used end', () => {
      const {pool} = poolOf(3, 3)
      for (const pgno of [0, 1, 2]) pool.put(pool.get(pgno))
      assert.deepEqual(order(pool), [0, 1, 2])
      pool.put(pool.get(0))
      assert.deepEqual(order(pool), [1, 2, 0])
      pool.put(pool.get(2))
      assert.deepEqual(order(pool), [1, 0, 2])
    })

    it('returns the cached page itself: a change made in it is what the next get returns', () => {
      const {pool} = poolOf(2, 2)
      const page = pool.get(0)
      page.write('changed in place')
      pool.put(page)
      const again = pool.get(0)
      assert.equal(again, page)
      assert.equal(again.subarray(0, 16).toString(), 'changed in place')
      assert.equal(again.buffer, page.buffer)
    })

    for (const [name, pgno] of [
      ['npages', 3], ['negative', -1], ['fractional', 0.5], ['2^32', 2 ** 32], ['2^32-1 (past npages)', MAX_PGNO], ['NaN', NaN], ['a string', '0'],
    ] as const) {
      it(`rejects a page number that is ${name} with EINVAL and counts nothing`, () => {
        const {pool} = poolOf(3, 2)
        const err = throwsCode(() => pool.get(pgno as number), 'EINVAL')
        if (typeof pgno === 'number' && Number.isInteger(pgno) && pgno >= 0 && pgno <= MAX_PGNO) assert.equal(err.pgno, pgno)
        assert.equal(pool.stats().pageget, 0)
        assert.equal(pool.stats().cached, 0)
      })
    }

    it('rejects flags other than 0 with EINVAL and takes no pin', () => {
      const {pool} = poolOf(2, 2)
      throwsCode(() => pool.get(0, MPOOL_DIRTY), 'EINVAL')
      throwsCode(() => pool.get(0, 2), 'EINVAL')
      assert.equal(pool.stats().pageget, 0)
      pool.get(0, 0)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 0, pins: 1, dirty: false}])
    })
  })

  describe('getWith', () => {
    it('pins and counts as get does, lends the cached page to read, and returns what read returned', () => {
      const {pool} = poolOf(3, 2)
      const lent: Buffer[] = []
      const first = pool.getWith(2, (page) => {
        lent.push(page)
        return page.toString('hex')
      })
      assert.equal(first, filled(PS, 3).toString('hex'))
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 2, pins: 1, dirty: false}])
      assert.equal(pool.getWith(2, (page) => page.length), PS)
      const s = pool.stats()
      assert.deepEqual([s.pageget, s.cachemiss, s.cachehit, s.pageread], [2, 1, 1, 1])
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 2, pins: 2, dirty: false}])
      // the page lent is the cache's own memory: a change made in it is what a later get sees
      lent[0]!.write('in place')
      pool.put(2, MPOOL_DIRTY)
      pool.put(2)
      assert.equal(pool.get(2).subarray(0, 8).toString(), 'in place')
    })

    it('leaves get\'s page identity as it was: the Buffer a later get hands out is the one every get returns, and put takes it', () => {
      const {pool} = poolOf(2, 2)
      pool.put(pool.getWith(0, () => 0))
      const page = pool.get(0)
      pool.put(page)
      assert.equal(pool.get(0), page)
      pool.put(page, MPOOL_DIRTY)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 0, pins: 0, dirty: true}])
      assert.equal(pool.sync(), 1)
    })

    it('throws what get throws without calling read, and read\'s own error with the pin held', () => {
      const {pool} = poolOf(2, 2)
      let called = false
      throwsCode(() => pool.getWith(2, () => (called = true)), 'EINVAL', 2)
      assert.equal(called, false)
      assert.throws(() => pool.getWith(1, () => {
        throw new Error('read failed')
      }), /read failed/)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 1, pins: 1, dirty: false}])
      pool.put(1)
    })

    it('writes a page whose bytes were only ever lent, at eviction and at sync, from the frame it was read into', () => {
      const {pool, file} = poolOf(4, 2)
      for (const pgno of [0, 1]) {
        pool.getWith(pgno, (page) => page.fill(0xa0 + pgno))
        pool.put(pgno, MPOOL_DIRTY)
      }
      pool.put(pool.getWith(2, () => 2)) // evicts page 0, written first
      assert.equal(pool.sync(), 1) // page 1
      const bytes = fs.readFileSync(file)
      assert.deepEqual(bytes.subarray(0, PS), Buffer.alloc(PS, 0xa0))
      assert.deepEqual(bytes.subarray(PS, 2 * PS), Buffer.alloc(PS, 0xa1))
      assert.deepEqual(bytes.subarray(2 * PS, 3 * PS), filled(PS, 3))
    })
  })

  describe('put', () => {
    it('takes the page back by the Buffer or by its number', () => {
      const {pool} = poolOf(2, 2)
      pool.put(pool.get(0))
      pool.get(1)
      pool.put(1)
      assert.equal(pool.stats().pinned, 0)
      assert.equal(pool.stats().pageput, 2)
    })

    it('counts pins: got twice and put once, the page is still pinned', () => {
      const {pool} = poolOf(2, 1)
      const page = pool.get(0)
      pool.get(0)
      pool.put(page)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 0, pins: 1, dirty: false}])
      pool.get(1) // the only frame is pinned: the pool grows rather than evict page 0
      assert.deepEqual(order(pool).sort(), [0, 1])
      pool.put(page) // the last pin: over maxcache, page 0's frame is given back
      assert.deepEqual(order(pool), [1])
      throwsCode(() => pool.put(page), 'EINVAL')
    })

    it('knows its own Buffers across many arena chunks, including frames grown past maxcache', () => {
      const {pool} = poolOf(700, 300, {pagesize: 16})
      const pages = Array.from({length: 700}, (_, pgno) => pool.get(pgno))
      assert.equal(pool.stats().overcommit, 400)
      for (const [pgno, page] of pages.entries()) {
        page.writeUInt32BE(pgno)
        pool.put(page, pgno % 2 === 0 ? MPOOL_DIRTY : 0)
      }
      assert.equal(pool.stats().pinned, 0)
      assert.deepEqual(pool.frames().filter((f) => f.pgno % 2 === 1), [], 'clean pages over maxcache were given back')
      assert.equal(pool.stats().cached, 350, 'the dirty ones wait for sync')
      pool.sync()
      assert.equal(pool.stats().cached, 300)
      for (let pgno = 0; pgno < 700; pgno += 2) assert.equal(pool.peek(pgno).bytes.readUInt32BE(0), pgno)
    })

    it('rejects a put of a cached page that is not pinned with EINVAL', () => {
      const {pool} = poolOf(2, 2)
      pool.put(pool.get(0))
      throwsCode(() => pool.put(0), 'EINVAL', 0)
      assert.equal(pool.stats().pageput, 1)
    })

    it('rejects a put of a page not cached, or of a Buffer the pool did not hand out, with EINVAL', () => {
      const {pool} = poolOf(2, 2)
      const page = pool.get(0)
      throwsCode(() => pool.put(1), 'EINVAL', 1)
      throwsCode(() => pool.put(Buffer.from(page)), 'EINVAL')
      throwsCode(() => pool.put(page.subarray(0, PS)), 'EINVAL')
      throwsCode(() => pool.put(-1), 'EINVAL')
      assert.equal(pool.frames()[0].pins, 1)
    })

    it('rejects a page another pool handed out with EINVAL, even one in the same frame of a pool like it', () => {
      const {pool} = poolOf(2, 2)
      const {pool: other} = poolOf(2, 2)
      pool.get(0)
      const foreign = other.get(0)
      throwsCode(() => pool.put(foreign), 'EINVAL')
      throwsCode(() => pool.delete(foreign), 'EINVAL')
      assert.equal(pool.frames()[0].pins, 1)
      assert.equal(other.frames()[0].pins, 1)
    })

    it('rejects flags other than 0 and MPOOL_DIRTY with EINVAL and keeps the pin', () => {
      const {pool} = poolOf(1, 1)
      const page = pool.get(0)
      for (const flags of [2, 3, -1, 0.5]) throwsCode(() => pool.put(page, flags), 'EINVAL', 0)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 0, pins: 1, dirty: false}])
      pool.put(page, MPOOL_DIRTY)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 0, pins: 0, dirty: true}])
    })

    it('keeps a page dirty through a clean put until it is written', () => {
      const {pool, file} = poolOf(1, 1)
      pool.get(0).fill(9)
      pool.put(0, MPOOL_DIRTY)
      pool.get(0)
      pool.put(0)
      assert.equal(pool.frames()[0].dirty, true)
      pool.sync()
      assert.equal(pool.frames()[0].dirty, false)
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 9))
    })

    it('leaves recency alone: get sets it', () => {
      const {pool} = poolOf(2, 2)
      pool.get(0)
      pool.get(1)
      pool.put(1)
      pool.put(0)
      assert.deepEqual(order(pool), [0, 1])
    })
  })

  describe('delete', () => {
    it('drops a page pinned once without writing it', () => {
      const {pool, file} = poolOf(2, 2)
      const page = pool.get(0)
      page.fill(0xdd)
      pool.delete(page)
      assert.deepEqual(pool.frames(), [])
      assert.equal(pool.stats().pagewrite, 0)
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 1))
      pool.sync()
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 1))
      assert.deepEqual(pool.get(0), filled(PS, 1))
    })

    it('drops a dirty page by number, and the file keeps what it had', () => {
      const {pool, file} = poolOf(2, 2)
      pool.get(1).fill(0xdd)
      pool.put(1, MPOOL_DIRTY)
      pool.get(1)
      pool.delete(1)
      pool.sync()
      assert.deepEqual(pageOf(file, PS, 1), filled(PS, 2))
      assert.equal(pool.stats().dirty, 0)
    })

    it('rejects a page that is not pinned, or not cached, with EINVAL', () => {
      const {pool} = poolOf(2, 2)
      pool.put(pool.get(0))
      throwsCode(() => pool.delete(0), 'EINVAL', 0)
      throwsCode(() => pool.delete(1), 'EINVAL', 1)
      assert.deepEqual(order(pool), [0])
    })

    it('rejects a page pinned twice with EBUSY and leaves it cached with both pins', () => {
      const {pool} = poolOf(2, 2)
      pool.get(0)
      pool.get(0)
      throwsCode(() => pool.delete(0), 'EBUSY', 0)
      assert.deepEqual(pool.frames(), [{frame: 0, pgno: 0, pins: 2, dirty: false}])
    })

    it('gives the frame back for the next page instead of allocating another', () => {
      const {pool} = poolOf(4, 2)
      for (let i = 0; i < 6; i++) pool.delete(pool.get(i % 4))
      pool.put(pool.get(0))
      pool.put(pool.get(1))
      const stats = pool.stats()
      assert.equal(stats.frames, 2)
      assert.equal(stats.pagealloc, 2)
      assert.equal(stats.cached, 2)
    })
  })

  describe('eviction', () => {
    it('takes the least recently used unpinned page as the victim, as BSD does', () => {
      const {pool} = poolOf(6, 3)
      for (const pgno of [0, 1, 2]) pool.put(pool.get(pgno))
      pool.put(pool.get(0))
      pool.put(pool.get(3)) // victim: 1
      assert.deepEqual(order(pool), [2, 0, 3])
      pool.put(pool.get(4)) // victim: 2
      assert.deepEqual(order(pool), [0, 3, 4])
      assert.equal(pool.stats().pageflush, 2)
    })

    it('writes a dirty victim before its frame is reused', () => {
      const {pool, file} = poolOf(2, 1)
      const page = pool.get(0)
      page.fill(0xab)
      pool.put(page, MPOOL_DIRTY)
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 1))
      assert.deepEqual(pool.get(1), filled(PS, 2))
      assert.deepEqual(pageOf(file, PS, 0), filled(PS, 0xab))
      assert.equal(pool.stats().pagewrite, 1)
    })

    it('never evicts a pinned page', () => {
      const {pool} = poolOf(5, 2)
      const kept = pool.get(0)
      kept.fill(0x33)
      for (const pgno of [1, 2, 3, 4]) pool.put(pool.get(pgno))
      assert.deepEqual(order(pool), [0, 4])
      assert.equal(pool.get(0), kept)
      assert.deepEqual(kept, filled(PS, 0x33))
      assert.equal(pool.stats().cached, 2)
    })
  })

  describe('maxcache', () => {
    it('grows past maxcache when every frame is pinned, counting the overcommit', () => {
      const {pool} = poolOf(4, 2)
      const events: PoolEvent[] = []
      pool.on((e) => events.push(e))
      for (const pgno of [0, 1, 2]) pool.get(pgno)
      const stats = pool.stats()
      assert.equal(stats.cached, 3)
      assert.equal(stats.overcommit, 1)
      assert.equal(stats.frames, 3)
      assert.deepEqual(events.filter((e) => e.type === 'grow'), [{type: 'grow', frame: 2, cached: 3, maxcache: 2}])
    })

    it('gives frames back as pages unpin, down to maxcache', () => {
      const {pool} = poolOf(4, 2)
      for (const pgno of [0, 1, 2, 3]) pool.get(pgno)
      assert.equal(pool.stats().overcommit, 2)
      pool.put(1)
      assert.deepEqual(order(pool), [0, 2, 3])
      pool.put(3)
      assert.deepEqual(order(pool), [0, 2])
      assert.equal(pool.stats().overcommit, 0)
      pool.put(0)
      assert.deepEqual(order(pool), [0, 2], 'at maxcache nothing more is given back')
      pool.put(pool.get(1))
      assert.equal(pool.stats().frames, 4, 'frames given back are reused, not freed')
      assert.equal(pool.stats().pagealloc, 4)
    })

    it('gives back the clean pages behind a dirty one that waits for sync', () => {
      const {pool} = poolOf(4, 1)
      const pages = [0, 1, 2, 3].map((pgno) => pool.get(pgno))
      pages[0].fill(0x10)
      pool.put(0, MPOOL_DIRTY)
      assert.deepEqual(order(pool), [0, 1, 2, 3], 'page 0, dirty, is first in line')
      pool.put(2)
      pool.put(3)
      assert.deepEqual(order(pool), [0, 1], 'page 0 waits for sync; 2 and 3 go')
      pool.put(1)
      assert.deepEqual(order(pool), [0])
      assert.equal(pool.stats().pagewrite, 0, 'put writes nothing')
    })

    it('keeps a dirty page over maxcache until sync writes it, then gives its frame back', () => {
      const {pool, file} = poolOf(3, 1)
      pool.get(0)
      pool.get(1).fill(0x11)
      pool.put(1, MPOOL_DIRTY)
      assert.equal(pool.stats().overcommit, 1)
      assert.equal(pool.sync(), 1)
      assert.deepEqual(order(pool), [0])
      assert.deepEqual(pageOf(file, PS, 1), filled(PS, 0x11))
    })

    it('fails with EBUSY under hardLimit when every frame is pinned, changing nothing cached', () => {
      const {pool} = poolOf(3, 2, {hardLimit: true})
      pool.get(0)
      pool.get(1)
      const frames = pool.frames()
      throwsCode(() => pool.get(2), 'EBUSY', 2)
      throwsCode(() => pool.new(), 'EBUSY')
      assert.deepEqual(pool.frames(), frames)
      const stats = pool.stats()
      assert.equal(stats.npages, 3)
      assert.equal(stats.cached, 2)
      assert.equal(stats.frames, 2)
      assert.equal(stats.pageread, 2)
      assert.equal(stats.hardLimit, true)
      pool.put(1)
      assert.deepEqual(pool.get(2), filled(PS, 3))
    })
  })

  describe('sync', () => {
    it('writes every dirty page, pinned ones too, in page order, each run of adjacent pages in one vectored write, then flushes once', () => {
      const {fd, file} = tmp.pageFile(PS, 8)
      const io = new FaultyIO(fd)
      const pool = MPool.open(null, fd, PS, 8, {io})
      pools.push(pool)
      for (const pgno of [5, 2, 7, 1, 3]) {
        pool.get(pgno).fill(0x80 + pgno)
        if (pgno !== 2) pool.put(pgno, MPOOL_DIRTY)
      }
      pool.pinnedPage(2) // still pinned
      pool.get(4) // clean and pinned: not written
      pool.put(2, MPOOL_DIRTY)
      pool.get(2)
      io.forget()
      assert.equal(pool.sync(), 5)
      assert.deepEqual(io.calls.map(({op, position, buffers, length}) => ({op, position, buffers, length})), [
        {op: 'writev', position: 1 * PS, buffers: 3, length: 3 * PS},
        {op: 'write', position: 5 * PS, buffers: undefined, length: PS},
        {op: 'write', position: 7 * PS, buffers: undefined, length: PS},
        {op: 'flush', position: undefined, buffers: undefined, length: undefined},
      ])
      for (const pgno of [1, 2, 3, 5, 7]) assert.deepEqual(pageOf(file, PS, pgno), filled(PS, 0x80 + pgno))
      for (const pgno of [0, 4, 6]) assert.deepEqual(pageOf(file, PS, pgno), filled(PS, pgno + 1))
      assert.equal(pool.stats().dirty, 0)
      assert.equal(pool.stats().pagewrite, 5)
      assert.deepEqual(pool.frames().filter((f) => f.pins > 0).map((f) => f.pgno).sort(), [2, 4])
    })

    it('splits a run longer than IOV_MAX (1024 pages) into vectored writes of at most 1024 pages', () => {
      const ps = 16
      const {fd, file} = tmp.pageFile(ps, 1100, (n) => n & 0xff)
      const io = new FaultyIO(fd)
      const pool = MPool.open(null, fd, ps, 1100, {io})
      pools.push(pool)
      for (let pgno = 0; pgno < 1100; pgno++) {
        pool.get(pgno).fill(~pgno & 0xff)
        pool.put(pgno, MPOOL_DIRTY)
      }
      io.forget()
      assert.equal(pool.sync(), 1100)
      assert.deepEqual(io.calls.map(({op, position, buffers}) => ({op, position, buffers})), [
        {op: 'writev', position: 0, buffers: 1024},
        {op: 'writev', position: 1024 * ps, buffers: 76},
        {op: 'flush', position: undefined, buffers: undefined},
      ])
      const bytes = fs.readFileSync(file)
      for (let pgno = 0; pgno < 1100; pgno++) assert.equal(bytes[pgno * ps + ps - 1], ~pgno & 0xff, `page ${pgno}`)
    })

    it('writes nothing when nothing is dirty', () => {
      const {fd} = tmp.pageFile(PS, 2)
      const io = new FaultyIO(fd)
      const pool = MPool.open(null, fd, PS, 2, {io})
      pools.push(pool)
      pool.put(pool.get(0))
      assert.equal(pool.sync(), 0)
      assert.equal(io.count('write') + io.count('writev'), 0)
    })
  })

  describe('close', () => {
    it('writes nothing and reports the dirty pages it dropped and the pins still held, in page order', () => {
      const {pool, file} = poolOf(4, 4)
      const before = fs.readFileSync(file)
      for (const pgno of [3, 0, 2]) {
        pool.get(pgno).fill(0xcc)
        pool.put(pgno, MPOOL_DIRTY)
      }
      pool.get(3)
      pool.get(1)
      assert.deepEqual(pool.close(), {dirty: [0, 2, 3], pinned: [1, 3]})
      assert.deepEqual(fs.readFileSync(file), before)
      assert.equal(pool.closed, true)
    })

    it('makes every later call on the handle ECLOSED, as a closed trace writer is', () => {
      const {pool} = poolOf(2, 2)
      const page = pool.get(0)
      pool.close()
      const calls: Array<() => unknown> = [
        () => pool.get(0), () => pool.put(page), () => pool.put(0), () => pool.new(), () => pool.delete(0),
        () => pool.sync(), () => pool.close(), () => pool.stats(), () => pool.frames(), () => pool.filter(null, null),
        () => pool.on(() => {}), () => pool.npages, () => pool.pagesize, () => pool.key, () => pool.peek(0),
      ]
      for (const call of calls) throwsCode(call, 'ECLOSED')
      assert.throws(() => pool.stats(), {code: 'ECLOSED', message: 'this pool handle is closed; open the pool again'})
    })
  })

  describe('stats', () => {
    it('counts the nine BSD counters exactly through a scripted sequence', () => {
      const {pool} = poolOf(4, 2)
      pool.get(0) //                       get 1, miss 1, alloc 1, read 1
      pool.put(0) //                       put 1
      pool.get(0) //                       get 2, hit 1
      pool.put(0, MPOOL_DIRTY) //          put 2
      assert.equal(pool.stats().dirty, 1)
      pool.get(1) //                       get 3, miss 2, alloc 2, read 2; LRU now [0, 1]
      assert.deepEqual([pool.stats().pinned, pool.stats().cached], [1, 2])
      pool.put(1) //                       put 3
      pool.get(2) //                       get 4, miss 3: victim 0, dirty: write 1, flush 1; read 3
      pool.put(2) //                       put 4
      const {page} = pool.new() //         new 1, pgno 4: victim 1, clean: flush 2
      pool.put(page, MPOOL_DIRTY) //       put 5
      assert.equal(pool.sync(), 1) //      write 2
      const {policy, key, hardLimit, readahead, writeBehind, journal, ...stats} = pool.stats()
      assert.deepEqual([policy, key, hardLimit, readahead, writeBehind, journal], ['lru', null, false, 0, false, false])
      assert.deepEqual(stats, {
        pagesize: PS, npages: 5, maxcache: 2, cached: 2, pinned: 0, dirty: 0, overcommit: 0, frames: 2,
        cachehit: 1, cachemiss: 3, pagealloc: 2, pageflush: 2, pageget: 4, pagenew: 1, pageput: 5, pageread: 3, pagewrite: 2,
        prefetch: 0, prefetchhit: 0, prefetchwaste: 0,
        hitRate: 0.25, trailing: 0, pagezero: 0, pagegiveback: 0,
      })
    })

    it('tells frames given back over maxcache apart from evictions, and zero-filled reads apart from reads', () => {
      const {pool} = poolOf(0, 4)
      const pages = Array.from({length: 6}, () => pool.new().pgno) // every frame pinned: the pool grows to 6
      pool.put(pages[0]) //                over maxcache: page 0's clean frame is given back, no miss asked for it
      let stats = pool.stats()
      assert.deepEqual([stats.pageflush, stats.pagegiveback], [1, 1])
      for (const pgno of pages.slice(1)) pool.put(pgno) // back at maxcache: page 1 given back too
      pool.get(0) //                       a miss on a page never written: read as zeros, victim page 2
      stats = pool.stats()
      assert.deepEqual([stats.pageflush, stats.pagegiveback, stats.pageread, stats.pagezero], [3, 2, 1, 1])
    })

    it('changes nothing when read', () => {
      const {pool} = poolOf(3, 2)
      pool.put(pool.get(0))
      pool.put(pool.get(1))
      const stats = pool.stats()
      const frames = pool.frames()
      pool.stats()
      pool.frames()
      assert.deepEqual(pool.stats(), stats)
      assert.deepEqual(pool.frames(), frames)
    })
  })

  describe('looking without touching', () => {
    it('peeks at a copy of a cached page, its pins and dirty state, changing no pin, recency or counter', () => {
      const {pool} = poolOf(3, 3)
      const page = pool.get(1)
      page.fill(0x21)
      pool.put(page, MPOOL_DIRTY)
      pool.get(1)
      pool.put(pool.get(2))
      const stats = pool.stats()
      const frames = pool.frames()
      const snap = pool.peek(1)
      assert.deepEqual(snap, {pgno: 1, bytes: filled(PS, 0x21), cached: true, dirty: true, pins: 1, frame: 0})
      assert.notEqual(snap.bytes.buffer, page.buffer, 'a copy, not the cached page')
      snap.bytes.fill(0)
      assert.deepEqual(page, filled(PS, 0x21))
      assert.deepEqual(pool.peek(0), {pgno: 0, bytes: filled(PS, 1), cached: false, dirty: false, pins: 0, frame: -1})
      assert.deepEqual(pool.stats(), stats)
      assert.deepEqual(pool.frames(), frames)
      throwsCode(() => pool.peek(3), 'EINVAL', 3)
    })

    it('peeks at an uncached page through pgin, as get would show it', () => {
      const {pool} = poolOf(2, 1)
      pool.filter((_c, _p, page) => page.fill(0x0e), null)
      assert.deepEqual(pool.peek(1).bytes, filled(PS, 0x0e))
      assert.equal(pool.stats().pageread, 0)
    })

    it('reads a page as it is on the file, without filters, and zeros past the end of the file', () => {
      const {pool} = poolOf(2, 2)
      pool.filter((_c, _p, page) => page.fill(0x0e), null)
      const page = pool.get(0)
      page.fill(0x44)
      pool.put(page, MPOOL_DIRTY)
      assert.deepEqual(pool.readFile(0), filled(PS, 1))
      const {pgno} = pool.new()
      assert.deepEqual(pool.readFile(pgno), Buffer.alloc(PS))
      throwsCode(() => pool.readFile(pgno + 1), 'EINVAL', pgno + 1)
      assert.equal(pool.stats().pageread, 1)
    })

    it('hands back the Buffer of a pinned page by number, moving nothing, and EINVAL for a page not pinned', () => {
      const {pool} = poolOf(3, 3)
      const page = pool.get(0)
      pool.put(pool.get(1))
      const frames = pool.frames()
      assert.equal(pool.pinnedPage(0), page)
      assert.deepEqual(pool.frames(), frames)
      throwsCode(() => pool.pinnedPage(1), 'EINVAL', 1)
      throwsCode(() => pool.pinnedPage(2), 'EINVAL', 2)
    })

    it('describes the replacement policy\'s state', () => {
      const {pool} = poolOf(2, 2)
      pool.get(0)
      assert.deepEqual(pool.policyState(), {policy: 'lru', frames: 1})
    })
  })

  describe('events', () => {
    function listen(pool: MPool): PoolEvent[] {
      const events: PoolEvent[] = []
      pool.on((e) => events.push(e))
      return events
    }

    it('tells a hit as hit then pin', () => {
      const {pool} = poolOf(2, 2)
      pool.get(1)
      const events = listen(pool)
      pool.get(1)
      assert.deepEqual(events, [
        {type: 'hit', pgno: 1, frame: 0},
        {type: 'pin', pgno: 1, frame: 0, pins: 2},
      ])
    })

    it('tells a miss that evicts a dirty victim as miss, write, evict, read, pin', () => {
      const {pool} = poolOf(3, 1)
      pool.get(2).fill(1)
      pool.put(2, MPOOL_DIRTY)
      const events = listen(pool)
      pool.get(0)
      assert.deepEqual(events, [
        {type: 'miss', pgno: 0},
        {type: 'write', pgno: 2, pages: 1, offset: 2 * PS, bytes: PS, reason: 'evict'},
        {type: 'evict', pgno: 2, frame: 0, dirty: true, reason: 'replace', why: {policy: 'lru', frame: 0, passed: []}},
        {type: 'read', pgno: 0, frame: 0, offset: 0, bytes: PS},
        {type: 'pin', pgno: 0, frame: 0, pins: 1},
      ])
    })

    it('tells a sync as one write per run, then sync', () => {
      const {pool} = poolOf(4, 4)
      for (const pgno of [3, 0, 1]) {
        pool.get(pgno)
        pool.put(pgno, MPOOL_DIRTY)
      }
      const events = listen(pool)
      pool.sync()
      assert.deepEqual(events, [
        {type: 'write', pgno: 0, pages: 2, offset: 0, bytes: 2 * PS, reason: 'sync'},
        {type: 'write', pgno: 3, pages: 1, offset: 3 * PS, bytes: PS, reason: 'sync'},
        {type: 'sync', pages: 3, writes: 2},
      ])
    })

    it('tells put, new, delete and close', () => {
      const {pool} = poolOf(1, 2)
      const events = listen(pool)
      pool.get(0)
      pool.put(0, MPOOL_DIRTY)
      const {pgno} = pool.new()
      pool.delete(pgno)
      pool.close()
      assert.deepEqual(events, [
        {type: 'miss', pgno: 0},
        {type: 'read', pgno: 0, frame: 0, offset: 0, bytes: PS},
        {type: 'pin', pgno: 0, frame: 0, pins: 1},
        {type: 'unpin', pgno: 0, frame: 0, pins: 0, dirty: true, dirtied: true},
        {type: 'new', pgno: 1, frame: 1},
        {type: 'pin', pgno: 1, frame: 1, pins: 1},
        {type: 'delete', pgno: 1, frame: 1, dirty: false},
        {type: 'close', dirty: [0], pinned: []},
      ])
    })

    it('makes no events and needs no listener when nobody listens, and stops when unsubscribed', () => {
      const {pool} = poolOf(3, 1)
      const core = (pool as unknown as {core: {emit: unknown}}).core
      pool.put(pool.get(0), MPOOL_DIRTY)
      pool.put(pool.get(1))
      assert.equal(core.emit, null, 'with no listener the hot path tests one null field')
      const first: PoolEvent[] = []
      const second: PoolEvent[] = []
      const stopFirst = pool.on((e) => first.push(e))
      const stopSecond = pool.on((e) => second.push(e))
      pool.put(pool.get(1))
      stopFirst()
      pool.put(pool.get(1))
      assert.equal(first.length, 3)
      assert.equal(second.length, 6)
      stopSecond()
      assert.equal(core.emit, null)
      pool.put(pool.get(2))
      assert.equal(second.length, 6)
    })

    it('tells a listener what another handle on the same key did', () => {
      const key = `mpool-test-events-${process.pid}`
      const {pool: a, fd} = poolOf(2, 2, {key})
      const b = MPool.open(key, fd, PS, 4)
      pools.push(b)
      const events: PoolEvent[] = []
      a.on((e) => events.push(e))
      b.get(1)
      pools.push(MPool.open(key, fd, PS, 8))
      assert.deepEqual(events.map((e) => e.type), ['miss', 'read', 'pin', 'maxcache'])
      assert.deepEqual(events[3], {type: 'maxcache', maxcache: 8})
    })
  })

  describe('large files', () => {
    it('reads and writes a page whose offset is past 2^32, in a sparse 5 GiB file', () => {
      const pagesize = 65536
      const pgno = 70000
      const offset = pgno * pagesize
      assert.ok(offset > 2 ** 32)
      const file = tmp.file()
      const fd = tmp.open(file)
      fs.ftruncateSync(fd, 5 * 2 ** 30)
      const pool = MPool.open(null, fd, pagesize, 2)
      pools.push(pool)
      assert.equal(pool.npages, 81920)
      const page = pool.get(pgno)
      assert.deepEqual(page, Buffer.alloc(pagesize))
      for (let i = 0; i < pagesize; i++) page[i] = (i * 7 + 3) & 0xff
      const expected = Buffer.from(page)
      pool.put(page, MPOOL_DIRTY)
      pool.sync()
      const onDisk = Buffer.alloc(pagesize)
      assert.equal(fs.readSync(fd, onDisk, 0, pagesize, offset), pagesize)
      assert.deepEqual(onDisk, expected)
      const before = Buffer.alloc(16)
      fs.readSync(fd, before, 0, 16, offset - 16)
      assert.deepEqual(before, Buffer.alloc(16), 'the page before it is untouched')
      pool.put(pool.get(0))
      pool.put(pool.get(1))
      assert.deepEqual(pool.get(pgno), expected)
      assert.equal(pool.stats().pageread, 4)
    })
  })

  describe('page numbers at the 32-bit limit', () => {
    it('gets page 2^32-1 and refuses to add a page past it, in a sparse 4 GiB file of 1-byte pages', () => {
      const file = tmp.file()
      const fd = tmp.open(file)
      fs.ftruncateSync(fd, 2 ** 32)
      const pool = MPool.open(null, fd, 1, 2)
      pools.push(pool)
      assert.equal(pool.npages, 2 ** 32)
      const page = pool.get(MAX_PGNO)
      page[0] = 0x7f
      pool.put(page, MPOOL_DIRTY)
      pool.sync()
      const byte = Buffer.alloc(1)
      fs.readSync(fd, byte, 0, 1, MAX_PGNO)
      assert.equal(byte[0], 0x7f)
      throwsCode(() => pool.new(), 'EINVAL')
      assert.equal(pool.npages, 2 ** 32)
      assert.equal(pool.stats().pagenew, 0)
    })

    it('adds page 2^32-1 as the last new page', () => {
      const file = tmp.file()
      const fd = tmp.open(file)
      fs.ftruncateSync(fd, 2 ** 32 - 1)
      const pool = MPool.open(null, fd, 1, 2)
      pools.push(pool)
      assert.equal(pool.new().pgno, MAX_PGNO)
      throwsCode(() => pool.new(), 'EINVAL')
    })
  })

  describe('partial pages', () => {
    it('reads a page whose read comes back short in pieces, as one whole page', () => {
      const {fd} = tmp.pageFile(PS, 2)
      const io = new FaultyIO(fd).short('read', 10)
      const pool = MPool.open(null, fd, PS, 2, {io})
      pools.push(pool)
      assert.deepEqual(pool.get(1), filled(PS, 2))
      assert.equal(io.count('read'), 2)
    })

    it('fails with EFTYPE when the file ends inside the page, and the frame goes back', () => {
      const {fd} = tmp.pageFile(PS, 3)
      const io = new FaultyIO(fd)
      const pool = MPool.open(null, fd, PS, 1, {io})
      pools.push(pool)
      io.endReadsAt(2 * PS + PS / 2)
      throwsCode(() => pool.get(2), 'EFTYPE', 2)
      assert.deepEqual([pool.stats().cached, pool.stats().frames, pool.stats().pageread], [0, 1, 0])
      assert.deepEqual(pool.frames(), [])
      io.clear()
      assert.deepEqual(pool.get(0), filled(PS, 1))
      const stats = pool.stats()
      assert.deepEqual([stats.cached, stats.frames, stats.pagealloc], [1, 1, 1])
    })

    it('fails with EFTYPE for a page the file was truncated into after open, and reads a page truncated away as zeros', () => {
      const {pool, fd} = poolOf(3, 2)
      pool.put(pool.get(0))
      fs.ftruncateSync(fd, 2 * PS + 5)
      throwsCode(() => pool.get(2), 'EFTYPE', 2)
      assert.deepEqual(order(pool), [0])
      assert.equal(pool.stats().cached, 1)
      fs.ftruncateSync(fd, 2 * PS)
      assert.deepEqual(pool.get(2), Buffer.alloc(PS))
      assert.equal(pool.stats().frames, 2)
    })

    it('reads a new page laid over the trailing bytes of a partial last page as zeros, never those bytes', () => {
      const {pool, fd} = poolOf(2, 1)
      fs.writeSync(fd, Buffer.alloc(10, 0xee), 0, 10, 2 * PS) // 10 stray bytes after the last whole page
      pool.close()
      const reopened = MPool.open(null, fd, PS, 1)
      pools.push(reopened)
      assert.deepEqual([reopened.npages, reopened.stats().trailing], [2, 10])
      const {pgno} = reopened.new()
      assert.equal(pgno, 2)
      reopened.put(pgno) // clean: never written
      reopened.put(reopened.get(0)) // evicts page 2
      assert.deepEqual(reopened.get(2), Buffer.alloc(PS))
      assert.deepEqual(reopened.readFile(2), Buffer.alloc(PS))
      // a page that was whole at open and is partial now is still EFTYPE
      reopened.put(2)
      fs.ftruncateSync(fd, PS + 5)
      throwsCode(() => reopened.get(1), 'EFTYPE', 1)
    })

    it('names the page and the code of a failed read, and takes no frame', () => {
      const {fd} = tmp.pageFile(PS, 2)
      const io = new FaultyIO(fd).fail('read', 'EIO')
      const pool = MPool.open(null, fd, PS, 2, {io})
      pools.push(pool)
      throwsCode(() => pool.get(1), 'EIO', 1)
      assert.equal(pool.stats().cached, 0)
      assert.deepEqual(pool.get(1), filled(PS, 2))
      assert.equal(pool.stats().frames, 1)
    })
  })
})
