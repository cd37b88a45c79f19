/**
 * walk -- SQLite's b-trees followed across pages: a cell's whole payload through its overflow
 * chain, the schema table, a descent from a root to the page that holds a key, and a scan of the
 * leaves in key order. The map builds on it, and so does `trace gen btree` (exported for it).
 *
 * Policy, each in a sentence:
 *  - Pages here are SQLite's own numbers (1..); the reader underneath takes mpool's pgno
 *    (page - 1), and only pages 1..npages are ever read: a pointer outside is a problem.
 *  - Nothing loops: an overflow chain stops at its computed length or at a page seen before; a
 *    descent is at most as deep as there are pages; a scan visits each page once.
 *  - Keys compare as SQLite's BINARY collation does: NULL < numbers (integers and reals by value)
 *    < text (memcmp of its bytes in the database's encoding: UTF-8, UTF-16le or UTF-16be order
 *    text differently) < blob (memcmp); a shorter key that is a prefix compares equal
 *    (an index lookup names only the indexed columns, not the rowid after them).
 */

import type {PageReader} from '../types.js'
import {u32} from './bytes.js'
import {parseBtreePage, PAGE_TYPE, type BtreePage, type Cell} from './btree.js'
import type {SqliteFacts} from './header.js'
import {decodeRecord, type SqlValue} from './record.js'

/** A SQLite file as the walker reads it: pages by SQLite number, and the header's facts. */
export interface SqliteFile {
  read: PageReader
  npages: number
  facts: SqliteFacts
}

/** page -- SQLite page `page` (1-based), or null when it is outside the file. */
export function readPage(file: SqliteFile, page: number): Buffer | null {
  if (!Number.isInteger(page) || page < 1 || page > file.npages) return null
  return Buffer.from(file.read(page - 1)) // a copy: the reader may reuse its buffer (types.ts)
}

/** btreeAt -- SQLite page `page` parsed as a b-tree page, or null outside the file. */
export function btreeAt(file: SqliteFile, page: number): BtreePage | null {
  const buf = readPage(file, page)
  return buf === null ? null : parseBtreePage(buf, page - 1, file.facts.usable)
}

/** overflowChain -- the overflow pages of a cell, in order, and what went wrong following them. */
export function overflowChain(file: SqliteFile, cell: Cell): {pages: number[]; lastUsed: number; problems: string[]} {
  const pages: number[] = []
  const problems: string[] = []
  const P = cell.payloadSize ?? 0
  const perPage = file.facts.usable - 4
  const rest = P - cell.local
  if (rest <= 0 || cell.overflowPage === 0) return {pages, lastUsed: 0, problems}
  const expected = Math.ceil(rest / perPage)
  const seen = new Set<number>()
  let next = cell.overflowPage
  while (pages.length < expected) {
    if (next === 0) {
      problems.push(`overflow chain ends after ${pages.length} of ${expected} pages`)
      break
    }
    if (seen.has(next)) {
      problems.push(`overflow chain loops back to page ${next}`)
      break
    }
    const buf = readPage(file, next)
    if (buf === null) {
      problems.push(`overflow page ${next} is past the end of the file`)
      break
    }
    seen.add(next)
    pages.push(next)
    next = u32(buf, 0) ?? 0
  }
  const lastUsed = rest - (expected - 1) * perPage
  return {pages, lastUsed, problems}
}

/** payloadOf -- a cell's whole payload: its local part and its overflow pages, joined. */
export function payloadOf(file: SqliteFile, page: Buffer, cell: Cell): Buffer {
  const local = page.subarray(cell.payloadOffset, cell.payloadOffset + cell.local)
  const P = cell.payloadSize ?? 0
  if (cell.local >= P) return local
  const parts: Buffer[] = [local]
  let have = cell.local
  const perPage = file.facts.usable - 4
  for (const pg of overflowChain(file, cell).pages) {
    const buf = readPage(file, pg)!
    const take = Math.min(perPage, P - have)
    parts.push(buf.subarray(4, 4 + take))
    have += take
  }
  return Buffer.concat(parts)
}

/** valuesOf -- the column values of a cell's record, the overflow chain followed. */
export function valuesOf(file: SqliteFile, page: Buffer, cell: Cell): SqlValue[] {
  const payload = payloadOf(file, page, cell)
  return decodeRecord(payload, 0, payload.length, file.facts.encoding).columns.map((c) => c.value)
}

/** One row of sqlite_schema. */
export interface SchemaEntry {
  type: string
  name: string
  tblName: string
  rootpage: number
  sql: string | null
}

/** schemaOf -- every row of sqlite_schema (the table b-tree rooted at page 1). */
export function schemaOf(file: SqliteFile): SchemaEntry[] {
  return scanRows(file, 1).map(({values}) => ({
    type: String(values[0] ?? ''),
    name: String(values[1] ?? ''),
    tblName: String(values[2] ?? ''),
    rootpage: typeof values[3] === 'number' ? values[3] : 0,
    sql: typeof values[4] === 'string' ? values[4] : null,
  }))
}

/** A row or index entry of a b-tree scan: where it is, its rowid (table b-trees) and its values. */
export interface ScanRow {
  page: number
  cell: number
  rowid: number | bigint | null
  values: SqlValue[]
}

/**
 * leafPages -- the leaf pages of the b-tree rooted at `root`, in key order, and, for an index
 * b-tree, where each interior entry falls between them (SQLite's in-order traversal).
 */
function inOrder(file: SqliteFile, root: number, visit: (page: number, tree: BtreePage, buf: Buffer, cell: Cell | null) => void): void {
  const seen = new Set<number>()
  const walk = (page: number, depth: number): void => {
    if (seen.has(page) || depth > file.npages) return
    seen.add(page)
    const buf = readPage(file, page)
    if (buf === null) return
    const tree = parseBtreePage(buf, page - 1, file.facts.usable)
    if (tree.isLeaf) {
      visit(page, tree, buf, null)
      for (const cell of tree.cells) visit(page, tree, buf, cell)
      return
    }
    if (tree.type !== PAGE_TYPE.indexInterior && tree.type !== PAGE_TYPE.tableInterior) return
    for (const cell of tree.cells) {
      if (cell.leftChild !== null) walk(cell.leftChild, depth + 1)
      if (tree.type === PAGE_TYPE.indexInterior) visit(page, tree, buf, cell)
    }
    if (tree.rightChild !== null) walk(tree.rightChild, depth + 1)
  }
  walk(root, 0)
}

/** leafScan -- the leaf pages of the b-tree rooted at `root`, in key order (a full scan's order). */
export function leafScan(file: SqliteFile, root: number): number[] {
  const leaves: number[] = []
  inOrder(file, root, (page, _tree, _buf, cell) => {
    if (cell === null) leaves.push(page)
  })
  return leaves
}

/** scanRows -- every row (table b-tree) or entry (index b-tree) in key order, values decoded. */
export function scanRows(file: SqliteFile, root: number): ScanRow[] {
  const rows: ScanRow[] = []
  inOrder(file, root, (page, tree, buf, cell) => {
    if (cell === null) return
    const rowid = tree.isTable && cell.rowid !== null ? (cell.rowid.big ?? cell.rowid.value) : null
    rows.push({page, cell: cell.index, rowid, values: valuesOf(file, buf, cell)})
  })
  return rows
}

/** The key a descent looks for: a rowid in a table b-tree, the leading column values in an index. */
export type BtreeKey = number | bigint | SqlValue[]

/** The pages a lookup touches, root first, and where the key was found. */
export interface Descent {
  /** b-tree pages from the root down, then the overflow pages of the cell found */
  pages: number[]
  /** the page and cell that hold the key, or null when it is not in the tree */
  found: {page: number; cell: number} | null
}

function classOf(v: SqlValue): number {
  if (v === null) return 0
  if (typeof v === 'number' || typeof v === 'bigint') return 1
  if (typeof v === 'string') return 2
  return 3
}

/** textBytes -- text as the database stores it (encoding 1 UTF-8, 2 UTF-16le, 3 UTF-16be), for memcmp. */
function textBytes(text: string, encoding: number): Buffer {
  if (encoding === 1) return Buffer.from(text, 'utf8')
  const le = Buffer.from(text, 'utf16le')
  return encoding === 2 ? le : le.swap16()
}

/** compareValues -- SQLite's BINARY-collation order of two values, text in the database's `encoding` (1 UTF-8, 2 UTF-16le, 3 UTF-16be). */
export function compareValues(a: SqlValue, b: SqlValue, encoding = 1): number {
  const ca = classOf(a)
  const cb = classOf(b)
  if (ca !== cb) return ca - cb
  if (ca === 0) return 0
  if (ca === 1) {
    const x = a as number | bigint
    const y = b as number | bigint
    return x < y ? -1 : x > y ? 1 : 0
  }
  const x = typeof a === 'string' ? textBytes(a, encoding) : (a as Buffer)
  const y = typeof b === 'string' ? textBytes(b, encoding) : (b as Buffer)
  return Buffer.compare(x, y)
}

/** compareKey -- a search key against a record's values: prefix columns only. */
export function compareKey(key: SqlValue[], values: SqlValue[], encoding = 1): number {
  for (let i = 0; i < key.length && i < values.length; i++) {
    const c = compareValues(key[i]!, values[i]!, encoding)
    if (c !== 0) return c
  }
  return 0
}

/**
 * descend -- the pages a lookup of `key` reads in the b-tree rooted at `root`, as SQLite's
 * sqlite3BtreeTableMoveto / IndexMoveto: at each interior page, the first cell whose key is >= the
 * key names the child (a table cell's rowid bounds its left subtree from above, inclusive), else
 * the right-most child. An index interior cell equal to the key holds the entry itself.
 * `stopAt`: stop on reaching that page, unread (for a caller that asks only whether the lookup
 * passes through it: owner.ts).
 */
export function descend(file: SqliteFile, root: number, key: BtreeKey, stopAt?: number): Descent {
  const pages: number[] = []
  let page = root
  while (pages.length <= file.npages) {
    if (page === stopAt) return {pages: [...pages, page], found: null}
    const buf = readPage(file, page)
    if (buf === null || pages.includes(page)) return {pages, found: null}
    pages.push(page)
    const tree = parseBtreePage(buf, page - 1, file.facts.usable)
    const isIndex = tree.type === PAGE_TYPE.indexInterior || tree.type === PAGE_TYPE.indexLeaf
    let chosen: Cell | null = null
    let equal = false
    for (const cell of tree.cells) {
      const c = isIndex ? compareKey(key as SqlValue[], valuesOf(file, buf, cell), file.facts.encoding) : compareRowid(key as number | bigint, cell)
      if (c <= 0) {
        chosen = cell
        equal = c === 0
        break
      }
    }
    if (tree.isLeaf) {
      if (chosen === null || !equal) return {pages, found: null}
      pages.push(...overflowChain(file, chosen).pages)
      return {pages, found: {page, cell: chosen.index}}
    }
    if (tree.type !== PAGE_TYPE.indexInterior && tree.type !== PAGE_TYPE.tableInterior) return {pages, found: null}
    if (isIndex && chosen !== null && equal) {
      pages.push(...overflowChain(file, chosen).pages)
      return {pages, found: {page, cell: chosen.index}}
    }
    const next = chosen !== null ? chosen.leftChild : tree.rightChild
    if (next === null) return {pages, found: null}
    page = next
  }
  return {pages, found: null}
}

function compareRowid(key: number | bigint, cell: Cell): number {
  const rowid = cell.rowid === null ? 0 : (cell.rowid.big ?? cell.rowid.value)
  return key < rowid ? -1 : key > rowid ? 1 : 0
}
