/*
 * One file, one pool: a second key over the same file (by device and inode, in any runtime
 * directory) is refused naming the key that holds it; a join naming another file than the
 * key's is refused naming both; a claim left by a dead server is stale at once.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {EXIT} from '../../src/common/exit-status.js'
import {connectPool, openPool} from '../../src/session/index.js'
import {buildOnce, runCli} from '../helpers/cli.js'
import {SessionHarness, waitForExit} from './harness.js'

const PAGESIZE = 512

describe('one file, one pool', function () {
  this.timeout(60_000)
  let h: SessionHarness
  before(() => {
    buildOnce()
    h = new SessionHarness()
  })
  after(() => h.cleanup())
  const locks = () => (fs.existsSync(path.join(h.root, 'locks')) ? fs.readdirSync(path.join(h.root, 'locks')).filter((n) => n.endsWith('.lock')) : [])

  async function close(key: string, pid: number): Promise<void> {
    await (await connectPool({key})).close()
    await waitForExit(pid)
  }

  it('refuses a second key over the same file, by any path to it, naming the key that holds it', async () => {
    const file = h.pageFile(PAGESIZE, 2, 'two.db')
    const link = path.join(h.files, 'two-link.db')
    const hard = path.join(h.files, 'two-hard.db')
    fs.symlinkSync(file, link)
    fs.linkSync(file, hard)
    const a = await h.open({key: 'a', file, pagesize: PAGESIZE, maxcache: 2})
    for (const other of [file, link, hard]) {
      await assert.rejects(openPool({key: 'b', file: other, pagesize: PAGESIZE, maxcache: 2}), {
        code: 'EBUSY',
        message: `${other} is already open as pool a (pid ${a.pid}); use that pool (--key a), or close it first: two pools over one file lose each other's writes`,
      })
    }
    assert.deepEqual(h.entries('b'), [], 'no server, socket or log was left for b')
    // b's would-be writes cannot be lost: there is one pool, and a sees every put
    const pool = await connectPool({key: 'a'})
    await pool.get(0)
    await pool.put(0, {write: {offset: 0, bytes: Buffer.from('via a')}})
    assert.equal(await pool.sync(), 1)
    await pool.detach()
    await close('a', a.pid)
    assert.deepEqual(locks(), [], 'the claim went with the server')
    const b = await h.open({key: 'b', file, pagesize: PAGESIZE, maxcache: 2})
    assert.equal(b.joined, false, 'once a is closed, b may have the file')
    await close('b', b.pid)
  })

  it('holds across runtime directories', async () => {
    const file = h.pageFile(PAGESIZE, 2)
    const first = await h.open({key: 'x', file, pagesize: PAGESIZE, maxcache: 2})
    const otherDir = path.join(h.root, 'rt2')
    process.env.MPOOL_RUNTIME_DIR = otherDir
    try {
      await assert.rejects(openPool({key: 'x', file, pagesize: PAGESIZE, maxcache: 2}), {
        code: 'EBUSY',
        message: `${file} is already open as pool x (pid ${first.pid} in the runtime directory ${h.runtime}); use that pool (--key x), or close it first: two pools over one file lose each other's writes`,
      })
      const r = await runCli(['open', file, '--key', 'y'], {cwd: h.files, env: {MPOOL_RUNTIME_DIR: otherDir}})
      assert.equal(r.status, EXIT.busy, r.stderr)
      assert.match(r.stderr, new RegExp(`^mpool open: \\S+ is already open as pool x \\(pid ${first.pid} in the runtime directory \\S+\\); use that pool \\(--key x\\), or close it first: [^\\n]+\\n$`))
    } finally {
      process.env.MPOOL_RUNTIME_DIR = h.runtime
    }
    await close('x', first.pid)
  })

  it('takes over a claim whose server was killed, or one that is empty or unreadable', async () => {
    const file = h.pageFile(PAGESIZE, 2)
    const killed = await h.open({key: 'k', file, pagesize: PAGESIZE, maxcache: 2})
    process.kill(killed.pid, 'SIGKILL')
    await waitForExit(killed.pid)
    assert.equal(locks().length, 1, 'SIGKILL left the claim')
    const again = await h.open({key: 'k2', file, pagesize: PAGESIZE, maxcache: 2})
    await close('k2', again.pid)
    const {dev, ino} = fs.statSync(file)
    for (const junk of ['', 'not json', '{"key": 1}']) {
      fs.writeFileSync(path.join(h.root, 'locks', `${dev}-${ino}.lock`), junk)
      const next = await h.open({key: 'k3', file, pagesize: PAGESIZE, maxcache: 2})
      await close('k3', next.pid)
    }
  })

  it('refuses a join whose FILE is another file than the key holds, naming both; without FILE it joins', async () => {
    fs.mkdirSync(path.join(h.files, 'k1'))
    fs.mkdirSync(path.join(h.files, 'k2'))
    const one = h.pageFile(PAGESIZE, 2, 'k1/data.db')
    const two = h.pageFile(PAGESIZE, 2, 'k2/data.db')
    const opened = await runCli(['open', 'data.db'], {cwd: path.dirname(one), env: {MPOOL_RUNTIME_DIR: h.runtime}})
    assert.equal(opened.status, 0, opened.stderr)
    const pid = h.serverPid('data')
    const wrong = await runCli(['open', 'data.db'], {cwd: path.dirname(two), env: {MPOOL_RUNTIME_DIR: h.runtime}})
    assert.equal(wrong.status, EXIT.refused, wrong.stderr)
    assert.equal(
      wrong.stderr,
      `mpool open: pool data holds ${one}, not ${two}; to open a second pool over ${two}, give it a key of its own (mpool open ${two} --key KEY), or leave out FILE to join data\n`,
    )
    const joined = await runCli(['open', '--key', 'data', '--json'], {cwd: path.dirname(two), env: {MPOOL_RUNTIME_DIR: h.runtime}})
    assert.equal(joined.status, 0, joined.stderr)
    assert.deepEqual([JSON.parse(joined.stdout).joined, JSON.parse(joined.stdout).file], [true, one])
    const nothing = await runCli(['open', '--key', 'nothing'], {cwd: h.files, env: {MPOOL_RUNTIME_DIR: h.runtime}})
    assert.equal(nothing.status, EXIT.noPool, nothing.stderr)
    assert.match(nothing.stderr, /^mpool open: no pool with key nothing is open/)
    assert.deepEqual(fs.readFileSync(two), Buffer.concat([Buffer.alloc(PAGESIZE, 1), Buffer.alloc(PAGESIZE, 2)]), 'k2/data.db untouched')
    await close('data', pid)
  })
})
