/*
 * A server killed under a client: the client learns it from the socket closing, at once, with
 * no call of its own; a handle that detached or closed hears nothing; the REPL's watcher stops
 * drawing the pool and says why.
 */
import assert from 'node:assert/strict'
import {connectPool} from '../../src/session/index.js'
import {PoolWatcher} from '../../src/ui/watcher.js'
import {SessionHarness, waitForExit} from './harness.js'

const PAGESIZE = 512

describe('a pool whose server dies under its clients', function () {
  this.timeout(30_000)
  let h: SessionHarness
  before(() => {
    h = new SessionHarness()
  })
  after(() => h.cleanup())

  it('tells a watching handle at once, and stops its watcher; a detached handle hears nothing', async () => {
    const {pid} = await h.open({key: 'demo', file: h.pageFile(PAGESIZE, 4), pagesize: PAGESIZE, maxcache: 4})
    const watched = await connectPool({key: 'demo'})
    const detached = await connectPool({key: 'demo'})
    let detachedHeard = false
    detached.onGone(() => (detachedHeard = true))
    await detached.detach()
    const watcher = new PoolWatcher(watched, {shared: true, coalesceMs: 1})
    await watcher.start()
    assert.equal(watcher.picture?.info.key, 'demo')
    const gone = new Promise<Error>((resolve) => watcher.setHandlers({onGone: resolve}))
    process.kill(pid, 'SIGKILL')
    const error = await gone
    assert.equal(error.message, 'the pool server for key demo went away; open the pool again')
    assert.equal(watcher.gone, error)
    await assert.rejects(watcher.refresh().then(() => watched.stats()), {code: 'ECONNRESET'})
    assert.equal(detachedHeard, false)
    await waitForExit(pid)
  })

  it('tells a handler set after the death too', async () => {
    const {pid} = await h.open({key: 'late', file: h.pageFile(PAGESIZE, 2), pagesize: PAGESIZE, maxcache: 2})
    const pool = await connectPool({key: 'late'})
    const watcher = new PoolWatcher(pool, {shared: true, coalesceMs: 1})
    await watcher.start()
    const died = new Promise<void>((resolve) => pool.onGone(() => resolve()))
    process.kill(pid, 'SIGKILL')
    await died
    const told = await new Promise<Error>((resolve) => watcher.setHandlers({onGone: resolve}))
    assert.match(told.message, /went away/)
    await waitForExit(pid)
  })
})
