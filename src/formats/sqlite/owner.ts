/**
 * owner -- which row of sqlite_schema owns one b-tree page, found without mapping the whole file.
 *
 * SQLite's pages do not point up, so an owner is found from above, cheapest way first:
 *   1. a root page is its own answer (sqlite_schema names every root; page 1 is sqlite_schema's);
 *   2. under auto_vacuum the pointer map does point up: parent after parent to a PTRMAP_ROOTPAGE;
 *   3. a lookup of the page's first key from each root of the same kind of b-tree (rowid trees
 *      for a table page, index trees and WITHOUT ROWID tables for an index page): a descent for a
 *      key the page holds passes through the page, and reads one page a level;
 *   4. failing that (an index whose collation or DESC order the lookup does not follow, an empty
 *      page), each candidate tree level by level, reading its interior pages and one page of the
 *      level below (SQLite's b-trees are balanced: one leaf there means all are).
 * Every step is bounded by the page count and a page seen before, so it ends on any bytes.
 */
import {u16, u32} from './bytes.js'
import {isBtreeType, parseCell, PAGE_TYPE, type Cell} from './btree.js'
import {SCHEMA_ENTRY} from './columns.js'
import {ptrmapPageOf} from './map.js'
import {parseCreateTable} from './schema-sql.js'
import {btreeAt, descend, valuesOf, readPage, type SchemaEntry, type SqliteFile} from './walk.js'

/** isRowidTable -- whether `entry` owns a table b-tree (a rowid table), else an index b-tree (an index, a WITHOUT ROWID table). */
function isRowidTable(entry: SchemaEntry): boolean {
  return entry.type === 'table' && parseCreateTable(entry.sql ?? '')?.withoutRowid !== true
}

/** ptrmapRoot -- the root page above `page`, by the pointer map, or null where the map says otherwise. */
function ptrmapRoot(file: SqliteFile, page: number): number | null {
  const {usable, pagesize} = file.facts
  for (let steps = 0, p = page; steps <= file.npages && p >= 2; steps++) {
    const map = ptrmapPageOf(p, usable, pagesize)
    const buf = readPage(file, map)
    const at = 5 * (p - map - 1)
    if (buf === null || at < 0 || at + 5 > usable) return null
    const type = buf[at]!
    if (type === 1) return p // PTRMAP_ROOTPAGE
    if (type !== 5) return null // PTRMAP_BTREE is the only other kind a b-tree page has
    p = u32(buf, at + 1) ?? 0
  }
  return null
}

/** firstCell -- the first cell of b-tree page `buf` (not page 1), parsed alone: a leaf has hundreds, and only its first key is needed. */
function firstCell(buf: Buffer, usable: number): Cell | null {
  const type = buf[0]!
  const isLeaf = type === PAGE_TYPE.tableLeaf || type === PAGE_TYPE.indexLeaf
  const count = u16(buf, 3) ?? 0
  const pointer = u16(buf, isLeaf ? 8 : 12)
  return count === 0 || pointer === null ? null : parseCell(buf, 0, pointer, type, usable, [])
}

/** byLookup -- the candidate whose lookup of the page's first key passes through the page. */
function byLookup(file: SqliteFile, page: number, isTable: boolean, buf: Buffer, candidates: SchemaEntry[]): SchemaEntry | null {
  const cell = firstCell(buf, file.facts.usable)
  if (cell === null) return null
  const key = isTable ? (cell.rowid === null ? null : (cell.rowid.big ?? cell.rowid.value)) : valuesOf(file, buf, cell)
  if (key === null) return null
  return candidates.find((c) => descend(file, c.rootpage, key, page).pages.includes(page)) ?? null
}

/** byLevels -- the candidate whose tree has the page as a child of an interior page, level by level. */
function byLevels(file: SqliteFile, page: number, candidates: SchemaEntry[]): SchemaEntry | null {
  const seen = new Set<number>()
  for (const c of candidates) {
    let level = [c.rootpage]
    while (level.length > 0) {
      const next: number[] = []
      for (const p of level) {
        if (seen.has(p)) continue
        seen.add(p)
        const t = btreeAt(file, p)
        if (t === null || t.isLeaf || (t.type !== PAGE_TYPE.indexInterior && t.type !== PAGE_TYPE.tableInterior)) continue
        for (const cell of t.cells) if (cell.leftChild !== null) next.push(cell.leftChild)
        if (t.rightChild !== null) next.push(t.rightChild)
      }
      if (next.includes(page)) return c
      const first = next.find((p) => !seen.has(p))
      if (first === undefined || btreeAt(file, first)?.isLeaf !== false) break
      level = next
    }
  }
  return null
}

/** ownerOf -- the schema row whose b-tree holds b-tree page `page`, or null when no way above finds it. */
export function ownerOf(file: SqliteFile, page: number, schema: readonly SchemaEntry[]): SchemaEntry | null {
  if (page === 1) return SCHEMA_ENTRY
  const root = schema.find((s) => s.rootpage === page)
  if (root !== undefined) return root
  const buf = readPage(file, page)
  if (buf === null || !isBtreeType(buf[0]!)) return null
  if (file.facts.autoVacuum) {
    const top = ptrmapRoot(file, page)
    const found = top === null ? undefined : top === 1 ? SCHEMA_ENTRY : schema.find((s) => s.rootpage === top)
    if (found !== undefined) return found
  }
  const isTable = buf[0] === PAGE_TYPE.tableInterior || buf[0] === PAGE_TYPE.tableLeaf
  const trees = [SCHEMA_ENTRY, ...schema.filter((s) => s.rootpage > 0)]
  const candidates = trees.filter((s) => isRowidTable(s) === isTable)
  return byLookup(file, page, isTable, buf, candidates) ?? byLevels(file, page, candidates)
}
