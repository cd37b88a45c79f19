/*
 * A page file nobody here wrote: a SQLite database made by sql.js (SQLite compiled to
 * WebAssembly), read through the pool page by page and compared with the file byte for byte,
 * then changed through the pool and opened again by SQLite.
 *
 * SQLite's header gives what the test checks against (https://www.sqlite.org/fileformat2.html):
 * bytes 0-15 "SQLite format 3\0", 16-17 the page size big-endian (1 means 65536), 28-31 the
 * database size in pages, 60-63 the user version (PRAGMA user_version).
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import initSqlJs, {type SqlJsStatic} from 'sql.js'
import {MPool, MPOOL_DIRTY} from '../../src/pool/index.js'
import {TmpDir} from '../helpers/tmp.js'

const HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/** makeDatabase -- a database of two tables, an index and ~900 rows, at this page size; its bytes. */
function makeDatabase(SQL: SqlJsStatic, pageSize: number): Uint8Array {
  const db = new SQL.Database()
  try {
    db.run(`PRAGMA page_size = ${pageSize}`)
    db.run('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)')
    db.run('CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), amount INTEGER, note TEXT)')
    db.run('CREATE INDEX orders_by_user ON orders (user_id)')
    db.run('BEGIN')
    const user = db.prepare('INSERT INTO users VALUES (?, ?, ?)')
    for (let id = 1; id <= 300; id++) user.run([id, `user number ${id}`, `user${id}@example.org`])
    user.free()
    const order = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?)')
    for (let id = 1; id <= 600; id++) order.run([id, (id * 7) % 300 + 1, id * 13, `order ${id} `.repeat(3)])
    order.free()
    db.run('COMMIT')
    return db.export()
  } finally {
    db.close()
  }
}

/** query -- the rows of one statement on a database given as bytes. */
function query(SQL: SqlJsStatic, bytes: Uint8Array, sql: string): unknown[][] {
  const db = new SQL.Database(bytes)
  try {
    return db.exec(sql)[0]?.values ?? []
  } finally {
    db.close()
  }
}

describe('MPool over a SQLite database made by sql.js', () => {
  let SQL: SqlJsStatic
  let tmp: TmpDir

  before(async () => {
    SQL = await initSqlJs()
  })

  beforeEach(() => {
    tmp = new TmpDir()
  })

  afterEach(() => {
    tmp.cleanup()
  })

  for (const pageSize of [512, 4096, 65536]) {
    describe(`with ${pageSize}-byte pages`, () => {
      let original: Buffer
      let file: string
      let pagesize: number

      beforeEach(() => {
        original = Buffer.from(makeDatabase(SQL, pageSize))
        file = tmp.file(original, 'test.sqlite')
        const raw = original.readUInt16BE(16)
        pagesize = raw === 1 ? 65536 : raw
      })

      it('reads the page size SQLite wrote in the header', () => {
        assert.equal(pagesize, pageSize)
        assert.equal(original.length % pagesize, 0)
      })

      it('reads every page byte for byte as it is on the file, page 0 starting with the SQLite header', () => {
        const fd = tmp.open(file, 'r')
        const pool = MPool.open(null, fd, pagesize, 3)
        try {
          assert.equal(pool.npages, original.readUInt32BE(28), 'npages is the database size in the header')
          assert.ok(pool.npages >= 3, `several pages (${pool.npages})`)
          assert.equal(pool.stats().trailing, 0)
          for (let pgno = 0; pgno < pool.npages; pgno++) {
            const page = pool.get(pgno)
            assert.ok(page.equals(original.subarray(pgno * pagesize, (pgno + 1) * pagesize)), `page ${pgno}`)
            if (pgno === 0) assert.ok(page.subarray(0, 16).equals(HEADER))
            pool.put(page)
          }
          const stats = pool.stats()
          assert.equal(stats.pageread, pool.npages)
          assert.equal(stats.cached, 3)
          assert.equal(stats.pagewrite, 0)
        } finally {
          pool.close()
        }
      })

      it('writes pages back so that SQLite still opens the database and reads every row', () => {
        const fd = tmp.open(file, 'r+')
        const pool = MPool.open(null, fd, pagesize, 2)
        const npages = pool.npages
        try {
          // Rewrite every page with its own bytes, dirty: evictions and sync write each one back.
          for (let pgno = 0; pgno < npages; pgno++) {
            const page = pool.get(pgno)
            Buffer.from(page).copy(page)
            pool.put(page, MPOOL_DIRTY)
          }
          // And one change SQLite will see: the user version in the header of page 0.
          const header = pool.get(0)
          header.writeUInt32BE(4242, 60)
          pool.put(header, MPOOL_DIRTY)
          pool.sync()
          assert.equal(pool.stats().pagewrite, npages + 1)
        } finally {
          pool.close()
        }
        const after = fs.readFileSync(file)
        const expected = Buffer.from(original)
        expected.writeUInt32BE(4242, 60)
        assert.ok(after.equals(expected), 'the file is the original with the user version changed')
        assert.deepEqual(query(SQL, after, 'PRAGMA user_version'), [[4242]])
        assert.deepEqual(query(SQL, after, 'PRAGMA integrity_check'), [['ok']])
        assert.deepEqual(query(SQL, after, 'SELECT count(*), sum(amount) FROM orders'), [[600, 13 * 600 * 601 / 2]])
        assert.deepEqual(query(SQL, after, 'SELECT name, email FROM users WHERE id = 257'), [['user number 257', 'user257@example.org']])
        assert.deepEqual(query(SQL, after, 'SELECT count(*) FROM orders WHERE user_id = 8'), [[2]])
      })
    })
  }
})
