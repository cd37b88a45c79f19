/*
 * The lock-byte page on a real database over 1 GiB, through the real binary. SQLite never uses
 * the page that holds file offset 0x40000000 (PENDING_BYTE): dbstat leaves it out (it lists every
 * other page), an overflow chain steps over it, and map must call it `lock-byte`, over the file
 * and, decoded, over a pool.
 *
 * The database is made by sqlite3 with 64 KiB pages and 1040 zeroblob rows of 1 MiB: 1.1 GB on
 * disk, about 10 s to write on this machine (most of it the disk), removed after the suite. A
 * smaller real file cannot have the page: the offset is fixed at 1 GiB whatever the page size.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {buildOnce, CliSandbox} from '../helpers/cli.js'
import {sqlite3, sqliteJson} from '../helpers/sqlite3.js'

const PAGESIZE = 65536
/** SQLite's PENDING_BYTE_PAGE: the page (from 1) holding file offset 0x40000000. */
const LOCK_BYTE_PAGE = 0x40000000 / PAGESIZE + 1

interface MapJson {
  pages: Array<{page: number; pgno: number; kind: string; owner: string | null; cells: number | null; free: number | null; payload?: number | null}>
  problems: unknown[]
}

describe('the lock-byte page of a SQLite database over 1 GiB', function () {
  this.timeout(300_000)
  const box = new CliSandbox('mpool-lockbyte-')
  const db = box.path('big.db')

  before(() => {
    buildOnce()
    sqlite3(
      db,
      `PRAGMA page_size=${PAGESIZE}; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
       CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); CREATE INDEX t_b ON t(length(b));
       WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1040) INSERT INTO t SELECT i, zeroblob(1048576) FROM s;
       INSERT INTO t VALUES (2000, 'past the lock-byte page');`,
    )
    assert.ok(fs.statSync(db).size > 0x40000000 + PAGESIZE, 'the database reaches past the lock-byte page')
  })
  after(() => box.cleanup())

  it('maps it as lock-byte, the one page dbstat leaves out, and agrees with dbstat on every other', async () => {
    const r = await box.run(['map', '--file', db, '--json'])
    assert.equal(r.status, 0, r.stderr)
    const map = JSON.parse(r.stdout) as MapJson
    assert.deepEqual(map.problems, [])
    const npages = sqliteJson<{page_count: number}>(db, 'PRAGMA page_count')[0]!.page_count
    assert.equal(map.pages.length, npages)
    assert.ok(npages > LOCK_BYTE_PAGE)
    const stat = sqliteJson<{name: string; pageno: number; pagetype: string; ncell: number; payload: number; unused: number}>(db, 'SELECT name, pageno, pagetype, ncell, payload, unused FROM dbstat ORDER BY pageno')
    const listed = new Set(stat.map((s) => s.pageno))
    const omitted = map.pages.filter((e) => !listed.has(e.page))
    assert.deepEqual(omitted, [{page: LOCK_BYTE_PAGE, pgno: LOCK_BYTE_PAGE - 1, kind: 'lock-byte', owner: null, cells: null, free: null, payload: null}])
    const kind = (k: string) => (k.endsWith('-interior') ? 'internal' : k.endsWith('-leaf') ? 'leaf' : k)
    assert.deepEqual(
      stat.map((s) => {
        const e = map.pages[s.pageno - 1]!
        return {name: e.owner, pageno: e.page, pagetype: kind(e.kind), ncell: e.cells, payload: e.payload, unused: e.free}
      }),
      stat,
    )
    const before = map.pages[LOCK_BYTE_PAGE - 2]!
    assert.equal(before.kind, 'overflow', 'an overflow chain runs up to the lock-byte page')
    const next = JSON.parse((await box.run(['dump', '--page', String(before.page), '--file', db, '--decode', '--json'])).stdout) as {fields: Array<{name: string; value: unknown}>}
    assert.equal(next.fields.find((f) => f.name === 'next overflow page')!.value, LOCK_BYTE_PAGE + 1, 'and steps over it')
  })

  it('decodes it as the lock-byte page from the file and over a pool', async () => {
    const fromFile = await box.run(['dump', '--page', String(LOCK_BYTE_PAGE), '--file', db, '--decode'])
    assert.equal(fromFile.status, 0, fromFile.stderr)
    assert.match(fromFile.stdout, new RegExp(`^pgno ${LOCK_BYTE_PAGE - 1} = SQLite page ${LOCK_BYTE_PAGE}: lock-byte\\n  0x40000000  00 00 00 00 00 00 00 00 \\.\\.  lock-byte page  -  `, 'm'))
    assert.equal((await box.run(['open', db, '--key', 'big'])).status, 0)
    const d = await box.run(['get', '--page', String(LOCK_BYTE_PAGE), '--decode', '--json', '--key', 'big'])
    assert.equal(d.status, 0, d.stderr)
    const doc = JSON.parse(d.stdout) as {kind: string; pgno: number; page: number; problems: unknown[]; fields: Array<{name: string; offset: number; length: number}>}
    assert.deepEqual([doc.kind, doc.pgno, doc.page, doc.problems], ['lock-byte', LOCK_BYTE_PAGE - 1, LOCK_BYTE_PAGE, []])
    assert.deepEqual(doc.fields.map((f) => [f.name, f.offset, f.length]), [['lock-byte page', 0x40000000, PAGESIZE]])
    assert.equal((await box.run(['put', String(LOCK_BYTE_PAGE - 1), '--key', 'big'])).status, 0)
    assert.equal((await box.run(['close', '--key', 'big'])).status, 0)
  })
})
