/**
 * columns -- the names of the values in the records of one b-tree, from its row of sqlite_schema,
 * in the order the record stores them (SQLite's sqlite3TableColumnToStorage and its index
 * builder, checked against PRAGMA table_xinfo and index_xinfo):
 *
 *   rowid table          every column in declaration order, less VIRTUAL generated ones (they
 *                        are computed, not stored); an INTEGER PRIMARY KEY is stored as NULL,
 *                        since its value is the cell's rowid
 *   WITHOUT ROWID table  the PRIMARY KEY's columns in key order, then the others as declared
 *   index                the indexed columns (names, or expressions as written), then the
 *                        `rowid`, or for an index of a WITHOUT ROWID table its key columns that
 *                        the index does not have already
 *   autoindex            (sqlite_autoindex_T_N, no SQL) the N-th UNIQUE or PRIMARY KEY of T, as
 *                        an index
 *
 * Policy: a statement this reader cannot follow gives null, and the decoder falls back to
 * `column N`; so does a record with more values than names (a column added later has fewer).
 */
import {parseCreateIndex, parseCreateTable, type TableSchema} from './schema-sql.js'
import type {SchemaEntry} from './walk.js'

/** The names of a b-tree's record values, and which one is the rowid's alias (stored as NULL). */
export interface RecordNames {
  names: string[]
  /** index into names of the INTEGER PRIMARY KEY column, or null */
  rowidAlias: number | null
}

/** sqlite_schema's own row: page 1 is its root, and SQLite documents its columns so. */
export const SCHEMA_ENTRY: SchemaEntry = {
  type: 'table',
  name: 'sqlite_schema',
  tblName: 'sqlite_schema',
  rootpage: 1,
  sql: 'CREATE TABLE sqlite_schema(type text, name text, tbl_name text, rootpage integer, sql text)',
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/** tableStorage -- a table's stored columns in record order. */
function tableStorage(t: TableSchema): RecordNames {
  const stored = t.columns.filter((c) => !c.virtual).map((c) => c.name)
  if (!t.withoutRowid) {
    const alias = t.rowidAlias === null ? -1 : stored.findIndex((n) => same(n, t.rowidAlias!))
    return {names: stored, rowidAlias: alias < 0 ? null : alias}
  }
  const key = t.primaryKey.map((k) => stored.find((n) => same(n, k)) ?? k)
  return {names: [...key, ...stored.filter((n) => !key.some((k) => same(k, n)))], rowidAlias: null}
}

/** autoindexColumns -- the columns of sqlite_autoindex_T_N: T's N-th UNIQUE or PRIMARY KEY, a repeated one made no index. */
function autoindexColumns(name: string, t: TableSchema): string[] | null {
  const n = /_(\d+)$/.exec(name)
  if (n === null) return null
  const made: string[][] = []
  for (const cols of t.uniques) {
    if (t.rowidAlias !== null && cols.length === 1 && same(cols[0]!, t.rowidAlias)) continue // the rowid itself: no index
    if (made.some((m) => m.length === cols.length && m.every((c, i) => same(c, cols[i]!)))) continue
    made.push(cols)
  }
  return made[Number(n[1]) - 1] ?? null
}

/** recordNames -- the names of the values in `entry`'s b-tree records, or null when its schema cannot say. */
export function recordNames(schema: readonly SchemaEntry[], entry: SchemaEntry): RecordNames | null {
  if (entry.type === 'table') {
    const t = entry.sql === null ? null : parseCreateTable(entry.sql)
    return t === null ? null : tableStorage(t)
  }
  if (entry.type !== 'index') return null
  const owner = schema.find((s) => s.type === 'table' && same(s.name, entry.tblName))
  const t = owner?.sql == null ? null : parseCreateTable(owner.sql)
  if (t === null) return null
  const indexed = entry.sql === null ? autoindexColumns(entry.name, t) : parseCreateIndex(entry.sql)
  if (indexed === null) return null
  if (!t.withoutRowid) return {names: [...indexed, 'rowid'], rowidAlias: null}
  return {names: [...indexed, ...t.primaryKey.filter((k) => !indexed.some((c) => same(c, k)))], rowidAlias: null}
}
