/*
 * The file changes under the pool: another writer appends to it, cuts it, replaces it or deletes
 * it. The pool says so at new, sync, dump --diff (peek with the file), stats and ls; new never
 * hands out a page number that is on the file, and nothing the pool holds is lost.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {EXIT} from '../../src/common/exit-status.js'
import {connectPool, listPools, type RemotePool} from '../../src/session/index.js'
import {buildOnce, runCli} from '../helpers/cli.js'
import {SessionHarness, waitForExit} from './harness.js'

const PAGESIZE = 512

describe('a file changed under its pool', function () {
  this.timeout(60_000)
  let h: SessionHarness
  before(() => {
    buildOnce()
    h = new SessionHarness()
  })
  after(() => h.cleanup())

  /** a pool over a fresh 2-page file with page 1 dirty in the cache; `change` is done to the file; then `check` */
  async function withChanged(key: string, change: (file: string) => void, check: (pool: RemotePool, file: string, said: string) => Promise<void>, said: (file: string) => string): Promise<void> {
    const file = h.pageFile(PAGESIZE, 2)
    const {pid} = await h.open({key, file, pagesize: PAGESIZE, maxcache: 4})
    const pool = await connectPool({key})
    await pool.get(1)
    await pool.put(1, {write: {offset: 0, bytes: Buffer.from('dirty')}})
    assert.equal((await pool.stats()).fileChanged, undefined, 'nothing changed yet')
    change(file)
    await check(pool, file, said(file))
    assert.equal((await pool.stats()).dirty, 1, 'the dirty page is still dirty')
    await pool.close()
    await waitForExit(pid)
  }

  it('appended to: new refuses to hand out a page that is on the file, sync writes nothing, stats, ls and dump --diff say so', async () => {
    await withChanged(
      'grown',
      (file) => fs.appendFileSync(file, Buffer.alloc(PAGESIZE, 0xab)),
      async (pool, file, said) => {
        await assert.rejects(pool.new(), {code: 'ESTALE', message: `${said}; new would hand out page 2, which may be on the file already, so no page was made; close the pool and open the file again`})
        await assert.rejects(pool.sync(), {code: 'ESTALE', message: `${said}; nothing was written and the dirty pages are still dirty; close the pool and open the file again`})
        await assert.rejects(pool.peek(1, {withFile: true}), {code: 'ESTALE'})
        assert.equal((await pool.stats()).fileChanged, said)
        assert.equal((await listPools()).find((p) => p.key === 'grown')?.fileChanged, said)
        assert.deepEqual(fs.readFileSync(file).subarray(2 * PAGESIZE), Buffer.alloc(PAGESIZE, 0xab), 'the appended page is untouched')
        const cli = await runCli(['new', '--key', 'grown'], {cwd: h.files, env: {MPOOL_RUNTIME_DIR: h.runtime}})
        assert.equal(cli.status, EXIT.file)
        assert.equal(cli.stderr, `mpool new: ${said}; new would hand out page 2, which may be on the file already, so no page was made; close the pool and open the file again\n`)
        const stats = await runCli(['stats', '--key', 'grown'], {cwd: h.files, env: {MPOOL_RUNTIME_DIR: h.runtime}})
        assert.equal(stats.status, 0)
        assert.match(stats.stdout, new RegExp(`^warning +${said.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; close the pool and open the file again$`, 'm'))
        const ls = await runCli(['ls'], {cwd: h.files, env: {MPOOL_RUNTIME_DIR: h.runtime}})
        assert.match(ls.stdout, /^grown +\S+ \(changed under the pool\) /m)
      },
      (file) => `${file} grew from ${2 * PAGESIZE} to ${3 * PAGESIZE} bytes under the pool (another writer appended)`,
    )
  })

  it('cut short, replaced or deleted: said so in the same way', async () => {
    const cases: Array<[string, (file: string) => void, (file: string) => string]> = [
      ['cut', (file) => fs.truncateSync(file, PAGESIZE), (file) => `${file} was cut from ${2 * PAGESIZE} to ${PAGESIZE} bytes under the pool`],
      [
        'replaced',
        (file) => {
          fs.writeFileSync(`${file}.new`, Buffer.alloc(2 * PAGESIZE))
          fs.renameSync(`${file}.new`, file)
        },
        (file) => `${file} was replaced under the pool (it names another file now)`,
      ],
      ['deleted', (file) => fs.unlinkSync(file), (file) => `${file} was deleted under the pool`],
    ]
    for (const [key, change, said] of cases) {
      await withChanged(
        key,
        change,
        async (pool, _file, text) => {
          assert.equal((await pool.stats()).fileChanged, text)
          assert.equal((await pool.info()).fileChanged, text)
          await assert.rejects(pool.sync(), {code: 'ESTALE', message: `${text}; nothing was written and the dirty pages are still dirty; close the pool and open the file again`})
        },
        said,
      )
    }
  })

  it('grown by the pool itself is no change', async () => {
    const file = h.pageFile(PAGESIZE, 1, path.join('own.db'))
    const {pid} = await h.open({key: 'own', file, pagesize: PAGESIZE, maxcache: 4})
    const pool = await connectPool({key: 'own'})
    const {pgno} = await pool.new()
    await pool.put(pgno, {write: {offset: 0, bytes: Buffer.from('new page')}})
    assert.equal(await pool.sync(), 1)
    assert.equal((await pool.stats()).fileChanged, undefined)
    assert.equal(fs.statSync(file).size, 2 * PAGESIZE)
    await pool.close()
    await waitForExit(pid)
  })
})
