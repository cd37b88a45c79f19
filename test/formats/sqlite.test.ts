/*
 * The SQLite format against the real sqlite3: databases the CLI made at page sizes 512 to 65536,
 * with rows that overflow, two indexes, a WITHOUT ROWID table, a freelist left by deletes, and
 * auto_vacuum=full for pointer-map pages. The map must agree with dbstat on every page it lists,
 * and the decoded cells must give back the rows sqlite3 returns.
 */
import assert from 'node:assert/strict'
import {DETECT_HEAD_BYTES, detectFormat, formatNamed, type FormatInfo, type PageMap} from '../../src/formats/index.js'
import {descend, leafScan, scanRows, schemaOf, sqliteFile, type SqlValue} from '../../src/formats/sqlite/index.js'
import {fileReader, makeDatabase, sqlite3, sqliteJson} from '../helpers/sqlite3.js'
import {TmpDir} from '../helpers/tmp.js'

const sqlite = formatNamed('sqlite')!

interface DbstatRow {
  name: string
  pageno: number
  pagetype: string
  ncell: number
  payload: number
  unused: number
}

/** dbstat's pagetype of a map kind. */
function dbstatType(kind: string): string {
  return kind.endsWith('-interior') ? 'internal' : kind.endsWith('-leaf') ? 'leaf' : kind
}

/** opened -- a database file as the format sees it: info, a reader, its map. */
function opened(file: string): {info: FormatInfo; read: (pgno: number) => Buffer; npages: number; map: PageMap} {
  const whole = fileReader(file, 512)
  const info = detectFormat(whole.bytes.subarray(0, DETECT_HEAD_BYTES), whole.bytes.length)!
  const {read, npages} = fileReader(file, info.pagesize)
  return {info, read, npages, map: sqlite.map(read, npages, info)}
}

/** plain -- a decoded value as sqlite3 -json prints it (blobs as hex text via hex() in the query). */
function plain(v: SqlValue): unknown {
  if (typeof v === 'bigint') return v.toString()
  if (Buffer.isBuffer(v)) return v.toString('hex').toUpperCase()
  return v
}

const CASES: Array<{pagesize: number; autoVacuum: boolean}> = [
  {pagesize: 512, autoVacuum: false},
  {pagesize: 1024, autoVacuum: false},
  {pagesize: 4096, autoVacuum: false},
  {pagesize: 65536, autoVacuum: false},
  {pagesize: 1024, autoVacuum: true},
  {pagesize: 4096, autoVacuum: true},
]

describe('formats/sqlite against sqlite3', function () {
  this.timeout(60_000)
  let tmp: TmpDir
  before(() => (tmp = new TmpDir()))
  after(() => tmp.cleanup())

  for (const {pagesize, autoVacuum} of CASES) {
    describe(`page size ${pagesize}${autoVacuum ? ', auto_vacuum=full' : ''}`, () => {
      let file: string
      before(() => {
        file = tmp.path(`db-${pagesize}-${autoVacuum}`)
        makeDatabase(file, pagesize, {autoVacuum})
      })

      it('maps every page dbstat lists with the same owner, type, cells, payload and unused bytes', () => {
        const {map} = opened(file)
        assert.deepEqual(map.problems, [])
        const stat = sqliteJson<DbstatRow>(file, 'SELECT name, pageno, pagetype, ncell, payload, unused FROM dbstat ORDER BY pageno')
        assert.ok(stat.length > 10)
        const mine = stat.map((row) => {
          const e = map.pages[row.pageno - 1]!
          return {name: e.owner, pageno: e.page, pagetype: dbstatType(e.kind), ncell: e.cells, payload: e.payload, unused: e.free}
        })
        assert.deepEqual(mine, stat)
        assert.ok(map.pages.some((e) => e.kind === 'overflow'), 'some rows overflow')
        assert.ok(map.pages.some((e) => e.owner === 'w' && e.kind === 'index-leaf'), 'the WITHOUT ROWID table is an index b-tree')
      })

      it('maps the same when the pages come in blocks, as map --file reads them', () => {
        const {info, read, npages, map} = opened(file)
        for (const perBlock of [1, 3, npages]) {
          const mapper = sqlite.mapper!(npages, info)
          for (let pgno = 0; pgno < npages; pgno += perBlock) {
            const count = Math.min(perBlock, npages - pgno)
            mapper.add(Buffer.concat(Array.from({length: count}, (_, k) => read(pgno + k))), pgno, count)
          }
          assert.deepEqual(mapper.finish(read), map, `${perBlock} pages a block`)
        }
      })

      it('maps the pages dbstat does not list: the freelist and, under auto_vacuum, the pointer map', () => {
        const {map} = opened(file)
        const listed = new Set(sqliteJson<{pageno: number}>(file, 'SELECT pageno FROM dbstat').map((r) => r.pageno))
        const rest = map.pages.filter((e) => !listed.has(e.page))
        const [{freelist_count: freeCount}] = sqliteJson<{freelist_count: number}>(file, 'PRAGMA freelist_count')
        const free = rest.filter((e) => e.kind === 'freelist-trunk' || e.kind === 'freelist-leaf')
        assert.equal(free.length, freeCount)
        if (autoVacuum) {
          assert.equal(freeCount, 0, 'auto_vacuum=full leaves no freelist')
          assert.ok(rest.some((e) => e.kind === 'ptrmap' && e.page === 2))
          assert.deepEqual(new Set(rest.map((e) => e.kind)), new Set(['ptrmap']))
        } else {
          assert.ok(freeCount > 0, 'the deletes left a freelist')
          assert.deepEqual(new Set(rest.map((e) => e.kind)), new Set(['freelist-trunk', 'freelist-leaf']))
        }
      })

      it('gives back the rows sqlite3 returns, overflowing values included', () => {
        const {info, read, npages} = opened(file)
        const db = sqliteFile(read, npages, info)
        const schema = schemaOf(db)
        const t = schema.find((s) => s.name === 't')!
        const rows = scanRows(db, t.rootpage).map((r) => [plain(r.rowid), ...r.values.map(plain)])
        const want = sqliteJson<Record<string, unknown>>(file, 'SELECT id, id AS i2, name, hex(body) AS body, score, CAST(n AS TEXT) AS n FROM t ORDER BY id')
        assert.deepEqual(
          rows.map((r) => [r[0], r[2], r[3], r[4], r[5] === null ? null : String(r[5])]),
          want.map((w) => [w.id, w.name, w.body, w.score, w.n]),
        )
        const w = schema.find((s) => s.name === 'w')!
        const entries = scanRows(db, w.rootpage).map((r) => r.values.map(plain))
        const wantW = sqliteJson<{k: string; v: number; note: string}>(file, 'SELECT k, v, note FROM w ORDER BY k')
        assert.deepEqual(entries, wantW.map((r) => [r.k, r.v, r.note]))
      })

      it('descends to the leaf that holds a rowid, and through an index to the entry of a key', () => {
        const {info, read, npages, map} = opened(file)
        const db = sqliteFile(read, npages, info)
        const schema = schemaOf(db)
        const t = schema.find((s) => s.name === 't')!
        for (const id of [1, 2, 199, 398, 399]) {
          const d = descend(db, t.rootpage, id)
          assert.ok(d.found, `rowid ${id} is found`)
          assert.equal(d.pages[0], t.rootpage)
          const leaf = sqlite.decode(read(d.found.page - 1), d.found.page - 1, info)
          assert.equal(leaf.kind, 'table-leaf')
          assert.equal(leaf.items[d.found.cell]!.fields.find((f) => f.name === 'rowid')!.value, id)
        }
        assert.equal(descend(db, t.rootpage, 5).found, null, 'a deleted rowid is not found')
        const idx = schema.find((s) => s.name === 't_name')!
        const d = descend(db, idx.rootpage, ['name 123 ' + '0'.repeat(2 * (123 % 40)).slice(0, 123 % 70)])
        assert.ok(d.found)
        assert.ok(d.pages.every((p) => map.pages[p - 1]!.owner === 't_name'))
        assert.deepEqual(leafScan(db, t.rootpage), map.pages.filter((e) => e.owner === 't' && e.kind === 'table-leaf').map((e) => e.page).sort((a, b) => rowOrder(db, a) - rowOrder(db, b)))
      })

      it('locates every page as the map does, without the map where the page says what it is', () => {
        const {info, read, npages, map} = opened(file)
        assert.deepEqual(
          map.pages.map((e) => sqlite.locate!(read, npages, info, e.pgno).kind),
          map.pages.map((e) => e.kind),
        )
      })

      it('decodes every b-tree page with its cell count, and page 1 with the database header', () => {
        const {info, read, npages, map} = opened(file)
        for (const entry of map.pages) {
          const d = sqlite.decode(read(entry.pgno), entry.pgno, info, entry)
          assert.equal(d.kind, entry.kind)
          assert.equal(d.page, entry.pgno + 1)
          assert.deepEqual(d.problems, [], `page ${entry.page}`)
          if (entry.kind.endsWith('-interior') || entry.kind.endsWith('-leaf')) if (entry.kind !== 'freelist-leaf') assert.equal(d.items.length, entry.cells)
          for (const f of d.fields) assert.ok(f.offset >= entry.pgno * info.pagesize && f.offset + f.length <= (entry.pgno + 1) * info.pagesize, `${f.name} lies on its page`)
        }
        const first = sqlite.decode(read(0), 0, info)
        const field = (name: string) => first.fields.find((f) => f.name === name)?.value
        assert.equal(field('page size'), pagesize === 65536 ? 1 : pagesize)
        assert.equal(field('database size in pages'), npages)
        const [{page_count: pageCount}] = sqliteJson<{page_count: number}>(file, 'PRAGMA page_count')
        assert.equal(field('database size in pages'), pageCount)
      })
    })
  }

  it('decodes the serial types and values of a row as its own columns', () => {
    const file = tmp.path('one')
    sqlite3(file, "PRAGMA page_size=512; CREATE TABLE r(a, b, c, d, e); INSERT INTO r VALUES (NULL, 7, -300, 2.5, 'hello'), (0, 1, x'00ff', 70000, 'é');")
    const {info, read, map} = opened(file)
    const root = map.pages.find((e) => e.owner === 'r')!
    const d = sqlite.decode(read(root.pgno), root.pgno, info)
    const cells = d.items.map((item) => item.fields.filter((f) => f.name.startsWith('column ')).map((f) => f.value))
    assert.deepEqual(cells, [
      [null, 7, -300, 2.5, 'hello'],
      [0, 1, "x'00ff'", 70000, 'é'],
    ])
    const types = d.items[1]!.fields.filter((f) => f.name.startsWith('serial type ')).map((f) => [f.value, f.meaning])
    assert.deepEqual(types, [
      [8, 'integer 0'],
      [9, 'integer 1'],
      [16, 'blob, 2 bytes'],
      [3, '3-byte integer'],
      [17, 'text, 2 bytes'],
    ])
  })
})

/** rowOrder -- the first rowid on a table leaf, to sort leaves by key. */
function rowOrder(db: ReturnType<typeof sqliteFile>, page: number): number {
  const rows = scanRows(db, page)
  return Number(rows[0]?.rowid ?? 0)
}
