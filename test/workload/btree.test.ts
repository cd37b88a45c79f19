/*
 * trace gen btree's walks, on databases made by the sqlite3 CLI (test/helpers/sqlite3.ts: a rowid
 * table with rows that overflow, two indexes, a WITHOUT ROWID table, a freelist) at several page
 * sizes: every lookup ends on the leaf that holds its key (the leaf decoded, the key found), and
 * a full scan visits the table's pages in dbstat's order, so its leaves in key order.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {btreeAt, descend, overflowChain, valuesOf} from '../../src/formats/sqlite/index.js'
import {btreeTrace} from '../../src/workload/btree.js'
import {stepsOf} from '../../src/workload/stepper.js'
import {openSqliteDb, type OpenSqliteDb} from '../../src/workload/sqlite-db.js'
import {makeDatabase, sqliteJson} from '../helpers/sqlite3.js'
import {TmpDir} from '../helpers/tmp.js'

const PAGE_SIZES = [512, 1024, 4096]

describe('trace gen btree: queries on a real SQLite database', function () {
  this.timeout(60_000)
  const tmp = new TmpDir('mpool-btree-')
  const dbs = new Map<number, {path: string; db: OpenSqliteDb}>()
  before(() => {
    for (const size of PAGE_SIZES) {
      const path = tmp.path(`t${size}.db`)
      makeDatabase(path, size)
      dbs.set(size, {path, db: openSqliteDb(path)})
    }
  })
  after(() => {
    for (const {db} of dbs.values()) db.close()
    tmp.cleanup()
  })

  const rootOf = (path: string, name: string) => sqliteJson<{rootpage: number}>(path, `SELECT rootpage FROM sqlite_schema WHERE name = '${name}'`)[0].rootpage

  /** cellOf -- the cell on SQLite page `page` of db whose rowid is `rowid`, decoded from the page itself. */
  function cellOf({db}: {db: OpenSqliteDb}, page: number, rowid: number | bigint) {
    const tree = btreeAt(db.file, page)!
    assert.ok(tree.isLeaf && tree.isTable, `page ${page} is a table leaf`)
    return tree.cells.find((c) => c.rowid !== null && (c.rowid.big ?? c.rowid.value) === rowid)
  }

  for (const size of PAGE_SIZES) {
    it(`looks up rows by rowid from the root to the leaf holding each, then its overflow chain (${size}-byte pages)`, () => {
      const at = dbs.get(size)!
      const root = rootOf(at.path, 't')
      const rowids = new Set(sqliteJson<{id: number}>(at.path, 'SELECT id FROM t').map((r) => r.id))
      for (const keys of ['uniform', 'zipf'] as const) {
        const {queries, trace} = btreeTrace(at.db.file, {table: 't', query: 'point', keys, queries: 150, seed: 3})
        assert.equal(trace.pgnos.length, queries.reduce((n, q) => n + q.pages.length, 0))
        for (const q of queries) {
          assert.equal(q.pages[0], root, 'the descent starts at the root')
          assert.deepEqual(q.pages, descend(at.db.file, root, q.key as number).pages, "the pages the decoder's own descent reads")
          assert.ok(rowids.has(Number(q.key)), `rowid ${q.key} is a row of t`)
          const cell = cellOf(at, q.leaf!, q.key as number)
          assert.ok(cell !== undefined, `leaf ${q.leaf} holds rowid ${q.key}`)
          const leafAt = q.pages.indexOf(q.leaf!)
          assert.deepEqual(q.pages.slice(leafAt + 1), overflowChain(at.db.file, cell).pages, 'then the overflow chain, and nothing else')
          for (const page of q.pages.slice(0, leafAt)) assert.ok(!btreeAt(at.db.file, page)!.isLeaf, `page ${page} above the leaf is interior`)
        }
        // some rows overflow (every 17th has a 3-page body): the walk follows their chains
        if (size === 512) assert.ok(queries.some((q) => q.pages.length > q.pages.indexOf(q.leaf!) + 1), 'an overflow chain was followed')
      }
    })

    it(`looks up by an index key, then the table by the entry's rowid, ending on the row whose column is the key (${size})`, () => {
      const at = dbs.get(size)!
      const {queries} = btreeTrace(at.db.file, {table: 't', index: 't_name', query: 'point', queries: 100, seed: 5})
      const indexRoot = rootOf(at.path, 't_name')
      for (const q of queries) {
        assert.equal(q.pages[0], indexRoot, 'the index first')
        const inIndex = descend(at.db.file, indexRoot, q.key as string[])
        assert.deepEqual(q.pages.slice(0, inIndex.pages.length), inIndex.pages, "the index pages the decoder's own descent reads")
        const tableRoot = rootOf(at.path, 't')
        assert.equal(q.pages[inIndex.pages.length], tableRoot, 'then the table, from its root')
        const tree = btreeAt(at.db.file, q.leaf!)!
        const buf = at.db.file.read(q.leaf! - 1)
        const rows = tree.cells.map((c) => valuesOf(at.db.file, Buffer.from(buf), c))
        assert.ok(rows.some((values) => values[1] === (q.key as string[])[0]), `leaf ${q.leaf} holds a row named ${JSON.stringify((q.key as string[])[0])}`)
      }
    })

    it(`scans the whole table in dbstat's order: leaves in key order, each row's overflow after its leaf (${size})`, () => {
      const at = dbs.get(size)!
      const {queries, trace} = btreeTrace(at.db.file, {table: 't', query: 'scan', queries: 2})
      const dbstat = sqliteJson<{pageno: number}>(at.path, "SELECT pageno FROM dbstat WHERE name = 't' ORDER BY path").map((r) => r.pageno)
      assert.deepEqual(queries[0].pages, dbstat)
      assert.deepEqual([...trace.pgnos], [...dbstat, ...dbstat].map((p) => p - 1), 'two scans, as mpool page numbers')
    })
  }

  it('reads a range of rows in key order: the descent, then each next leaf once', () => {
    const at = dbs.get(512)!
    const scan = btreeTrace(at.db.file, {table: 't', query: 'scan', queries: 1}).queries[0].pages
    const leaves = scan.filter((p) => btreeAt(at.db.file, p)!.isLeaf && btreeAt(at.db.file, p)!.isTable)
    const {queries} = btreeTrace(at.db.file, {table: 't', query: 'range', range: 40, queries: 30, seed: 9})
    for (const q of queries) {
      const visited = q.pages.filter((p) => leaves.includes(p))
      const first = leaves.indexOf(visited[0])
      assert.deepEqual(visited, leaves.slice(first, first + visited.length), 'consecutive leaves, in key order, each once')
      assert.ok(cellOf(at, visited[0], q.key as number) !== undefined, 'starting on the leaf of its first key')
    }
  })

  it("teaches the classic lesson: after a full scan LRU-K still holds the index's root, LRU has lost it", () => {
    const at = dbs.get(512)!
    const made = btreeTrace(at.db.file, {table: 't', index: 't_name', query: 'mix', mix: {point: 20, scan: 1}, queries: 200, seed: 6})
    const tablePages = made.queries.find((q) => q.kind === 'scan')!.pages.length
    const c = Math.floor(tablePages / 4) // far more than the upper levels, far less than a scan
    // the first point lookup after the first scan that follows a point lookup: its first access is the index root
    let step = 0
    let afterScan = -1
    made.queries.forEach((q, i) => {
      if (afterScan === -1 && i > 0 && q.kind === 'point' && made.queries[i - 1].kind === 'scan' && made.queries.slice(0, i - 1).some((p) => p.kind === 'point')) afterScan = step
      step += q.pages.length
    })
    assert.ok(afterScan > 0, 'a lookup follows a scan')
    assert.equal(made.trace.pgnos[afterScan], made.indexRoot! - 1, 'it begins at the index root')
    assert.equal(stepsOf(made.trace, 'lru-k', c).steps[afterScan].hit, true, 'lru-k kept the index root through the scan')
    assert.equal(stepsOf(made.trace, 'lru', c).steps[afterScan].hit, false, 'the scan flushed it out of lru')
  })

  it('mixes kinds by weight, the same for the same seed', () => {
    const at = dbs.get(1024)!
    const a = btreeTrace(at.db.file, {table: 't', index: 't_name', query: 'mix', mix: {point: 8, range: 1, scan: 1}, queries: 400, seed: 2})
    const b = btreeTrace(at.db.file, {table: 't', index: 't_name', query: 'mix', mix: {point: 8, range: 1, scan: 1}, queries: 400, seed: 2})
    assert.deepEqual(a.trace, b.trace)
    const count = (k: string) => a.queries.filter((q) => q.kind === k).length
    assert.ok(count('point') > 280 && count('point') < 360, `points ${count('point')}`)
    assert.ok(count('scan') > 20 && count('scan') < 65, `scans ${count('scan')}`)
    assert.notDeepEqual(btreeTrace(at.db.file, {table: 't', query: 'mix', queries: 400, seed: 3}).trace, a.trace)
  })

  it('refuses what it cannot query, naming what there is', () => {
    const {db} = dbs.get(4096)!
    assert.throws(() => btreeTrace(db.file, {}), /the database has 2 tables \(t, w\): name one with --table/)
    assert.throws(() => btreeTrace(db.file, {table: 'nope'}), /no table "nope" in the database; its tables: t, w/)
    assert.throws(() => btreeTrace(db.file, {table: 'w'}), /table w is a WITHOUT ROWID table/)
    assert.throws(() => btreeTrace(db.file, {table: 't', index: 'w_k'}), /no index "w_k" on table t; its indexes: t_name, t_score_n/)
    const plain = tmp.path('plain.db')
    fs.writeFileSync(plain, Buffer.alloc(4096))
    assert.throws(() => openSqliteDb(plain), /plain\.db is not a SQLite database/)
  })
})
