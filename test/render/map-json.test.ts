/*
 * map --json's layout (render/map-json.ts): one page a line, each line the JSON.stringify of its
 * entry, the same text whether the map is kept as columns (SQLite, from a database sqlite3 made)
 * or as entries, names escaped as JSON escapes them, problems and --explain's phrases after.
 */
import assert from 'node:assert/strict'
import {DETECT_HEAD_BYTES, detectFormat, formatNamed, type PageMap} from '../../src/formats/index.js'
import {mapJson} from '../../src/render/map-json.js'
import {fileReader, sqlite3} from '../helpers/sqlite3.js'
import {TmpDir} from '../helpers/tmp.js'

/** The map of a database sqlite3 makes by `sql`, at 1024-byte pages. */
function sqliteMap(tmp: TmpDir, name: string, sql: string): PageMap {
  const file = tmp.path(name)
  sqlite3(file, `PRAGMA page_size=1024; ${sql}`)
  const {read, npages, bytes} = fileReader(file, 1024)
  const info = detectFormat(bytes.subarray(0, DETECT_HEAD_BYTES), bytes.length)!
  return formatNamed('sqlite')!.map(read, npages, info)
}

/** entriesOnly -- the same map as plain entries, no columns: what the other formats give. */
function entriesOnly(map: PageMap): PageMap {
  return {format: map.format, pagesize: map.pagesize, pages: map.pages.map((e) => ({...e})), problems: map.problems}
}

const text = (map: PageMap, explain?: string[]): string => Buffer.concat(mapJson(map, explain)).toString()

describe('map --json', () => {
  const tmp = new TmpDir('mpool-map-json-')
  after(() => tmp.cleanup())
  // a table and an index whose names need escaping (a quote, a backslash, a tab, a non-ASCII letter)
  const odd = 'q"uo\\te\tü'
  const quoted = `"${odd.replace(/"/g, '""')}"`
  const map = sqliteMap(
    tmp,
    'odd.db',
    `CREATE TABLE ${quoted}(id INTEGER PRIMARY KEY, v BLOB); CREATE INDEX "i ${odd.replace(/"/g, '""')}" ON ${quoted}(v);
     WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300) INSERT INTO ${quoted} SELECT i, randomblob(CASE WHEN i % 50 = 0 THEN 3000 ELSE 40 END) FROM s;
     DELETE FROM ${quoted} WHERE id % 3 = 0;`,
  )

  it('writes one page a line, each its entry as JSON.stringify writes it, and parses back to the map', () => {
    assert.ok(map.columns !== undefined, 'the SQLite map is kept as columns')
    assert.ok(map.pages.some((e) => e.owner === odd) && map.pages.some((e) => e.kind === 'overflow') && map.pages.some((e) => e.kind === 'freelist-leaf'))
    const lines = text(map).split('\n')
    assert.equal(lines[0], '{"format":"sqlite","pagesize":1024,"pages":[')
    assert.deepEqual(lines.slice(1, -1), map.pages.map((e, i) => `${JSON.stringify(e)}${i === map.pages.length - 1 ? '' : ','}`))
    assert.equal(lines.at(-1), '],"problems":[]}')
    assert.deepEqual(JSON.parse(text(map)), JSON.parse(JSON.stringify(map)))
  })

  it('gives the same text for the same map kept as entries (the other formats), with problems one a line and explain last', () => {
    const problems = [{offset: 1024, message: 'page 2 is reached again from "x"'}, {offset: null, message: 'a pointer past the end'}]
    const withProblems = {...entriesOnly(map), problems}
    assert.equal(text(entriesOnly(map)), text(map))
    const columns = Object.defineProperty({...map, problems}, 'columns', {enumerable: false, value: map.columns})
    assert.equal(text(columns), text(withProblems))
    const lines = text(withProblems, ['read 9 pages']).split('\n')
    assert.deepEqual(lines.slice(map.pages.length + 1), ['],"problems":[', JSON.stringify(problems[0]) + ',', JSON.stringify(problems[1]), '],"explain":["read 9 pages"]}'])
    assert.deepEqual(JSON.parse(lines.join('\n')), {...JSON.parse(JSON.stringify(withProblems)), explain: ['read 9 pages']})
  })

  it('writes an empty map as an empty array', () => {
    const empty: PageMap = {format: 'postgresql', pagesize: 8192, pages: [], problems: []}
    assert.equal(text(empty), '{"format":"postgresql","pagesize":8192,"pages":[],"problems":[]}')
  })
})
