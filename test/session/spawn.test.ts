/*
 * Starting a server: the Node flags passed on to it, and the key lock that keeps two starts of
 * one key apart, including a lock left behind by an opener that was killed.
 */
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {connectPool} from '../../src/session/index.js'
import {tryLock, unlock} from '../../src/session/lock.js'
import {ensureRuntimeDir, poolPaths} from '../../src/session/runtime.js'
import {childExecArgv, SERVER_NODE_FLAGS, serverArgv, serverEntry} from '../../src/session/spawn.js'
import {SessionHarness, waitForExit} from './harness.js'

describe('the server process', () => {
  it('is serve-main beside the session modules: the .ts under tsx', () => {
    assert.equal(path.basename(serverEntry()), 'serve-main.ts')
    assert.ok(fs.existsSync(serverEntry()))
  })

  it('gets the loader flags resolved to absolute URLs, and not the debugger or eval flags', () => {
    const tsx = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href
    assert.deepEqual(childExecArgv('/x/serve-main.ts', ['--import', 'tsx', '--no-warnings']), ['--import', tsx, '--no-warnings'])
    assert.deepEqual(childExecArgv('/x/serve-main.ts', ['--import=tsx']), ['--import', tsx])
    assert.deepEqual(childExecArgv('/x/serve-main.js', ['--inspect=9229', '-e', 'code()', '--max-old-space-size=100']), ['--max-old-space-size=100'])
    assert.deepEqual(childExecArgv('/x/serve-main.js', ['--import', './local/hook.mjs']), ['--import', pathToFileURL(path.resolve('local/hook.mjs')).href])
    assert.deepEqual(childExecArgv('/x/serve-main.js', []), [], 'the built server needs no flags')
    assert.deepEqual(childExecArgv('/x/serve-main.ts', []), ['--import', tsx], 'TypeScript without a loader gets tsx')
  })

  it('runs with its own V8 flags (a 1 MiB young generation) first, so that a flag the parent was given wins over them', () => {
    const options = {dir: '/run/x', key: 'k', file: '/data/k.db', pagesize: 512, maxcache: 4}
    assert.deepEqual(SERVER_NODE_FLAGS, ['--max-semi-space-size=1'])
    assert.deepEqual(serverArgv('/x/serve-main.js', options, []), ['--max-semi-space-size=1', '/x/serve-main.js', JSON.stringify(options)])
    assert.deepEqual(serverArgv('/x/serve-main.js', options, ['--max-semi-space-size=8']), ['--max-semi-space-size=1', '--max-semi-space-size=8', '/x/serve-main.js', JSON.stringify(options)])
  })
})

describe('the key lock', function () {
  this.timeout(30_000)
  let h: SessionHarness

  before(() => {
    h = new SessionHarness()
  })
  after(() => h.cleanup())

  it('is taken by one opener at a time', () => {
    const paths = poolPaths(ensureRuntimeDir(), 'locked')
    assert.equal(tryLock(paths), true)
    assert.equal(tryLock(paths), false, 'held by a live process (this one)')
    unlock(paths)
    assert.equal(tryLock(paths), true)
    unlock(paths)
    assert.equal(fs.existsSync(paths.lock), false)
  })

  for (const [what, text] of [
    ['empty (a disk that filled as it was written)', ''],
    ['unreadable as a pid', 'garbage\n'],
  ] as const) {
    it(`${what} is stale at once`, async () => {
      const paths = poolPaths(ensureRuntimeDir(), 'emptylock')
      fs.writeFileSync(paths.lock, text)
      // withLock would wait its whole 15 s and fail with ETIMEDOUT on a lock it took for live
      assert.equal(tryLock(paths), true)
      assert.equal(fs.readFileSync(paths.lock, 'utf8'), `${process.pid}\n`)
      unlock(paths)
    })
  }

  it('left behind by an opener that was killed does not stop the next open', async () => {
    const paths = poolPaths(ensureRuntimeDir(), 'orphan')
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
    fs.writeFileSync(paths.lock, `${dead.stdout}\n`)
    // A lock of a dead opener is broken at once; waiting it out would take withLock's whole
    // 15 s and fail with ETIMEDOUT, since the lock is younger than STALE_LOCK_MS.
    const {pid, joined} = await h.open({key: 'orphan', file: h.pageFile(512, 1), pagesize: 512, maxcache: 1})
    assert.equal(joined, false)
    assert.equal(fs.existsSync(paths.lock), false)
    await (await connectPool({key: 'orphan'})).close()
    await waitForExit(pid)
  })
})
