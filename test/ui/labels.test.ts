/*
 * The frame grid's labels over a real pool on a database sqlite3 made: one refresh reads each
 * page it needs once (the file's header page too), however many frames it labels.
 */
import assert from 'node:assert/strict'
import {fileFormat} from '../../src/cli/file-format.js'
import {LocalPool} from '../../src/session/local.js'
import type {PoolHandle} from '../../src/session/handle.js'
import {PageLabeler} from '../../src/ui/labels.js'
import {TmpDir} from '../helpers/tmp.js'
import {sqlite3, sqliteJson} from '../helpers/sqlite3.js'
import {dbstatKind, kindsDatabase} from './helpers/kinds-db.js'

/** peekCounting -- the real pool, with every peek it is asked for counted by page. */
function peekCounting(pool: LocalPool): {handle: PoolHandle; peeks: Map<number, number>} {
  const peeks = new Map<number, number>()
  const handle = new Proxy(pool, {
    get(target, name) {
      const value = Reflect.get(target, name, target) as unknown
      if (name === 'peek') {
        return (pgno: number, options?: {withFile?: boolean}) => {
          peeks.set(pgno, (peeks.get(pgno) ?? 0) + 1)
          return target.peek(pgno, options)
        }
      }
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return {handle, peeks}
}

describe('the frame labels', function () {
  this.timeout(20_000)
  const tmp = new TmpDir('mpool-ui-labels-')
  after(() => tmp.cleanup())

  it('label every frame of a refresh from one read of each page, the header page read once, not once per frame', async () => {
    const file = tmp.path('kinds.db')
    kindsDatabase(file)
    const choice = await fileFormat(file, undefined, 'repl')
    const pool = LocalPool.open(file, {pagesize: choice.pagesize, maxcache: 8, format: choice.format})
    try {
      const cached = [1, 2, 3, 4, 5, 6]
      for (const pgno of cached) {
        await pool.get(pgno)
        await pool.put(pgno)
      }
      const {handle, peeks} = peekCounting(pool)
      const labeler = new PageLabeler(handle, choice.format)
      const {npages} = await pool.layout()
      const labels = await labeler.update(await pool.frames(), npages)
      for (const pgno of cached) assert.equal(labels.get(pgno)?.kind, dbstatKind(file, pgno + 1).kind, `pgno ${pgno}`)
      assert.equal(peeks.get(0), 1, 'the header page')
      assert.deepEqual([...peeks].filter(([, n]) => n > 1), [], 'pages peeked more than once in one refresh')
    } finally {
      await pool.close()
    }
  })

  it('label overflow pages (which only the whole map places) from one read of the file, not one per frame', async () => {
    const file = tmp.path('overflow.db')
    sqlite3(file, `PRAGMA page_size=1024; CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT);
      WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 6) INSERT INTO big SELECT i, printf('%.3000c', 'x') FROM s;`)
    const overflow = sqliteJson<{pageno: number}>(file, "SELECT pageno FROM dbstat WHERE pagetype = 'overflow' ORDER BY pageno").map((r) => r.pageno - 1)
    assert.ok(overflow.length >= 6, `${overflow.length} overflow pages`)
    const choice = await fileFormat(file, undefined, 'repl')
    const pool = LocalPool.open(file, {pagesize: choice.pagesize, maxcache: 8, format: choice.format})
    try {
      for (const pgno of overflow.slice(0, 6)) {
        await pool.get(pgno)
        await pool.put(pgno)
      }
      const {handle, peeks} = peekCounting(pool)
      const labels = await new PageLabeler(handle, choice.format).update(await pool.frames(), (await pool.layout()).npages)
      for (const pgno of overflow.slice(0, 6)) assert.equal(labels.get(pgno)?.kind, 'overflow', `pgno ${pgno}`)
      assert.equal(peeks.get(0), 1, 'the header page')
      assert.deepEqual([...peeks].filter(([, n]) => n > 1), [], 'pages peeked more than once in one refresh')
    } finally {
      await pool.close()
    }
  })
})
