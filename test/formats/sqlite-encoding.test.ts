/*
 * Text in the three database encodings against the real sqlite3: a UTF-8, a UTF-16le and a
 * UTF-16be database (PRAGMA encoding) with text beyond the BMP, text long enough to overflow,
 * and an index on it; every row and index entry decodes to what sqlite3 returns, a lookup through
 * the index finds every entry (text compared in the database's encoding, as BINARY collation
 * does), and a value cut by its page shows whole characters only.
 */
import assert from 'node:assert/strict'
import {DETECT_HEAD_BYTES, detectFormat, formatNamed} from '../../src/formats/index.js'
import {parseBtreePage} from '../../src/formats/sqlite/btree.js'
import {descend, scanRows, schemaOf, sqliteFile} from '../../src/formats/sqlite/index.js'
import {decodeRecord} from '../../src/formats/sqlite/record.js'
import {fileReader, sqlite3, sqliteJson} from '../helpers/sqlite3.js'
import {TmpDir} from '../helpers/tmp.js'

const sqlite = formatNamed('sqlite')!

describe('formats/sqlite: text encodings against sqlite3', function () {
  this.timeout(60_000)
  let tmp: TmpDir
  before(() => (tmp = new TmpDir()))
  after(() => tmp.cleanup())

  for (const encoding of ['UTF-8', 'UTF-16le', 'UTF-16be']) {
    it(`gives back every row and index entry of a ${encoding} database as sqlite3 returns them`, () => {
      const file = tmp.path(`${encoding}.db`)
      sqlite3(
        file,
        `PRAGMA encoding='${encoding}'; PRAGMA page_size=512; CREATE TABLE t(id INTEGER PRIMARY KEY, s TEXT); CREATE INDEX t_s ON t(s);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
           INSERT INTO t SELECT i, printf('%d ', i) || CASE i % 4 WHEN 0 THEN 'ascii' WHEN 1 THEN 'héllo wörld ✓' WHEN 2 THEN '😀 𝄞 beyond the BMP' ELSE printf('%.*c', 250 + i, 'ß') || '😀' END FROM n;
         -- keys that differ first at a character the three encodings order differently (a, é, ż, ✓, Ａ, 😀)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 240)
           INSERT INTO t(s) SELECT 'k ' || substr('aéż✓Ａ😀', i % 6 + 1, 1) || ' ' || i FROM n;`,
      )
      assert.equal(sqliteJson<{e: string}>(file, 'SELECT encoding AS e FROM pragma_encoding')[0]!.e, encoding)
      const whole = fileReader(file, 512)
      const info = detectFormat(whole.bytes.subarray(0, DETECT_HEAD_BYTES), whole.bytes.length)!
      const db = sqliteFile(whole.read, whole.npages, info)
      const schema = schemaOf(db)
      assert.deepEqual(schema.map((s) => s.name), ['t', 't_s'], 'the schema, itself text, reads right')
      const rows = scanRows(db, schema[0]!.rootpage).map((r) => [r.rowid, r.values[1]])
      const want = sqliteJson<{id: number; s: string}>(file, 'SELECT id, s FROM t ORDER BY id')
      assert.deepEqual(rows, want.map((w) => [w.id, w.s]))
      const entries = scanRows(db, schema[1]!.rootpage).map((r) => r.values)
      const wantIndex = sqliteJson<{s: string; id: number}>(file, 'SELECT s, id FROM t INDEXED BY t_s ORDER BY s, id')
      assert.deepEqual(new Set(entries.map((e) => JSON.stringify(e))), new Set(wantIndex.map((w) => JSON.stringify([w.s, w.id]))))
      // a lookup through the index compares text as this encoding orders it (memcmp of its bytes)
      for (const w of wantIndex) assert.ok(descend(db, schema[1]!.rootpage, [w.s, w.id]).found, `${w.s} is found through t_s`)
      // a value whose bytes go on to an overflow page: this page's part of it is whole characters
      const map = sqlite.map(whole.read, whole.npages, info)
      let cut = 0
      for (const e of map.pages.filter((p) => p.owner === 't' && p.kind === 'table-leaf')) {
        const page = whole.read(e.pgno)
        for (const cell of parseBtreePage(page, e.pgno, info.pagesize).cells) {
          if (cell.local >= (cell.payloadSize ?? 0)) continue
          const local = decodeRecord(page, cell.payloadOffset, cell.payloadOffset + cell.local, db.facts.encoding).columns[1]!
          const id = Number(cell.rowid!.value)
          assert.equal(local.complete, false)
          assert.ok(want[id - 1]!.s.startsWith(String(local.value)) && !String(local.value).includes('\ufffd'), `row ${id}: ${local.value}`)
          cut++
        }
      }
      assert.ok(cut > 5, 'some values overflow')
    })
  }
})
