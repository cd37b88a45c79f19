/*
 * sqlite3 -- databases made by the real sqlite3 CLI, and its answers, for the formats tests.
 *
 * The CLI must be installed (.ci/run installs Debian's sqlite3): a missing tool fails the test
 * with a message that says to install it, never skips it.
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'

/** sqlite3 -- run SQL on a database file with the sqlite3 CLI; its stdout. */
export function sqlite3(file: string, sql: string, args: string[] = []): string {
  try {
    return execFileSync('sqlite3', [...args, file], {input: sql, encoding: 'utf8', maxBuffer: 1 << 28})
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('the sqlite3 CLI is not installed (apt-get install sqlite3): these tests need it')
    throw err
  }
}

/** sqliteJson -- the rows of a query as sqlite3 -json prints them ([] for no rows). */
export function sqliteJson<T = Record<string, unknown>>(file: string, sql: string): T[] {
  const out = sqlite3(file, sql, ['-json']).trim()
  return out === '' ? [] : (JSON.parse(out) as T[])
}

/** A page reader over a whole file read once, by mpool pgno. */
export function fileReader(file: string, pagesize: number): {read: (pgno: number) => Buffer; npages: number; bytes: Buffer} {
  const bytes = fs.readFileSync(file)
  return {bytes, npages: Math.floor(bytes.length / pagesize), read: (pgno) => bytes.subarray(pgno * pagesize, (pgno + 1) * pagesize)}
}

/**
 * makeDatabase -- the test database at one page size: a rowid table with rows that overflow and
 * two indexes on it, a WITHOUT ROWID table, deletes that leave a freelist; `autoVacuum` makes it
 * auto_vacuum=full (pointer-map pages).
 */
export function makeDatabase(file: string, pagesize: number, options: {autoVacuum?: boolean; rows?: number} = {}): void {
  const rows = options.rows ?? 400
  sqlite3(
    file,
    `PRAGMA page_size=${pagesize};
     PRAGMA auto_vacuum=${options.autoVacuum === true ? 'FULL' : 'NONE'};
     CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, body BLOB, score REAL, n INTEGER);
     CREATE INDEX t_name ON t(name);
     CREATE INDEX t_score_n ON t(score, n);
     CREATE TABLE w(k TEXT PRIMARY KEY, v INTEGER, note TEXT) WITHOUT ROWID;
     BEGIN;
     WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${rows})
       INSERT INTO t SELECT i, 'name ' || i || ' ' || substr(hex(zeroblob(i % 40)), 1, i % 70),
         CASE WHEN i % 17 = 0 THEN zeroblob(${pagesize} * 3 + i) ELSE randomblob(i % 90) END,
         i * 1.5, CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN i * 1000003 WHEN 2 THEN -i ELSE 9007199254740993 + i END
       FROM s;
     INSERT INTO w SELECT 'key ' || id, id, CASE WHEN id % 23 = 0 THEN printf('%.*c', ${pagesize} * 2, 'x') ELSE 'note' END FROM t;
     COMMIT;
     DELETE FROM t WHERE id % 5 = 0;
     DELETE FROM w WHERE v % 7 = 0;`,
  )
}
