/*
 * The page formats in the shell, through the real binary, on SQLite databases the sqlite3 CLI
 * made: open with no --pagesize finds the page size and says where from, a contradicting
 * --pagesize opens with one warning; ls, stats and --json carry the format; map --file and map
 * over a pool agree with dbstat; get --page --decode gives the rows; a changed column is named
 * by dump --decode --diff, and after sync sqlite3 reads it with integrity_check ok.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {buildOnce, CliSandbox} from '../helpers/cli.js'
import {DETECT_HEAD_BYTES, detectFormat, formatNamed} from '../../src/formats/index.js'
import {fileReader, makeDatabase, sqlite3, sqliteJson} from '../helpers/sqlite3.js'

interface MapJson {
  format: string
  pagesize: number
  pages: Array<{page: number; pgno: number; kind: string; owner: string | null; cells: number | null; free: number | null}>
  problems: unknown[]
}

interface DecodedJson {
  format: string
  page: number
  pgno: number
  kind: string
  owner: string | null
  fields: Array<{name: string; offset: number; length: number; value: unknown}>
  items: Array<{index: number; fields: Array<{name: string; offset: number; length: number; value: unknown}>}>
  problems: unknown[]
  changes?: Array<{name: string; from: unknown; to: unknown}>
}

describe('page formats in the shell', function () {
  this.timeout(120_000)
  const box = new CliSandbox('mpool-formats-')
  const db = box.path('s1k.db')
  const json = async <T>(args: string[]): Promise<T> => {
    const r = await box.run([...args, '--json'])
    assert.equal(r.status, 0, r.stderr)
    return JSON.parse(r.stdout) as T
  }

  before(() => {
    buildOnce()
    makeDatabase(db, 1024, {rows: 150})
  })
  after(() => box.cleanup())

  it('opens a SQLite database at the page size of its header, says so, and shows the format in ls and stats', async () => {
    const r = await box.run(['open', db, '--key', 's1k'])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^format +sqlite$/m)
    assert.match(r.stdout, /^pagesize +1024 \(from the SQLite header\)$/m)
    assert.equal(r.stderr, '')
    const ls = await json<{pools: Array<{key: string; format: string | null; pagesize: number}>}>(['ls'])
    assert.deepEqual(ls.pools.map((p) => [p.key, p.format, p.pagesize]), [['s1k', 'sqlite', 1024]])
    const stats = await json<{format: string | null; pagesize: number}>(['stats', '--key', 's1k'])
    assert.equal(stats.format, 'sqlite')
    assert.match((await box.run(['stats', '--key', 's1k'])).stdout, /^format +sqlite$/m)
  })

  it('opens at a --pagesize that contradicts the header, with one warning, as a plain page file', async () => {
    const copy = box.path('copy.db') // one file, one pool: s1k.db is open already
    fs.copyFileSync(db, copy)
    const r = await box.run(['open', copy, '--key', 'wrong', '--pagesize', '4096', '--json'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stderr, 'mpool open: warning: --pagesize 4096 contradicts the SQLite header (1024); opening at 4096 as asked, as a plain page file (no SQLite decoding)\n')
    const doc = JSON.parse(r.stdout) as {format: string | null; pagesize: number; pagesizeFrom: string}
    assert.deepEqual([doc.format, doc.pagesize, doc.pagesizeFrom], [null, 4096, '--pagesize'])
    assert.equal((await box.run(['close', '--key', 'wrong'])).status, 0)
  })

  it('maps the file and the pool alike, as dbstat does, and the map over the pool moves no pin, recency or counter', async () => {
    const fromFile = await json<MapJson>(['map', '--file', db])
    const before = await json<unknown>(['stats', '--key', 's1k'])
    const fromPool = await json<MapJson>(['map', '--key', 's1k'])
    assert.deepEqual(await json<unknown>(['stats', '--key', 's1k']), before)
    assert.deepEqual(fromPool, fromFile)
    assert.deepEqual(fromFile.problems, [])
    const stat = sqliteJson<{name: string; pageno: number; ncell: number; unused: number}>(db, 'SELECT name, pageno, ncell, unused FROM dbstat ORDER BY pageno')
    assert.deepEqual(
      stat.map((s) => fromFile.pages[s.pageno - 1]).map((e) => ({name: e!.owner, pageno: e!.page, ncell: e!.cells, unused: e!.free})),
      stat,
    )
    const text = (await box.run(['map', '--file', db])).stdout
    assert.match(text, /^SQLite page +pgno +kind +owner +cells +free$/m)
    assert.match(text, /^ +1 +0 +table-leaf +sqlite_schema +\d+ +\d+$/m)
    assert.match(text, /^kind +pages$/m)
    assert.match(text, /^owner +pages$/m)
  })

  it('writes map --json one page a line, the same text from the file and from the pool, with --explain last', async () => {
    const fromFile = await box.run(['map', '--file', db, '--json'])
    const fromPool = await box.run(['map', '--key', 's1k', '--json'])
    assert.equal(fromFile.status, 0, fromFile.stderr)
    assert.equal(fromPool.stdout, fromFile.stdout)
    const lines = fromFile.stdout.split('\n')
    const doc = JSON.parse(fromFile.stdout) as MapJson
    assert.equal(lines[0], '{"format":"sqlite","pagesize":1024,"pages":[')
    assert.deepEqual(lines.slice(1, doc.pages.length + 1), doc.pages.map((e, i) => `${JSON.stringify(e)}${i === doc.pages.length - 1 ? '' : ','}`))
    assert.deepEqual(lines.slice(doc.pages.length + 1), ['],"problems":[]}', ''])
    const explained = await box.run(['map', '--file', db, '--json', '--explain'])
    assert.equal(explained.status, 0, explained.stderr)
    assert.deepEqual(JSON.parse(explained.stdout), {...doc, explain: [`read ${doc.pages.length} pages from ${db}`]})
  })

  it('maps a file of many read blocks exactly as the format maps it read page by page', async () => {
    // 4 MiB a read: over 2048 pages of 4096 bytes take two reads and part of a third
    const big = box.path('blocks.db')
    sqlite3(big, `PRAGMA page_size=4096; CREATE TABLE b(id INTEGER PRIMARY KEY, v BLOB); CREATE INDEX b_v ON b(v);
      WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 36000) INSERT INTO b SELECT i, randomblob(CASE WHEN i % 400 = 0 THEN 9000 ELSE 100 END) FROM s;`)
    const {read, npages, bytes} = fileReader(big, 4096)
    assert.ok(npages > 2 * 1024, `${npages} pages`)
    const info = detectFormat(bytes.subarray(0, DETECT_HEAD_BYTES), bytes.length)!
    const r = await box.run(['map', '--file', big, '--json'])
    assert.equal(r.status, 0, r.stderr)
    const doc = JSON.parse(r.stdout) as MapJson
    assert.deepEqual(doc, formatNamed('sqlite')!.map(read, npages, info))
  })

  it('gets a page by its SQLite number and decodes the rows sqlite3 has in it', async () => {
    const map = await json<MapJson>(['map', '--file', db])
    const leaf = map.pages.find((e) => e.owner === 'w' && e.kind === 'index-leaf')!
    const d = await json<DecodedJson>(['get', '--page', String(leaf.page), '--decode', '--key', 's1k'])
    assert.deepEqual([d.format, d.page, d.pgno, d.kind, d.owner], ['sqlite', leaf.page, leaf.pgno, 'index-leaf', 'w'])
    const keys = d.items.map((item) => item.fields.find((f) => f.name === 'k')!.value)
    const want = sqliteJson<{k: string}>(db, 'SELECT k FROM w ORDER BY k').map((r) => r.k)
    assert.ok(keys.length > 1)
    assert.deepEqual(keys, want.slice(want.indexOf(keys[0] as string), want.indexOf(keys[0] as string) + keys.length))
    const text = (await box.run(['put', String(leaf.pgno), '--key', 's1k'])).stdout
    assert.match(text, /unpinned/)
    const plain = await box.run(['get', '--page', String(leaf.page), '--key', 's1k'])
    assert.match(plain.stdout, new RegExp(`^pgno ${leaf.pgno} = SQLite page ${leaf.page} at offset ${leaf.pgno * 1024} `))
    assert.equal((await box.run(['put', String(leaf.pgno), '--key', 's1k'])).status, 0)
  })

  it('names the column a put changed with dump --decode --diff, and sqlite3 reads it after sync, integrity_check ok', async () => {
    // body (the record's third value) is a blob no index covers, so changing its bytes keeps the database sound.
    const [{id}] = sqliteJson<{id: number}>(db, 'SELECT id FROM t WHERE length(body) BETWEEN 8 AND 60 AND id % 17 != 0 ORDER BY id LIMIT 1')
    const map = await json<MapJson>(['map', '--file', db])
    let found: {pgno: number; cell: number; field: {offset: number; value: unknown}} | null = null
    for (const leaf of map.pages.filter((e) => e.owner === 't' && e.kind === 'table-leaf')) {
      const d = await json<DecodedJson>(['dump', String(leaf.pgno), '--decode', '--key', 's1k'])
      const cell = d.items.find((item) => item.fields.some((f) => f.name === 'rowid' && f.value === id))
      if (cell !== undefined) found = {pgno: leaf.pgno, cell: cell.index, field: cell.fields.find((f) => f.name === 'body')!}
    }
    assert.ok(found, `row ${id} is on a leaf of t`)
    const pgno = String(found.pgno)
    assert.equal((await box.run(['get', pgno, '--key', 's1k'])).status, 0)
    const put = await box.run(['put', pgno, '--offset', String(found.field.offset - found.pgno * 1024), '--hex', 'de ad be ef', '--key', 's1k'])
    assert.equal(put.status, 0, put.stderr)
    const diff = await json<DecodedJson>(['dump', pgno, '--decode', '--diff', '--key', 's1k'])
    const was = String(found.field.value)
    assert.deepEqual(diff.changes, [{name: `cell ${found.cell} body`, offset: found.field.offset, length: (was.length - 3) / 2, from: was, to: `x'deadbeef${was.slice(10)}`}])
    const text = (await box.run(['dump', pgno, '--decode', '--diff', '--key', 's1k'])).stdout
    assert.match(text, new RegExp(`^1 field differs from the file:\n  0x${found.field.offset.toString(16)}  cell ${found.cell} body: "x'[0-9a-f]+'" -> "x'deadbeef[0-9a-f]*'"$`, 'm'))
    assert.equal((await box.run(['sync', '--key', 's1k'])).status, 0)
    const [{body}] = sqliteJson<{body: string}>(db, `SELECT hex(body) AS body FROM t WHERE id = ${id}`)
    assert.match(body, /^DEADBEEF/)
    assert.equal(sqlite3(db, 'PRAGMA integrity_check;').trim(), 'ok')
    assert.deepEqual(await json<{changes: unknown[]}>(['dump', pgno, '--decode', '--diff', '--key', 's1k']).then((d) => d.changes), [])
  })

  it('decodes a page of a file with no pool, by its SQLite number', async () => {
    const r = await box.run(['dump', '--page', '1', '--file', db, '--decode'])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^pgno 0 = SQLite page 1 at offset 0 \(0x0\): read from \S+, no pool\npgno 0 = SQLite page 1: table-leaf of sqlite_schema\n/)
    assert.match(r.stdout, /^ +0x10 +04 00 +page size +1024 +1024 bytes$/m)
    assert.match(r.stdout, /^ +0x1c +00 00 00 \w\w +database size in pages +\d+$/m)
    const summary = await box.run(['dump', '--file', db])
    assert.match(summary.stdout, /, a SQLite file, \d+ pages of 1024 bytes \(pagesize from the SQLite header\); give a page number to see one$/m)
  })

  it('runs a REPL script over a SQLite file at its own page size, with the pages named and decoded', async () => {
    const copy = box.path('repl.db') // a private pool over a file of its own (s1k.db is in a pool)
    fs.copyFileSync(db, copy)
    const r = await box.run(['repl', copy], {input: 'stats\nget --page 2 --decode\nput 1\nmap\n'})
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^format +sqlite$/m)
    assert.match(r.stdout, /^pagesize +1024$/m)
    assert.match(r.stdout, /^pgno 1 = SQLite page 2 at offset 1024 \(0x400\): frame \d+, pins 1, clean$/m)
    assert.match(r.stdout, /^pgno 1 = SQLite page 2: table-interior of t$/m)
    assert.match(r.stdout, /^SQLite page +pgno +kind +owner +cells +free$/m)
  })
})
