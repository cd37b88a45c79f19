/**
 * page-columns -- a page map whose lines are kept as columns (a code per page into a table of
 * kind names and one of owner names, and int32 counts) instead of an object per page: what the
 * SQLite map fills while it walks, and what `map --json` writes from (render/map-json.ts), so a
 * map of 68k pages makes no 68k objects for the collector.
 *
 * Policy: the map is a plain PageMap whose `pages` are made from the columns on first read, all at
 * once, for the callers that want objects (the table, locate, the REPL's one-line JSON); `columns`
 * is not enumerable, so JSON.stringify, a spread and a deep comparison see the same map as one
 * made of plain entries.
 */
import type {FormatName, PageColumns, PageMap, PageMapEntry, PageProblem} from './types.js'

/** The owner code of a page no table or index owns. */
export const NO_OWNER = -1

/** The count code of a count the format does not give (every real count fits an int32 above it). */
export const NO_COUNT = -0x80000000

/** columnMap -- the PageMap of `columns`, its `pages` made when first read. */
export function columnMap(format: FormatName, pagesize: number, columns: PageColumns, problems: PageProblem[]): PageMap {
  let pages: PageMapEntry[] | undefined
  const map = {format, pagesize} as PageMap
  Object.defineProperty(map, 'pages', {enumerable: true, get: () => (pages ??= entriesOf(columns))})
  map.problems = problems
  Object.defineProperty(map, 'columns', {enumerable: false, value: columns})
  return map
}

/** entryAt -- the map line of page `page` (from columns.first to columns.first + columns.count - 1). */
export function entryAt(columns: PageColumns, page: number): PageMapEntry {
  const owner = columns.owner[page]!
  return {
    page,
    pgno: page - columns.first,
    kind: columns.kindNames[columns.kind[page]!]!,
    owner: owner === NO_OWNER ? null : columns.ownerNames[owner]!,
    cells: known(columns.cells[page]!),
    free: known(columns.free[page]!),
    payload: known(columns.payload[page]!),
  }
}

/** entriesOf -- every line of `columns` as an object, pgno 0 first. */
function entriesOf(columns: PageColumns): PageMapEntry[] {
  const entries: PageMapEntry[] = new Array(columns.count)
  for (let i = 0; i < columns.count; i++) entries[i] = entryAt(columns, columns.first + i)
  return entries
}

function known(count: number): number | null {
  return count === NO_COUNT ? null : count
}
