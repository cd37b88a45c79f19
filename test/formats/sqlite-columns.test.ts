/*
 * Record values named by the schema, against the real sqlite3: on databases the CLI made with
 * awkward CREATE statements (quoted names of every kind, comments, constraints with commas and
 * parentheses, generated columns, a WITHOUT ROWID table with a DESC key, an expression index, the
 * autoindexes of UNIQUE constraints, a column added later, bare names with characters past ASCII), every b-tree page is located with
 * its owner as dbstat names it, its values are named as PRAGMA table_xinfo / index_xinfo name
 * the stored columns, and the named values are the ones sqlite3 returns.
 */
import assert from 'node:assert/strict'
import {DETECT_HEAD_BYTES, detectFormat, formatNamed, type DecodedItem, type FormatInfo} from '../../src/formats/index.js'
import {recordNames} from '../../src/formats/sqlite/columns.js'
import {parseCreateIndex, parseCreateTable} from '../../src/formats/sqlite/schema-sql.js'
import {fileReader, sqlite3, sqliteJson} from '../helpers/sqlite3.js'
import {TmpDir} from '../helpers/tmp.js'

const sqlite = formatNamed('sqlite')!

/** The schema the databases are made with: each line something a naive reader of the SQL would get wrong. */
const SCHEMA = `
  CREATE TABLE "odd ""name"" t"( -- a comment, with (parens
    [id] INTEGER PRIMARY KEY, /* a comment, with a comma */ \`b c\` TEXT NOT NULL DEFAULT 'x,y' CHECK (length(\`b c\`) < 999),
    g1 INT GENERATED ALWAYS AS (length("b c") * 2) VIRTUAL,
    g2 TEXT AS (upper([b c])) STORED,
    'quoted' REAL UNIQUE,
    d DEFAULT (1 + (2*3)),
    UNIQUE (d, 'quoted'),
    UNIQUE(d, quoted)
  );
  CREATE INDEX i_expr ON "odd ""name"" t"(lower(\`b c\`) COLLATE NOCASE DESC, d);
  CREATE TABLE w(a TEXT, b INT, c, e INTEGER, PRIMARY KEY (c, a DESC), UNIQUE(b)) WITHOUT ROWID;
  CREATE INDEX w_e ON w(e, a);
  CREATE TABLE plain(k INT PRIMARY KEY, v);
  CREATE TABLE café(naïve TEXT, prix€ REAL, ×2 INT); -- bare names past ASCII: SQLite takes every such character as a name's
  INSERT INTO café VALUES ('un', 1.5, 2), ('deux', 2.5, 4);
  BEGIN;
  WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 600)
    INSERT INTO "odd ""name"" t"(\`b c\`, quoted, d) SELECT printf('Row %d %.*c', i, i % 50, 'z'), i * 0.5, i FROM s;
  WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 600)
    INSERT INTO w SELECT 'a' || i, i, 'c' || (i % 37), i * 3 FROM s;
  WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300) INSERT INTO plain SELECT i * 7, 'v' || i FROM s;
  COMMIT;
  ALTER TABLE plain ADD COLUMN later TEXT DEFAULT 'new';
  INSERT INTO plain(k, v, later) VALUES (-1, 'after', 'set');`

interface Opened {
  info: FormatInfo
  read: (pgno: number) => Buffer
  npages: number
}

function opened(file: string): Opened {
  const whole = fileReader(file, 512)
  const info = detectFormat(whole.bytes.subarray(0, DETECT_HEAD_BYTES), whole.bytes.length)!
  const {read, npages} = fileReader(file, info.pagesize)
  return {info, read, npages}
}

/** The value fields of a decoded cell, in record order: the payload region, less the local/overflow split. */
function valueFields(item: DecodedItem) {
  return item.fields.filter((f) => f.region === 'payload' && f.name !== 'local payload')
}

/** expectedNames -- (once per b-tree) the stored columns of a b-tree's records as sqlite3's PRAGMAs list them (null for an expression). */
const EXPECTED = new Map<string, Array<string | null>>()

function expectedNames(file: string, name: string, type: string): Array<string | null> {
  const key = `${file}\0${name}`
  if (!EXPECTED.has(key)) EXPECTED.set(key, pragmaNames(file, name, type))
  return EXPECTED.get(key)!
}

function pragmaNames(file: string, name: string, type: string): Array<string | null> {
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`
  if (type === 'table') {
    const pk = sqliteJson<{name: string}>(file, `SELECT name FROM pragma_index_list(${q(name)}) WHERE origin = 'pk'`)
    const withoutRowid = sqliteJson<{wr: number}>(file, `SELECT wr FROM pragma_table_list WHERE name = ${q(name)}`)[0]?.wr === 1
    if (withoutRowid) return sqliteJson<{name: string}>(file, `SELECT name FROM pragma_index_xinfo(${q(pk[0]!.name)}) ORDER BY seqno`).map((r) => r.name)
    // hidden 2 is a VIRTUAL generated column: computed, never stored
    return sqliteJson<{name: string}>(file, `SELECT name FROM pragma_table_xinfo(${q(name)}) WHERE hidden != 2 ORDER BY cid`).map((r) => r.name)
  }
  return sqliteJson<{cid: number; name: string | null}>(file, `SELECT cid, name FROM pragma_index_xinfo(${q(name)}) ORDER BY seqno`).map((r) => (r.cid === -1 ? 'rowid' : r.name))
}

describe('formats/sqlite: record values named by the schema', function () {
  this.timeout(60_000)
  let tmp: TmpDir
  before(() => (tmp = new TmpDir()))
  after(() => tmp.cleanup())

  for (const autoVacuum of [false, true]) {
    describe(autoVacuum ? 'auto_vacuum=full (owners by the pointer map)' : 'no auto_vacuum (owners by lookup, or level by level)', () => {
      let file: string
      let db: Opened
      before(() => {
        file = tmp.path(`names-${autoVacuum}.db`)
        sqlite3(file, `PRAGMA page_size=512; PRAGMA auto_vacuum=${autoVacuum ? 'FULL' : 'NONE'};${SCHEMA}`)
        db = opened(file)
      })

      it('locates every b-tree page with the owner dbstat names, non-root pages too', () => {
        const stat = sqliteJson<{name: string; pageno: number}>(file, "SELECT name, pageno FROM dbstat WHERE pagetype IN ('internal', 'leaf') ORDER BY pageno")
        const roots = new Set(sqliteJson<{rootpage: number}>(file, 'SELECT rootpage FROM sqlite_schema').map((r) => r.rootpage))
        assert.ok(stat.filter((s) => !roots.has(s.pageno) && s.name === 'i_expr').length > 2, 'the DESC NOCASE expression index has non-root pages')
        assert.ok(stat.filter((s) => !roots.has(s.pageno) && s.name === 'w').length > 2, 'the WITHOUT ROWID table has non-root pages')
        const mine = stat.map((s) => ({name: sqlite.locate!(db.read, db.npages, db.info, s.pageno - 1, {owner: true}).owner, pageno: s.pageno}))
        assert.deepEqual(mine, stat)
      })

      it("names each page's values as PRAGMA table_xinfo and index_xinfo list the stored columns", () => {
        const schema = sqliteJson<{name: string; type: string; sql: string | null}>(file, "SELECT name, type, sql FROM sqlite_schema WHERE rootpage > 0 UNION ALL SELECT 'sqlite_schema', 'table', NULL")
        const stat = sqliteJson<{name: string; pageno: number}>(file, "SELECT name, pageno FROM dbstat WHERE pagetype = 'leaf' ORDER BY pageno")
        const seen = new Set<string>()
        for (const {name, pageno} of stat) {
          const entry = schema.find((s) => s.name === name)!
          const want = expectedNames(file, name, entry.type)
          const location = sqlite.locate!(db.read, db.npages, db.info, pageno - 1, {owner: true})
          const decoded = sqlite.decode(db.read(pageno - 1), pageno - 1, db.info, location)
          for (const item of decoded.items) {
            const got = valueFields(item).map((f) => f.name)
            assert.ok(got.length > 0 && got.length <= want.length, `${name} page ${pageno}: ${got.length} values`)
            got.forEach((n, i) => {
              if (want[i] === null) assert.ok(entry.sql!.includes(n) && n.includes('('), `${name}: the expression ${n} as written in ${entry.sql}`)
              else assert.equal(n, want[i], `${name} page ${pageno} value ${i}`)
            })
          }
          seen.add(name)
        }
        assert.deepEqual([...seen].sort(), ['café', 'i_expr', 'odd "name" t', 'plain', 'sqlite_autoindex_odd "name" t_1', 'sqlite_autoindex_odd "name" t_2', 'sqlite_autoindex_plain_1', 'sqlite_autoindex_w_2', 'sqlite_schema', 'w', 'w_e'])
      })

      it('gives the named values sqlite3 returns, and says the INTEGER PRIMARY KEY is the rowid', () => {
        const rows = sqliteJson<Record<string, unknown>>(file, `SELECT rowid AS "rowid", id, "b c", g2, quoted, d FROM "odd ""name"" t"`)
        const byRowid = new Map(rows.map((r) => [r.rowid, r]))
        const leaves = sqliteJson<{pageno: number}>(file, `SELECT pageno FROM dbstat WHERE name = 'odd "name" t' AND pagetype = 'leaf'`)
        let cells = 0
        for (const {pageno} of leaves) {
          const decoded = sqlite.decode(db.read(pageno - 1), pageno - 1, db.info, sqlite.locate!(db.read, db.npages, db.info, pageno - 1, {owner: true}))
          for (const item of decoded.items) {
            const rowid = item.fields.find((f) => f.name === 'rowid')!.value
            const want = byRowid.get(rowid)!
            const values = Object.fromEntries(valueFields(item).map((f) => [f.name, f.value]))
            assert.deepEqual(values, {id: null, 'b c': want['b c'], g2: want.g2, quoted: want.quoted, d: want.d})
            const id = valueFields(item).find((f) => f.name === 'id')!
            assert.equal(id.meaning, `NULL: id is the INTEGER PRIMARY KEY, stored as NULL; its value is the rowid, ${want.id}`)
            cells++
          }
        }
        assert.equal(cells, rows.length)
      })

      it('names what a column added later leaves: old records have fewer values, new ones all', () => {
        const leaves = sqliteJson<{pageno: number}>(file, "SELECT pageno FROM dbstat WHERE name = 'plain' AND pagetype = 'leaf'")
        const counts = new Set<string>()
        for (const {pageno} of leaves) {
          const decoded = sqlite.decode(db.read(pageno - 1), pageno - 1, db.info, sqlite.locate!(db.read, db.npages, db.info, pageno - 1, {owner: true}))
          for (const item of decoded.items) counts.add(valueFields(item).map((f) => f.name).join(','))
        }
        assert.deepEqual([...counts].sort(), ['k,v', 'k,v,later'])
      })
    })
  }

  it('reads what it cannot follow as no names at all, so the decoder says column N', () => {
    assert.equal(parseCreateTable('CREATE TABLE t(a, "b'), null, 'an unclosed quote')
    assert.equal(parseCreateTable('CREATE TABLE t AS SELECT 1'), null, 'no column list')
    assert.equal(parseCreateIndex('CREATE INDEX i ON t(a /* never closed'), null)
    assert.equal(recordNames([], {type: 'index', name: 'i', tblName: 'gone', rootpage: 3, sql: 'CREATE INDEX i ON gone(a)'}), null, 'an index of a table the schema lacks')
    const file = tmp.path('fallback.db')
    sqlite3(file, 'PRAGMA page_size=512; CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2);')
    const db = opened(file)
    const root = sqliteJson<{rootpage: number}>(file, "SELECT rootpage FROM sqlite_schema WHERE name = 't'")[0]!.rootpage
    const location = {...sqlite.locate!(db.read, db.npages, db.info, root - 1, {owner: true}), columns: ['a']}
    const names = valueFields(sqlite.decode(db.read(root - 1), root - 1, db.info, location).items[0]!).map((f) => f.name)
    assert.deepEqual(names, ['a', 'column 1'], 'a value past the names is column N')
  })
})
