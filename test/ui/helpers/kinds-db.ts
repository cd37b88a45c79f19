/*
 * kinds-db -- the REPL's SQLite test database, made by the sqlite3 CLI, and what sqlite3's own
 * dbstat says each of its pages is: the oracle for the grid's labels.
 */
import {sqlite3, sqliteJson} from '../../helpers/sqlite3.js'

export const KINDS_PAGESIZE = 1024
/** a 1 KiB-page database: a rowid table `t` deep enough for an interior root, and its index `ix` */
export function kindsDatabase(file: string): void {
  sqlite3(
    file,
    `PRAGMA page_size=${KINDS_PAGESIZE};
     CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
     CREATE INDEX ix ON t(v);
     WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300)
       INSERT INTO t SELECT i, printf('value %050d', i) FROM s;`,
  )
}

/** what sqlite3's dbstat says page `page` (SQLite's number) is: its owner and the map's kind name */
export function dbstatKind(file: string, page: number): {owner: string; kind: string} {
  const [row] = sqliteJson<{name: string; pagetype: string}>(file, `SELECT name, pagetype FROM dbstat WHERE pageno = ${page}`)
  const tree = sqliteJson<{type: string}>(file, `SELECT type FROM sqlite_schema WHERE name = '${row!.name}'`)[0]?.type ?? 'table'
  return {owner: row!.name, kind: `${tree === 'index' ? 'index' : 'table'}-${row!.pagetype === 'internal' ? 'interior' : 'leaf'}`}
}

