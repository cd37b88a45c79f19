/*
 * A range of pages in one round trip: getRange and peekRange on a real pool server, raw on the
 * socket and through RemotePool and the verbs; what the server refuses, and a range pinned
 * whole or not at all (a hard limit that runs out on the way).
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {detectFormat} from '../../src/formats/index.js'
import {connectPool, type PoolHandle, type RemotePool} from '../../src/session/index.js'
import {maxRangePages} from '../../src/session/protocol.js'
import {runVerbLine} from '../../src/verbs/index.js'
import {sqlite3} from '../helpers/sqlite3.js'
import {exchange, SessionHarness} from './harness.js'

const PAGESIZE = 512

/** callCounting -- the real handle, with every call of each method counted by name. */
function callCounting(handle: PoolHandle): {handle: PoolHandle; calls: Map<string, number>} {
  const calls = new Map<string, number>()
  const counted = new Proxy(handle, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.set(String(name), (calls.get(String(name)) ?? 0) + 1)
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return {handle: counted, calls}
}

describe('a range of pages in one round trip (getRange, peekRange)', function () {
  this.timeout(60_000)
  let h: SessionHarness
  before(async () => {
    h = new SessionHarness()
    await h.open({key: 'ranges', file: h.pageFile(PAGESIZE, 16), pagesize: PAGESIZE, maxcache: 8})
    await h.open({key: 'tight', file: h.pageFile(PAGESIZE, 16), pagesize: PAGESIZE, maxcache: 2, hardLimit: true})
  })
  after(() => h.cleanup())

  /** ask -- one raw request line on a fresh connection; its one reply. */
  async function ask(key: string, op: string, args: Record<string, unknown>): Promise<{ok: boolean; result?: unknown; error?: {code: string; message: string}}> {
    const replies = await exchange(h.socket(key), [JSON.stringify({id: 1, op, args})])
    assert.equal(replies.length, 1)
    return JSON.parse(replies[0]!) as {ok: boolean; result?: unknown; error?: {code: string; message: string}}
  }

  async function pinned(key: string): Promise<number[]> {
    const pool = await connectPool({key})
    try {
      return (await pool.frames()).filter((f) => f.pins > 0).map((f) => f.pgno).sort((a, b) => a - b)
    } finally {
      await pool.detach()
    }
  }

  async function putBack(key: string, pgnos: number[]): Promise<void> {
    const pool = await connectPool({key})
    for (const pgno of pgnos) await pool.put(pgno)
    await pool.detach()
  }

  it('answers one getRange request with every page of the range, each pinned, its bytes and its frame', async () => {
    const reply = await ask('ranges', 'getRange', {first: 3, last: 9})
    assert.ok(reply.ok, JSON.stringify(reply.error))
    const pages = reply.result as Array<{pgno: number; bytes: string; cached: boolean; pins: number; frame: number}>
    assert.deepEqual(pages.map((p) => p.pgno), [3, 4, 5, 6, 7, 8, 9])
    for (const p of pages) {
      assert.deepEqual(Buffer.from(p.bytes, 'base64'), Buffer.alloc(PAGESIZE, p.pgno + 1), `page ${p.pgno}'s bytes`)
      assert.deepEqual([p.cached, p.pins], [true, 1])
      assert.ok(p.frame >= 0)
    }
    assert.deepEqual(await pinned('ranges'), [3, 4, 5, 6, 7, 8, 9])
    await putBack('ranges', [3, 4, 5, 6, 7, 8, 9])
  })

  it('takes get 3-9 and dump 3-9 as one call each over a server, not one (or two) per page', async () => {
    const remote = await connectPool({key: 'ranges'})
    try {
      const {handle, calls} = callCounting(remote)
      const got = (await runVerbLine(handle, 'get 3-9')).result as Array<{pgno: number; pins: number}>
      assert.deepEqual(got.map((p) => [p.pgno, p.pins]), [3, 4, 5, 6, 7, 8, 9].map((pgno) => [pgno, 1]))
      assert.deepEqual(Object.fromEntries(calls), {layout: 1, getRange: 1})
      calls.clear()
      const dumped = (await runVerbLine(handle, 'dump 3-9')).result as Array<{pgno: number}>
      assert.deepEqual(dumped.map((p) => p.pgno), [3, 4, 5, 6, 7, 8, 9])
      assert.deepEqual(Object.fromEntries(calls), {layout: 1, peekRange: 1})
      for (let pgno = 3; pgno <= 9; pgno++) await remote.put(pgno)
    } finally {
      await remote.detach()
    }
    assert.deepEqual(await pinned('ranges'), [])
  })

  it('decodes a range with each page peeked at most once over the whole call, the header page and a map\'s pages too', async () => {
    // a SQLite file whose rows overflow: an overflow page's decode needs the whole map
    const file = path.join(h.files, 'overflow.db')
    sqlite3(file, "PRAGMA page_size=1024; CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 40) INSERT INTO t SELECT i, randomblob(1500) FROM s;")
    const npages = fs.statSync(file).size / 1024
    const format = detectFormat(fs.readFileSync(file), fs.statSync(file).size)
    assert.equal(format?.format, 'sqlite')
    await h.open({key: 'overflow', file, pagesize: 1024, maxcache: 8, format})
    const remote = await connectPool({key: 'overflow'})
    try {
      const peeked = new Map<number, number>()
      const counted = new Proxy(remote, {
        get(target, name) {
          const value = Reflect.get(target, name, target) as unknown
          if (name !== 'peek' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value
          return (pgno: number, options?: {withFile?: boolean}) => {
            peeked.set(pgno, (peeked.get(pgno) ?? 0) + 1)
            return target.peek(pgno, options)
          }
        },
      })
      for (const line of [`dump 0-${npages - 1} --decode`, `dump 2-${npages - 1} --decode --json`]) {
        peeked.clear()
        const pages = (await runVerbLine(counted, line)).result as Array<{decoded: {kind: string}}>
        assert.equal(pages.length, line.startsWith('dump 0') ? npages : npages - 2)
        assert.ok(pages.some((p) => p.decoded.kind === 'overflow'), 'an overflow page, whose decode reads the map')
        assert.deepEqual([...peeked].filter(([, times]) => times > 1), [], `${line}: pages peeked more than once`)
      }
    } finally {
      await remote.detach()
    }
  })

  it('refuses a range out of order, past the end or too large for one reply, touching nothing, and goes on serving', async () => {
    const most = maxRangePages(PAGESIZE, false)
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['getRange', {first: 5, last: 2}, /^cannot get pages 5 to 2: a range runs from a page number to one no lower; nothing was touched$/],
      ['getRange', {first: 10, last: 16}, /^cannot get pages 10 to 16: the file has 16 pages \(0 to 15\); nothing was touched$/],
      ['peekRange', {first: 0, last: 99}, /^cannot look at pages 0 to 99: the file has 16 pages \(0 to 15\); nothing was touched$/],
      ['getRange', {first: 0, last: most}, new RegExp(`^a range request asks for ${most + 1} pages \\(0 to ${most}\\); one request takes at most ${most} pages of ${PAGESIZE} bytes, so ask for the rest in another; nothing was touched$`)],
      ['peekRange', {first: 0, last: maxRangePages(PAGESIZE, true), withFile: true}, /^a range request asks for/],
    ]
    for (const [op, args, says] of cases) {
      const reply = await ask('ranges', op, args)
      assert.equal(reply.ok, false, `${op} ${JSON.stringify(args)}`)
      assert.equal(reply.error!.code, 'EINVAL')
      assert.match(reply.error!.message, says)
    }
    for (const args of [{first: 1}, {first: -1, last: 2}, {first: 0, last: 1.5}, {first: 0, last: 1, pgno: 3}]) {
      const reply = await ask('ranges', 'getRange', args)
      assert.equal(reply.ok, false)
      assert.match(reply.error!.message, /^bad request: getRange args/)
    }
    assert.deepEqual(await pinned('ranges'), [])
    assert.equal((await ask('ranges', 'ping', {})).ok, true)
  })

  it('pins a range whole or not at all: a hard limit reached on the way puts back what the range had pinned', async () => {
    const reply = await ask('tight', 'getRange', {first: 0, last: 4})
    assert.equal(reply.ok, false)
    assert.equal(reply.error!.code, 'EBUSY')
    assert.match(reply.error!.message, /; get 0-4 put back pages 0 to 1, which it had pinned: nothing of the range is pinned$/)
    assert.deepEqual(await pinned('tight'), [])
    const remote = (await connectPool({key: 'tight'})) as RemotePool
    try {
      await assert.rejects(remote.getRange(2, 6), (err: Error & {code?: string}) => err.code === 'EBUSY')
      assert.deepEqual((await remote.frames()).filter((f) => f.pins > 0), [])
      assert.equal((await remote.getRange(5, 6)).length, 2, 'a range that fits is pinned')
    } finally {
      await remote.detach()
    }
    assert.deepEqual(await pinned('tight'), [5, 6])
    await putBack('tight', [5, 6])
  })
})

describe('a range larger than one reply', function () {
  this.timeout(60_000)
  const BIG = 2 << 20 // the largest pagesize: a reply holds maxRangePages(BIG) = 8 of them
  let h: SessionHarness
  before(async () => {
    h = new SessionHarness()
    await h.open({key: 'big', file: h.pageFile(BIG, 11), pagesize: BIG, maxcache: 9, hardLimit: true})
  })
  after(() => h.cleanup())

  it('is asked for in parts by RemotePool, and pinned whole or not at all across them', async () => {
    assert.equal(maxRangePages(BIG, false), 8)
    const remote = await connectPool({key: 'big'})
    try {
      const pages = await remote.getRange(0, 8)
      assert.deepEqual(pages.map((p) => [p.pgno, p.pins, p.bytes[0], p.bytes[BIG - 1]]), Array.from({length: 9}, (_, n) => [n, 1, n + 1, n + 1]))
      for (let pgno = 0; pgno <= 8; pgno++) await remote.put(pgno)
      // the second part (8 to 10) runs out of frames at page 9: the server puts back page 8, the client pages 0 to 7
      await assert.rejects(remote.getRange(0, 10), (err: Error & {code?: string}) => err.code === 'EBUSY' && /also put back pages 0 to 7: nothing of the range is pinned$/.test(err.message))
      assert.deepEqual((await remote.frames()).filter((f) => f.pins > 0), [])
      const peeked = await remote.peekRange(0, 10)
      assert.deepEqual(peeked.map((p) => p.bytes[0]), Array.from({length: 11}, (_, n) => n + 1))
    } finally {
      await remote.detach()
    }
  })
})
