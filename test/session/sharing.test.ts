/*
 * Sharing one pool: pins taken by one client (a separate process that exits) are given back by
 * another and record who took them; several clients at once on one key leave the counters
 * consistent; events reach subscribers and explaining callers; page bytes cross intact.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import type {PoolEvent} from '../../src/pool/index.js'
import {connectPool, type RemotePool} from '../../src/session/index.js'
import {SessionHarness, waitForExit} from './harness.js'

const run = promisify(execFile)
const CLIENT = fileURLToPath(new URL('./fixtures/client.ts', import.meta.url))
const PAGESIZE = 256

/** client -- run the fixture client in its own process; returns its pid. */
async function client(...args: string[]): Promise<number> {
  const {stdout} = await run(process.execPath, ['--import', 'tsx', CLIENT, ...args], {env: process.env})
  return (JSON.parse(stdout) as {pid: number}).pid
}

describe('sharing a pool between clients', function () {
  this.timeout(30_000)
  let h: SessionHarness
  let serverPid: number
  let file: string
  const handles: RemotePool[] = []

  /** connect -- a handle closed (detached) after each test. */
  async function connect(options: Parameters<typeof connectPool>[0] = {}): Promise<RemotePool> {
    const pool = await connectPool({key: 'shared', ...options})
    handles.push(pool)
    return pool
  }

  before(async () => {
    h = new SessionHarness()
    file = h.pageFile(PAGESIZE, 16)
    serverPid = (await h.open({key: 'shared', file, pagesize: PAGESIZE, maxcache: 8})).pid
  })
  afterEach(async () => {
    for (const pool of handles.splice(0)) await pool.detach()
  })
  after(async () => {
    try {
      const pool = await connectPool({key: 'shared'})
      await pool.close()
      await waitForExit(serverPid)
    } finally {
      h.cleanup()
    }
  })

  it('a pin taken by one process outlives it, names its pid and command, and another process puts it back', async () => {
    const getter = await client('shared', 'get', '3')
    const watcher = await connect()
    const pinned = (await watcher.frames()).find((f) => f.pgno === 3)
    assert.ok(pinned !== undefined, 'page 3 is still cached')
    assert.equal(pinned.pins, 1)
    assert.deepEqual(pinned.holders, [{pid: getter, command: 'mpool shared get 3'}])

    const putter = await client('shared', 'put', '3', 'from another process')
    assert.notEqual(putter, getter)
    const after = (await watcher.frames()).find((f) => f.pgno === 3)!
    assert.deepEqual({pins: after.pins, dirty: after.dirty, holders: after.holders}, {pins: 0, dirty: true, holders: []})
    const peeked = await watcher.peek(3, {withFile: true})
    assert.equal(peeked.bytes.subarray(0, 20).toString(), 'from another process')
    assert.deepEqual(peeked.file, Buffer.alloc(PAGESIZE, 4), 'not on the file before sync')
    assert.equal(await watcher.sync(), 1)
    assert.equal(fs.readFileSync(file).subarray(3 * PAGESIZE, 3 * PAGESIZE + 20).toString(), 'from another process')
  })

  it('records each pin under the holder its client gave, and a put gives back its own pin first', async () => {
    const a = await connect({holder: {pid: 101, command: 'mpool get 5'}})
    const b = await connect({holder: {pid: 202, command: 'repl'}})
    await a.get(5)
    await b.get(5)
    await a.get(5)
    assert.deepEqual((await a.frames()).find((f) => f.pgno === 5)!.holders, [
      {pid: 101, command: 'mpool get 5'},
      {pid: 202, command: 'repl'},
      {pid: 101, command: 'mpool get 5'},
    ])
    await b.put(5)
    assert.deepEqual((await a.frames()).find((f) => f.pgno === 5)!.holders, [
      {pid: 101, command: 'mpool get 5'},
      {pid: 101, command: 'mpool get 5'},
    ])
    await a.put(5)
    await a.put(5)
    await assert.rejects(b.put(5), {name: 'MPoolError', code: 'EINVAL', message: 'cannot put page 5: it is not pinned; get it first'})
  })

  it('serves 4 clients x 200 interleaved get/put pairs with consistent counters and no pins left', async () => {
    const before = await (await connect()).stats()
    const clients = await Promise.all([0, 1, 2, 3].map((c) => connect({holder: {pid: 1000 + c, command: `worker ${c}`}})))
    const rounds = 200
    // Each client counts, in its own 4 bytes of the page, how often it wrote that page.
    await Promise.all(
      clients.map(async (pool, c) => {
        for (let i = 0; i < rounds; i++) {
          const pgno = (i * 7 + c) % 12
          const page = await pool.get(pgno)
          const count = i < 12 ? 0 : page.readUInt32LE(c * 4) // first touch: the file's filler bytes
          const bytes = Buffer.alloc(4)
          bytes.writeUInt32LE(count + 1)
          await pool.put(pgno, {write: {offset: c * 4, bytes}})
        }
      }),
    )
    const stats = await clients[0]!.stats()
    assert.equal(stats.pageget - before.pageget, 800)
    assert.equal(stats.pageput - before.pageput, 800)
    assert.equal(stats.cachehit - before.cachehit + stats.cachemiss - before.cachemiss, 800)
    assert.equal(stats.pinned, 0)
    assert.ok((await clients[0]!.frames()).every((f) => f.pins === 0 && f.holders.length === 0))
    for (let c = 0; c < 4; c++) {
      let total = 0
      for (let pgno = 0; pgno < 12; pgno++) {
        const {bytes} = await clients[0]!.peek(pgno)
        const touched = Array.from({length: rounds}, (_, i) => (i * 7 + c) % 12).filter((p) => p === pgno).length
        const count = touched === 0 ? 0 : bytes.readUInt32LE(c * 4)
        assert.equal(count, touched, `client ${c} wrote page ${pgno} ${touched} times`)
        total += count
      }
      assert.equal(total, rounds)
    }
  })

  it('tells an explaining caller the events its call caused', async () => {
    const pool = await connect({explain: true})
    await pool.get(14)
    const types = pool.lastEvents.map((e) => e.type)
    assert.equal(types[0], 'miss')
    assert.deepEqual(types.slice(-2), ['read', 'pin'])
    assert.ok(types.slice(1, -2).every((t) => t === 'write' || t === 'evict'), `only an eviction between: ${types.join(' ')}`)
    await pool.put(14)
    assert.deepEqual(pool.lastEvents, [{type: 'unpin', pgno: 14, frame: (pool.lastEvents[0] as {frame: number}).frame, pins: 0, dirty: false, dirtied: false}])
    await pool.stats()
    assert.deepEqual(pool.lastEvents, [], 'a call that changes nothing has no events')
    await assert.rejects(pool.put(14), {code: 'EINVAL'})
    assert.deepEqual(pool.lastEvents, [])
  })

  it('pushes every event to subscribers, whoever caused it, until they stop', async () => {
    const watcherA = await connect()
    const watcherB = await connect()
    const seenA: PoolEvent[] = []
    const seenB: PoolEvent[] = []
    const stopA = await watcherA.subscribe((e) => seenA.push(e))
    const stopB = await watcherB.subscribe((e) => seenB.push(e))
    const actor = await connect()
    await actor.get(15)
    await actor.put(15, {dirty: true})
    await watcherA.stats() // replies come after the events pushed before them
    await watcherB.stats()
    const types = seenA.map((e) => e.type)
    assert.equal(types[0], 'miss')
    assert.deepEqual(types.slice(-3), ['read', 'pin', 'unpin'])
    assert.deepEqual(seenB, seenA)
    stopA()
    await actor.get(15)
    await actor.put(15)
    await watcherA.stats()
    await watcherB.stats()
    assert.equal(seenA.length, types.length, 'A saw nothing after it stopped')
    assert.deepEqual(seenB.slice(types.length).map((e) => e.type), ['hit', 'pin', 'unpin'])
    stopB()
  })

  it('carries page bytes intact both ways: new, put with a write, get and peek', async () => {
    const pool = await connect()
    const {pgno, page} = await pool.new()
    assert.equal(pgno, 16)
    assert.deepEqual(page, Buffer.alloc(PAGESIZE))
    const bytes = Buffer.from(Array.from({length: PAGESIZE}, (_, i) => (i * 31 + 7) & 0xff))
    await pool.put(pgno, {write: {offset: 0, bytes}})
    assert.deepEqual(await pool.get(pgno), bytes)
    await pool.put(pgno)
    assert.deepEqual((await pool.peek(pgno)).bytes, bytes)
    await assert.rejects(pool.put(pgno, {write: {offset: 0, bytes: Buffer.alloc(PAGESIZE + 1)}}), {
      code: 'EINVAL',
      message: `cannot write into page ${pgno}: it is not pinned; get it first`,
    })
    await pool.get(pgno)
    await assert.rejects(pool.put(pgno, {write: {offset: 0, bytes: Buffer.alloc(PAGESIZE + 1)}}), {
      code: 'EINVAL',
      message: `cannot write ${PAGESIZE + 1} bytes at offset 0: page ${pgno} has ${PAGESIZE} bytes (offsets 0 to ${PAGESIZE - 1}); nothing was written and the page is still pinned`,
    })
    // far past the server's line limit: refused by the client with the same message
    await assert.rejects(pool.put(pgno, {write: {offset: 0, bytes: Buffer.alloc(1 << 20)}}), {
      code: 'EINVAL',
      message: `cannot write ${1 << 20} bytes at offset 0: page ${pgno} has ${PAGESIZE} bytes (offsets 0 to ${PAGESIZE - 1}); nothing was written and the page is still pinned`,
    })
    await assert.rejects(pool.put(pgno, {write: {offset: PAGESIZE - 2, bytes: Buffer.alloc(4)}}), {code: 'EINVAL', pgno})
    await pool.delete(pgno)
    assert.equal((await pool.stats()).pinned, 0)
  })

  it('answers info, policyState, and reports errors with the engine code and page', async () => {
    const pool = await connect()
    const info = await pool.info()
    assert.deepEqual({key: info.key, file: info.file, pagesize: info.pagesize, policy: info.policy}, {key: 'shared', file, pagesize: PAGESIZE, policy: 'lru'})
    assert.equal(typeof (await pool.policyState()), 'object')
    await assert.rejects(pool.get(9999), (err: Error & {code?: string; pgno?: number}) => {
      assert.equal(err.name, 'MPoolError')
      assert.equal(err.code, 'EINVAL')
      assert.equal(err.pgno, 9999)
      return true
    })
    assert.equal(path.isAbsolute(info.file!), true)
  })

  it("answers a handle's first info with the hello's, and any info after another call from the server as it is then", async () => {
    const pool = await connect()
    const other = await connect()
    assert.deepEqual(await pool.info(), await other.info(), "the hello's info is the server's")
    const fresh = await connect()
    const {pgno} = await other.new() // another client grows the file after fresh's hello
    await fresh.stats()
    assert.equal((await fresh.info()).npages, pgno + 1, "after another call, info is asked of the server, not the hello's")
    assert.equal((await pool.info()).npages, pgno + 1, 'and so is a second info')
    await other.put(pgno)
  })
})
