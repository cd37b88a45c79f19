/*
 * The pool server's life: open starts a detached server, a second open joins it, close ends it;
 * open errors surface as the engine's own and leave nothing behind; a killed server leaves a
 * stale socket that the next open, connect or list cleans up; SIGTERM drops the pool cleanly.
 * Real server processes on real Unix sockets, in a runtime directory of this file's own.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {MPoolError} from '../../src/pool/index.js'
import {readTrace} from '../../src/workload/trace.js'
import {connectPool, listPools, LocalPool, openPool} from '../../src/session/index.js'
import {isAlive, serverProcesses, SessionHarness, waitForExit} from './harness.js'

const PAGESIZE = 512

describe('the pool server lifecycle', function () {
  this.timeout(30_000)
  let h: SessionHarness

  before(() => {
    h = new SessionHarness()
  })
  after(() => h.cleanup())

  it('the pool keeps the format its opener detected, for every client and for ls', async () => {
    const file = h.pageFile(PAGESIZE, 3)
    const format = {format: 'sqlite' as const, pagesize: PAGESIZE, source: 'the SQLite header', firstPage: 1, details: {reserved: 0}}
    const opened = await h.open({key: 'fmt', file, pagesize: PAGESIZE, maxcache: 2, format})
    assert.deepEqual(opened.info.format, format)
    const pool = await connectPool({key: 'fmt'})
    assert.deepEqual((await pool.info()).format, format)
    assert.deepEqual((await listPools()).find((p) => p.key === 'fmt')?.format, 'sqlite')
    await pool.close()
    await waitForExit(opened.pid)
  })

  it('open starts a detached server that outlives the call, join raises maxcache, close ends it', async () => {
    const file = h.pageFile(PAGESIZE, 6)
    const first = await h.open({key: 'life', file, pagesize: PAGESIZE, maxcache: 2})
    assert.equal(first.joined, false)
    assert.deepEqual(first.info, {key: 'life', file, pagesize: PAGESIZE, npages: 6, maxcache: 2, policy: 'lru', hardLimit: false, trailing: 0, format: null})
    assert.notEqual(first.pid, process.pid)
    assert.ok(isAlive(first.pid), 'the server runs after open returned')
    assert.deepEqual(h.entries('life'), ['life.json', 'life.log', 'life.sock'])
    const infoFile = JSON.parse(fs.readFileSync(path.join(h.runtime, 'life.json'), 'utf8'))
    assert.deepEqual(infoFile, {key: 'life', file, pagesize: PAGESIZE, maxcache: 2, policy: 'lru', pid: first.pid})

    // Joining with no FILE: the fd is ignored; a larger maxcache wins, a smaller one changes nothing.
    const joined = await openPool({key: 'life', pagesize: PAGESIZE, maxcache: 5})
    assert.equal(joined.joined, true)
    assert.equal(joined.info.maxcache, 5)
    assert.equal(joined.info.file, file)
    const again = await openPool({key: 'life', file, pagesize: PAGESIZE, maxcache: 3})
    assert.equal(again.info.maxcache, 5)
    assert.equal(JSON.parse(fs.readFileSync(path.join(h.runtime, 'life.json'), 'utf8')).maxcache, 5, 'the info file follows the raise')

    const listing = await listPools()
    assert.deepEqual(listing, [{key: 'life', answering: true, file, pagesize: PAGESIZE, npages: 6, cached: 0, maxcache: 5, dirty: 0, pinned: 0, policy: 'lru', pid: first.pid, format: null}])

    const pool = await connectPool({key: 'life'})
    const page = await pool.get(4)
    assert.deepEqual(page, Buffer.alloc(PAGESIZE, 5))
    await pool.put(4, {write: {offset: 0, bytes: Buffer.from('dirty')}})
    const report = await pool.close()
    assert.deepEqual(report, {dirty: [4], pinned: []})
    await waitForExit(first.pid)
    assert.deepEqual(h.entries('life'), [], 'socket, info file and log are gone after close')
    assert.equal(fs.readFileSync(file).subarray(4 * PAGESIZE, 4 * PAGESIZE + 5).toString(), '\x05'.repeat(5), 'close wrote nothing')
    assert.deepEqual(await listPools(), [])
    await assert.rejects(connectPool({key: 'life'}), {code: 'ENOPOOL', message: 'no pool with key life is open; open one with `mpool open FILE --key life`'})
  })

  it('a closed handle refuses further calls, and a detached one leaves the pool open', async () => {
    const file = h.pageFile(PAGESIZE, 2)
    const {pid} = await h.open({key: 'handles', file, pagesize: PAGESIZE, maxcache: 2})
    const a = await connectPool({key: 'handles'})
    await a.detach()
    await assert.rejects(a.stats(), {code: 'ECLOSED', message: 'this handle on pool handles is detached; connect again'})
    assert.ok(isAlive(pid))
    const b = await connectPool({key: 'handles'})
    await b.close()
    await assert.rejects(b.stats(), {code: 'ECLOSED', message: 'pool handles is closed; open it again'})
    await waitForExit(pid)
  })

  it('opens of one key at the same time start one server and the others join it', async () => {
    const file = h.pageFile(PAGESIZE, 2)
    const results = await Promise.all([1, 2, 3].map((maxcache) => openPool({key: 'race', file, pagesize: PAGESIZE, maxcache})))
    const pid = h.serverPid('race')
    assert.deepEqual(results.map((r) => r.joined).sort(), [false, true, true])
    assert.deepEqual(serverProcesses('race'), [pid])
    const pool = await connectPool({key: 'race'})
    assert.equal((await pool.info()).maxcache, 3)
    await pool.close()
    await waitForExit(pid)
  })

  it('opens the pool with the policy and hard limit asked for, and records its accesses to a trace', async () => {
    const file = h.pageFile(PAGESIZE, 4)
    const trace = path.join(h.files, 'opened.trace')
    const {pid, info} = await h.open({key: 'options', file, pagesize: PAGESIZE, maxcache: 1, policy: 'clock', hardLimit: true, record: trace})
    assert.deepEqual({policy: info.policy, hardLimit: info.hardLimit}, {policy: 'clock', hardLimit: true})
    const pool = await connectPool({key: 'options'})
    await pool.get(1)
    await assert.rejects(pool.get(2), {code: 'EBUSY'}, 'the one frame is pinned and the pool may not grow')
    await pool.put(1, {dirty: true})
    await pool.get(3)
    await pool.put(3)
    await pool.close()
    await waitForExit(pid)
    const recorded = readTrace(trace)
    assert.deepEqual([...recorded.pgnos], [1, 3])
    assert.deepEqual([...recorded.dirty], [1, 0])
  })

  it('join with another pagesize is EINVAL and leaves the pool as it was', async () => {
    const file = h.pageFile(PAGESIZE, 2)
    const {pid} = await h.open({key: 'sizes', file, pagesize: PAGESIZE, maxcache: 2})
    await assert.rejects(openPool({key: 'sizes', file, pagesize: 4096, maxcache: 9}), {
      name: 'MPoolError',
      code: 'EINVAL',
      message: 'pool "sizes" is open with pagesize 512, not 4096; open it with pagesize 512',
    })
    const pool = await connectPool({key: 'sizes'})
    assert.equal((await pool.info()).maxcache, 2)
    await pool.close()
    await waitForExit(pid)
  })

  describe('open errors surface as the engine reports them, with no server left behind', () => {
    const cases: Array<{name: string; make: () => string; pagesize?: number; maxcache?: number; code: string}> = [
      {name: 'a missing file', make: () => path.join(h.files, 'missing.db'), code: 'ENOENT'},
      {name: 'a directory', make: () => fs.mkdtempSync(path.join(h.files, 'dir-')), code: 'EISDIR'},
      {
        name: 'a FIFO',
        make: () => {
          const fifo = path.join(h.files, `fifo${Math.random().toString(36).slice(2)}`)
          execFileSync('mkfifo', [fifo])
          return fifo
        },
        code: 'ESPIPE',
      },
      {name: 'a pagesize of 0', make: () => h.pageFile(PAGESIZE, 1), pagesize: 0, code: 'EINVAL'},
      {name: 'a fractional maxcache', make: () => h.pageFile(PAGESIZE, 1), maxcache: 1.5, code: 'EINVAL'},
    ]
    for (const c of cases) {
      it(`${c.name} is ${c.code}`, async () => {
        const file = c.make()
        const pagesize = c.pagesize ?? PAGESIZE
        const maxcache = c.maxcache ?? 2
        // The message an in-process open gives for the same arguments.
        let expected: MPoolError | undefined
        try {
          const local = LocalPool.open(file, {pagesize, maxcache})
          await local.close()
        } catch (err) {
          expected = err as MPoolError
        }
        assert.ok(expected instanceof MPoolError, 'the local open fails too')
        const key = `bad-${c.code.toLowerCase()}`
        await assert.rejects(openPool({key, file, pagesize, maxcache}), (err: MPoolError) => {
          assert.ok(err instanceof MPoolError)
          assert.equal(err.code, c.code)
          assert.equal(err.message, expected!.message)
          assert.ok(!err.message.includes('\n'), 'one line')
          return true
        })
        assert.deepEqual(h.entries(key), [], 'no socket, info file, log or lock left')
        assert.deepEqual(serverProcesses(key), [], 'no server process left')
      })
    }

    it('a bad key is EINVAL before anything is made', async () => {
      await assert.rejects(openPool({key: '../x', file: h.pageFile(PAGESIZE, 1), pagesize: PAGESIZE, maxcache: 1}), {
        code: 'EINVAL',
        message: `"../x" is not a valid pool key: a key is 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'`,
      })
    })
  })

  describe('a server killed with SIGKILL', () => {
    it('leaves a stale socket that the next open cleans up and replaces with a working server', async () => {
      const file = h.pageFile(PAGESIZE, 4)
      const {pid} = await h.open({key: 'killed', file, pagesize: PAGESIZE, maxcache: 2})
      const pool = await connectPool({key: 'killed'})
      await pool.get(1) // mid-work: a page pinned
      process.kill(pid, 'SIGKILL')
      await waitForExit(pid)
      assert.deepEqual(h.entries('killed'), ['killed.json', 'killed.log', 'killed.sock'], 'the dead server left its socket')
      await assert.rejects(pool.get(2), {code: 'ECONNRESET', message: 'the pool server for key killed went away; open the pool again'})

      const fresh = await h.open({key: 'killed', file, pagesize: PAGESIZE, maxcache: 2})
      assert.equal(fresh.joined, false)
      assert.notEqual(fresh.pid, pid)
      const again = await connectPool({key: 'killed'})
      assert.deepEqual(await again.get(1), Buffer.alloc(PAGESIZE, 2))
      await again.put(1)
      assert.equal((await again.stats()).pinned, 0, 'the new server has none of the old pins')
      await again.close()
      await waitForExit(fresh.pid)
    })

    it('leaves a stale socket that connect and list report as no pool and remove', async () => {
      const file = h.pageFile(PAGESIZE, 2)
      const {pid} = await h.open({key: 'gone', file, pagesize: PAGESIZE, maxcache: 2})
      process.kill(pid, 'SIGKILL')
      await waitForExit(pid)
      await assert.rejects(connectPool({key: 'gone'}), (err: Error & {code?: string}) => {
        assert.equal(err.code, 'ENOPOOL')
        assert.match(err.message, /^no pool with key gone is open; its last server ended without `mpool close`, see \S+\/gone\.log; open one with `mpool open FILE --key gone`$/)
        return true
      })
      assert.deepEqual(h.entries('gone'), ['gone.log'], 'socket and info file removed, the log kept')

      const second = await h.open({key: 'gone2', file, pagesize: PAGESIZE, maxcache: 2})
      process.kill(second.pid, 'SIGKILL')
      await waitForExit(second.pid)
      assert.deepEqual(await listPools(), [])
      assert.deepEqual(h.entries('gone2'), ['gone2.log'])
    })

    it('rejects a call waiting on it with ECONNRESET', async () => {
      const file = h.pageFile(PAGESIZE, 2)
      const {pid} = await h.open({key: 'midcall', file, pagesize: PAGESIZE, maxcache: 2})
      const pool = await connectPool({key: 'midcall'})
      process.kill(pid, 'SIGSTOP')
      try {
        // The request is on the connection as soon as get is called (send runs before its
        // first await): nothing to wait for before the server dies under it.
        const call = pool.get(0)
        assert.equal(pool.waiting, 1, 'the get is waiting for its reply')
        process.kill(pid, 'SIGKILL')
        await assert.rejects(call, {name: 'MPoolError', code: 'ECONNRESET', message: 'the pool server for key midcall went away; open the pool again'})
      } finally {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL')
      }
      await waitForExit(pid)
    })
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} drops the pool without writing, says so in the log, and removes the socket`, async () => {
      const file = h.pageFile(PAGESIZE, 3)
      const {pid} = await h.open({key: `term-${signal}`, file, pagesize: PAGESIZE, maxcache: 2})
      const pool = await connectPool({key: `term-${signal}`})
      await pool.get(2)
      await pool.put(2, {write: {offset: 0, bytes: Buffer.from('unsaved')}})
      await pool.get(0)
      await pool.detach()
      const before = fs.readFileSync(file)
      process.kill(pid, signal)
      await waitForExit(pid)
      assert.deepEqual(fs.readFileSync(file), before, 'nothing was written')
      assert.deepEqual(h.entries(`term-${signal}`), [`term-${signal}.log`])
      const log = fs.readFileSync(path.join(h.runtime, `term-${signal}.log`), 'utf8')
      assert.match(log, new RegExp(`${signal}: closing the pool without writing \\(mpool_close writes nothing\\): dropped 1 dirty page\\(s\\) \\[2\\], 1 page\\(s\\) still pinned \\[0\\]`))
    })
  }

  describe('finding a pool without a key', () => {
    it('is ENOPOOL with none open, takes the only one, and is EAMBIGUOUS with several (listing them)', async () => {
      await assert.rejects(connectPool({}), {code: 'ENOPOOL', message: 'no pool is open; open one with `mpool open FILE`'})
      const file = h.pageFile(PAGESIZE, 2)
      const one = await h.open({key: 'only', file, pagesize: PAGESIZE, maxcache: 2})
      const pool = await connectPool({})
      assert.equal(pool.key, 'only')
      await pool.detach()
      const two = await h.open({key: 'other', file: h.pageFile(PAGESIZE, 2), pagesize: PAGESIZE, maxcache: 2})
      await assert.rejects(connectPool({}), {code: 'EAMBIGUOUS', message: '2 pools are open (only, other); choose one with --key KEY or MPOOL_KEY=KEY'})
      process.env.MPOOL_KEY = 'other'
      try {
        const viaEnv = await connectPool({})
        assert.equal(viaEnv.key, 'other')
        await viaEnv.close()
      } finally {
        delete process.env.MPOOL_KEY
      }
      await assert.rejects(connectPool({key: 'nope'}), {code: 'ENOPOOL', message: 'no pool with key nope is open (open: only); open one with `mpool open FILE --key nope`'})
      await (await connectPool({key: 'only'})).close()
      await waitForExit(one.pid)
      await waitForExit(two.pid)
    })
  })

  describe('open --create', () => {
    for (const umask of [0o022, 0o027, 0o077]) {
      it(`makes FILE with the opener's umask ${umask.toString(8).padStart(3, '0')}, while the server keeps its socket and log private`, async () => {
        const file = path.join(h.files, `made-${umask.toString(8)}.db`)
        const saved = process.umask(umask)
        let pid: number
        try {
          pid = (await h.open({key: `made${umask.toString(8)}`, file, pagesize: PAGESIZE, maxcache: 2, create: true})).pid
        } finally {
          process.umask(saved)
        }
        assert.equal(fs.statSync(file).mode & 0o777, 0o666 & ~umask)
        assert.equal(fs.statSync(h.socket(`made${umask.toString(8)}`)).mode & 0o777, 0o600)
        assert.equal(fs.statSync(path.join(h.runtime, `made${umask.toString(8)}.log`)).mode & 0o777, 0o600)
        await (await connectPool({key: `made${umask.toString(8)}`})).close()
        await waitForExit(pid)
      })
    }
  })
})
