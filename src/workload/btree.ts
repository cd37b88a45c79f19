/**
 * btree -- the page accesses real queries make on a SQLite database's real b-trees.
 *
 * The b-trees are read with the SQLite decoder (src/formats/sqlite: schemaOf, descend, btreeAt,
 * overflowChain); the queries are made up from the rows the file really holds, deterministic
 * from a seed. Each query touches pages as SQLite's cursor does, each page once per time the
 * cursor moves onto it (SQLite keeps the pages of its path pinned while it is on them):
 *
 *   point   by rowid: root -> interior pages -> the leaf holding the row, then the row's
 *           overflow chain (the whole row is read). With an index: the index's root -> ...
 *           -> the entry (and its overflow), then the table lookup by the rowid it holds.
 *   range   `range` rows in key order from a key drawn as for point: the descent to the first,
 *           then each interior page the cursor enters and each next leaf, and every row's
 *           overflow chain. With an index: the entries in index order, each followed by its
 *           table lookup (what SELECT * ... WHERE col BETWEEN a AND b does without a covering
 *           index).
 *   scan    a full table scan: root, then depth first, every page on first entry, the leaves
 *           in key order, each row's overflow chain after its leaf (SELECT * FROM t). This is
 *           dbstat's order of the table's pages (ORDER BY path), which the tests check.
 *   mix     each query one of the above, drawn by weight (default point 90, range 9, scan 1)
 *
 * Keys are drawn uniformly from the rows (or index entries), or by Zipf (s = 1) over a seeded
 * shuffle of them, so the popular keys are scattered over the leaves, not packed in one.
 *
 * Policy, each in a sentence:
 *  - Page numbers in the trace are mpool's (SQLite page - 1), so the trace replays against a
 *    pool on the same file; SQLite's numbers are kept in each query's record for people.
 *  - A table is named by --table (or is the only one the file has); an index must be on it.
 *  - A WITHOUT ROWID table, an empty table, or a name that is not in the schema is refused
 *    in one sentence naming what there is.
 */
import {MPoolError} from '../pool/index.js'
import {btreeAt, descend, overflowChain, scanRows, schemaOf, type SqliteFile, type SqlValue} from '../formats/sqlite/index.js'
import {permutation, Zipf} from './generators.js'
import {Xoshiro128} from './prng.js'
import type {Trace} from './trace.js'

export type BtreeQueryKind = 'point' | 'range' | 'scan'

/** The documented --query kinds. */
export const BTREE_QUERIES = ['point', 'range', 'scan', 'mix'] as const
export type BtreeQueryChoice = (typeof BTREE_QUERIES)[number]

/** The default weights of `mix`. */
export const DEFAULT_MIX: Readonly<Record<BtreeQueryKind, number>> = {point: 90, range: 9, scan: 1}

export interface BtreeTraceOptions {
  /** the table (default: the only table the file has) */
  table?: string
  /** an index on the table: point and range queries go through it */
  index?: string
  /** the kind of query (default point) */
  query?: BtreeQueryChoice
  /** mix: the weight of each kind (default DEFAULT_MIX) */
  mix?: Partial<Record<BtreeQueryKind, number>>
  /** how keys are drawn (default uniform) */
  keys?: 'uniform' | 'zipf'
  /** queries made (default 1000) */
  queries?: number
  /** rows a range query reads (default 20) */
  range?: number
  /** seed (default 1) */
  seed?: number
}

/** One query made: what it looked for and the SQLite pages it touched, in order. */
export interface BtreeQuery {
  kind: BtreeQueryKind
  /** point and range: the rowid (table) or the index key values the query started at */
  key: number | bigint | SqlValue[] | null
  /** SQLite page numbers, in the order touched */
  pages: number[]
  /** point by rowid: the table page the row was found on (before its overflow pages) */
  leaf: number | null
}

/** A generated b-tree trace: the trace itself (mpool pgnos) and the queries behind it. */
export interface BtreeTrace {
  trace: Trace
  queries: BtreeQuery[]
  table: string
  index: string | null
  /** root pages (SQLite numbers) */
  tableRoot: number
  indexRoot: number | null
}

/** A b-tree walked in key order: every page touched, and after which event each entry ends. */
interface OrderedTree {
  /** SQLite pages in the order a full scan touches them */
  pages: number[]
  /** for entry i (in key order): pages[0..end[i]) is the scan up to and including entry i */
  end: number[]
  /** entry i's key: its rowid (table) or its values (index) */
  keys: (number | bigint | SqlValue[])[]
  /** entry i's lookup: the pages from the root down to the page holding it, then its overflow chain */
  paths: number[][]
  /** the page holding entry i (a leaf, or an index interior page) */
  holders: number[]
}

/**
 * ordered -- a full scan of the b-tree rooted at `root`: each page on first entry, depth first;
 * on a leaf, each cell in order with its overflow pages; on an index interior page, each cell
 * after its left subtree (an index interior cell is an entry too).
 */
function ordered(file: SqliteFile, root: number, isIndex: boolean): OrderedTree {
  const pages: number[] = []
  const end: number[] = []
  const keys: (number | bigint | SqlValue[])[] = []
  const paths: number[][] = []
  const holders: number[] = []
  const seen = new Set<number>()
  const rows = scanRows(file, root) // the keys, in the same in-order (the decoder's own walk)
  const stack: number[] = [] // the pages from the root to the one being walked: a lookup's path
  let entry = 0
  const visitEntry = (overflow: number[]): void => {
    pages.push(...overflow)
    end.push(pages.length)
    paths.push([...stack, ...overflow])
    holders.push(stack[stack.length - 1])
    const row = rows[entry++]
    keys.push(isIndex ? row.values : row.rowid!)
  }
  const walk = (page: number, depth: number): void => {
    if (seen.has(page) || depth > file.npages) return
    seen.add(page)
    const tree = btreeAt(file, page)
    if (tree === null) return
    pages.push(page)
    stack.push(page)
    if (tree.isLeaf) {
      for (const cell of tree.cells) visitEntry(overflowChain(file, cell).pages)
    } else {
      for (const cell of tree.cells) {
        if (cell.leftChild !== null) walk(cell.leftChild, depth + 1)
        if (isIndex) visitEntry(overflowChain(file, cell).pages)
      }
      if (tree.rightChild !== null) walk(tree.rightChild, depth + 1)
    }
    stack.pop()
  }
  walk(root, 0)
  if (entry !== rows.length) throw new MPoolError('EFTYPE', `the b-tree at page ${root} did not walk to the same ${rows.length} entries twice: is the file damaged?`)
  return {pages, end, keys, paths, holders}
}

function rootOf(entries: ReturnType<typeof schemaOf>, type: 'table' | 'index', name: string): {rootpage: number; tblName: string} | undefined {
  return entries.find((e) => e.type === type && e.name === name)
}

/** btreeTrace -- the queries of `options` on `file`'s b-trees, as a trace (see the header). */
export function btreeTrace(file: SqliteFile, options: BtreeTraceOptions = {}): BtreeTrace {
  const schema = schemaOf(file)
  const tables = schema.filter((e) => e.type === 'table' && !e.name.startsWith('sqlite_'))
  if (tables.length === 0) throw new MPoolError('EINVAL', 'the database has no tables to query')
  let tableName = options.table
  if (tableName === undefined) {
    if (tables.length > 1) throw new MPoolError('EINVAL', `the database has ${tables.length} tables (${tables.map((t) => t.name).join(', ')}): name one with --table`)
    tableName = tables[0].name
  }
  const table = rootOf(schema, 'table', tableName)
  if (table === undefined) throw new MPoolError('EINVAL', `no table ${JSON.stringify(tableName)} in the database; its tables: ${tables.map((t) => t.name).join(', ')}`)
  const rootTree = btreeAt(file, table.rootpage)
  if (rootTree === null || !rootTree.isTable) throw new MPoolError('EINVAL', `table ${tableName} is a WITHOUT ROWID table (an index b-tree); only rowid tables can be queried`)
  let indexRoot: number | null = null
  if (options.index !== undefined) {
    const index = rootOf(schema, 'index', options.index)
    const onTable = schema.filter((e) => e.type === 'index' && e.tblName === tableName).map((e) => e.name)
    if (index === undefined || index.tblName !== tableName) {
      throw new MPoolError('EINVAL', `no index ${JSON.stringify(options.index)} on table ${tableName}; its indexes: ${onTable.length === 0 ? 'none' : onTable.join(', ')}`)
    }
    indexRoot = index.rootpage
  }
  const queries = options.queries ?? 1000
  const range = options.range ?? 20
  if (!Number.isInteger(queries) || queries < 1) throw new MPoolError('EINVAL', `queries must be a whole number of at least 1, not ${queries}`)
  if (!Number.isInteger(range) || range < 1) throw new MPoolError('EINVAL', `range must be a whole number of rows, at least 1, not ${range}`)
  const kind = options.query ?? 'point'
  const weights = kind === 'mix' ? {...DEFAULT_MIX, ...options.mix} : {point: 0, range: 0, scan: 0, [kind]: 1}
  const total = weights.point + weights.range + weights.scan
  if (!(total > 0)) throw new MPoolError('EINVAL', 'the mix needs a positive weight for at least one of point, range and scan')

  const rng = new Xoshiro128(options.seed ?? 1)
  const tableTree = ordered(file, table.rootpage, false)
  const indexTree = indexRoot === null ? null : ordered(file, indexRoot, true)
  const keyed = indexTree ?? tableTree // the tree whose entries the keys are drawn from
  const n = keyed.keys.length
  if (n === 0) throw new MPoolError('EINVAL', `table ${tableName} has no rows to look up`)
  const zipf = options.keys === 'zipf' ? new Zipf(n, 1) : null
  const shuffle = zipf === null ? null : permutation(n, rng)
  const draw = (): number => (zipf === null ? rng.below(n) : shuffle![zipf.draw(rng)])

  // A lookup's pages are the path the in-order walk took to the entry: the same pages SQLite's
  // descent (formats' descend: the first cell whose key is >= the key, at every interior page)
  // reads, found without decoding a key per cell at every query (the tests check they agree).
  const entryOfRowid = new Map<number | bigint, number>()
  tableTree.keys.forEach((rowid, i) => entryOfRowid.set(rowid as number | bigint, i))
  /** tableLookup -- the pages of a lookup of `rowid` in the table, and the leaf it ended on. */
  const tableLookup = (rowid: number | bigint): {pages: number[]; leaf: number | null} => {
    const i = entryOfRowid.get(rowid)
    if (i === undefined) {
      const d = descend(file, table.rootpage, rowid) // an index entry whose row is gone: SQLite looks anyway
      return {pages: d.pages, leaf: d.found?.page ?? null}
    }
    return {pages: tableTree.paths[i], leaf: tableTree.holders[i]}
  }
  const rowidOfEntry = (values: SqlValue[]): number | bigint => values[values.length - 1] as number | bigint

  const out: BtreeQuery[] = []
  const pgnos: number[] = []
  for (let q = 0; q < queries; q++) {
    const u = rng.next() * total
    const k: BtreeQueryKind = u < weights.point ? 'point' : u < weights.point + weights.range ? 'range' : 'scan'
    let query: BtreeQuery
    if (k === 'scan') {
      query = {kind: 'scan', key: null, pages: tableTree.pages, leaf: null}
    } else {
      const at = draw()
      const start = keyed.keys[at]
      if (k === 'point') {
        if (indexTree === null) {
          query = {kind: 'point', key: start, pages: tableTree.paths[at], leaf: tableTree.holders[at]}
        } else {
          const key = (start as SqlValue[]).slice(0, -1)
          const pages = indexTree.paths[at]
          const t = tableLookup(rowidOfEntry(start as SqlValue[]))
          query = {kind: 'point', key, pages: [...pages, ...t.pages], leaf: t.leaf}
        }
      } else {
        const last = Math.min(n, at + range) - 1
        const pages = [...keyed.paths[at]]
        if (indexTree === null) {
          pages.push(...tableTree.pages.slice(tableTree.end[at], tableTree.end[last]))
        } else {
          pages.push(...tableLookup(rowidOfEntry(start as SqlValue[])).pages)
          for (let e = at + 1; e <= last; e++) {
            pages.push(...indexTree.pages.slice(indexTree.end[e - 1], indexTree.end[e]))
            pages.push(...tableLookup(rowidOfEntry(indexTree.keys[e] as SqlValue[])).pages)
          }
        }
        query = {kind: 'range', key: indexTree === null ? start : (start as SqlValue[]).slice(0, -1), pages, leaf: null}
      }
    }
    out.push(query)
    for (const page of query.pages) pgnos.push(page - 1)
  }
  return {
    trace: {pgnos: Uint32Array.from(pgnos), dirty: new Uint8Array(pgnos.length)},
    queries: out,
    table: tableName,
    index: options.index ?? null,
    tableRoot: table.rootpage,
    indexRoot,
  }
}
