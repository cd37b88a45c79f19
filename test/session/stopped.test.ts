/*
 * A server that does not answer (stopped with SIGSTOP): it is still open, every client call
 * has a deadline, nothing acts on a pool the user did not name, and ls lists it as not
 * answering with its pid, without waiting for it.
 */
import assert from 'node:assert/strict'
import {connectPool, listPools} from '../../src/session/index.js'
import {EXIT} from '../../src/common/exit-status.js'
import {buildOnce, runCli} from '../helpers/cli.js'
import {SessionHarness} from './harness.js'

const PAGESIZE = 512

describe('a pool whose server is stopped', function () {
  this.timeout(60_000)
  let h: SessionHarness
  let stopped: number
  const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, {cwd: h.files, env: {MPOOL_RUNTIME_DIR: h.runtime, ...env}})

  before(async () => {
    buildOnce()
    h = new SessionHarness()
    stopped = (await h.open({key: 'wa', file: h.pageFile(PAGESIZE, 4), pagesize: PAGESIZE, maxcache: 4})).pid
    await h.open({key: 'wb', file: h.pageFile(PAGESIZE, 4), pagesize: PAGESIZE, maxcache: 4})
    const wb = await connectPool({key: 'wb'})
    await wb.get(1)
    await wb.put(1, {write: {offset: 0, bytes: Buffer.from('unsaved')}})
    await wb.detach()
    process.kill(stopped, 'SIGSTOP')
  })
  after(() => {
    try {
      process.kill(stopped, 'SIGCONT')
    } catch {
      // gone already
    }
    h.cleanup()
  })

  async function wbStillDirty(): Promise<void> {
    const wb = await connectPool({key: 'wb'})
    const stats = await wb.stats()
    await wb.detach()
    assert.equal(stats.dirty, 1, "wb's dirty page is still dirty")
  }

  it('is counted by keyless resolution: two pools are open, choose one; nothing acts on wb', async () => {
    await assert.rejects(connectPool({}), {code: 'EAMBIGUOUS', message: `2 pools are open (wa (not answering, pid ${stopped}), wb); choose one with --key KEY or MPOOL_KEY=KEY`})
    const close = await cli(['close'])
    assert.equal(close.status, EXIT.noPool, close.stderr)
    assert.equal(close.stderr, `mpool close: 2 pools are open (wa (not answering, pid ${stopped}), wb); choose one with --key KEY or MPOOL_KEY=KEY\n`)
    await wbStillDirty()
  })

  it('is listed as not answering, with its pid, beside the pool that answers', async () => {
    const pools = await listPools()
    assert.deepEqual(
      pools.map((p) => [p.key, p.answering, p.pid === stopped]),
      [
        ['wa', false, true],
        ['wb', true, false],
      ],
    )
    const ls = await cli(['ls'])
    assert.equal(ls.status, 0, ls.stderr)
    assert.match(ls.stdout.split('\n')[1]!, new RegExp(`^wa +\\S+ +- +${PAGESIZE} +not answering \\(pid ${stopped}\\) +- +- +lru$`))
  })

  it('does not hold ls up, however long the client deadline is', async function () {
    // ls waits LIST_TIMEOUT_MS per pool, all at once: with the client deadline at an hour, a
    // listing that waited for the stopped server would outlast this test's own timeout.
    this.timeout(8000)
    const ls = await cli(['ls', '--json'], {MPOOL_TIMEOUT: '3600'})
    assert.equal(ls.status, 0, ls.stderr)
    const listed = (JSON.parse(ls.stdout) as {pools: Array<{key: string; answering: boolean}>}).pools
    assert.deepEqual(listed.map((p) => [p.key, p.answering]), [['wa', false], ['wb', true]])
  })

  it('fails a call after the deadline, in one line naming the pid, exit 3', async () => {
    await assert.rejects(connectPool({key: 'wa', timeoutMs: 200}), {
      code: 'ETIMEDOUT',
      message: `the pool server for key wa (pid ${stopped}) did not answer within 0.2 s: it is stopped or stuck (kill -CONT ${stopped} if it was stopped), see ${h.runtime}/wa.log; wait longer with --timeout or MPOOL_TIMEOUT`,
    })
    for (const [args, env] of [
      [['get', '0', '--key', 'wa', '--timeout', '0.2'], {}],
      [['stats', '--key', 'wa'], {MPOOL_TIMEOUT: '0.2'}],
      [['close', '--key', 'wa', '--timeout', '0.2', '--json'], {}],
    ] as Array<[string[], Record<string, string>]>) {
      const r = await cli(args, env)
      assert.equal(r.status, EXIT.noPool, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, new RegExp(`^mpool \\w+: the pool server for key wa \\(pid ${stopped}\\) did not answer within 0\\.2 s: it is stopped or stuck[^\\n]*\\n$`))
      if (args.includes('--json')) assert.equal(JSON.parse(r.stdout).error.code, 'ETIMEDOUT')
    }
    await wbStillDirty()
  })

  it('fails a call on a handle made before the stop, after the deadline', async () => {
    process.kill(stopped, 'SIGCONT')
    const wa = await connectPool({key: 'wa', timeoutMs: 300})
    process.kill(stopped, 'SIGSTOP')
    await assert.rejects(wa.get(0), {code: 'ETIMEDOUT'})
    await assert.rejects(wa.stats(), {code: 'ETIMEDOUT'}, 'the connection stays failed')
  })

  it('refuses a bad --timeout or MPOOL_TIMEOUT as usage, exit 2', async () => {
    const flag = await cli(['stats', '--key', 'wb', '--timeout', 'soon'])
    assert.equal(flag.status, EXIT.usage)
    assert.equal(flag.stderr, 'mpool stats: --timeout must be a number of seconds from 0.001 to 86400, not "soon"\n')
    const env = await cli(['stats', '--key', 'wb'], {MPOOL_TIMEOUT: '0'})
    assert.equal(env.status, EXIT.usage)
    assert.equal(env.stderr, 'mpool stats: MPOOL_TIMEOUT must be a number of seconds from 0.001 to 86400, not "0"\n')
  })
})
