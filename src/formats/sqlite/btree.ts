/**
 * btree -- one SQLite b-tree page taken apart: the page header, the cell pointer array, the cells
 * and the freeblocks (file-format document, section 1.6), as plain numbers for the decoder, the
 * map and the b-tree walker alike.
 *
 * Policy, each in a sentence:
 *  - The b-tree header starts at offset 100 on page 1 (after the database header) and at 0
 *    elsewhere; cell pointers are offsets from the start of the page, on page 1 too.
 *  - A cell's local part follows the document's rule: with U the usable size and P the payload
 *    size, X = U-35 on a table leaf and ((U-12)*64/255)-23 on an index page, M = ((U-12)*32/255)-23,
 *    K = M+((P-M) % (U-4)); P <= X is all local, else K bytes when K <= X, else M.
 *  - Everything is bounded by the usable size: a cell pointer, a cell or a freeblock that leaves
 *    it is a problem with its offset, and the cell is skipped, never read past the page.
 *  - Overlaps are found by sorting the cells' extents (and the freeblocks') once, so a page with
 *    n cells costs n log n, not n^2; a freeblock list must be ascending, which also stops loops.
 */

import {readVarint, u16, u32, type Varint} from './bytes.js'

/** The four b-tree page types, as the page's first header byte has them. */
export const PAGE_TYPE = {indexInterior: 2, tableInterior: 5, indexLeaf: 10, tableLeaf: 13} as const

/** The map's kind name of a b-tree page type, or undefined for a byte that is not one. */
export const BTREE_KIND: Readonly<Record<number, string>> = {
  2: 'index-interior',
  5: 'table-interior',
  10: 'index-leaf',
  13: 'table-leaf',
}

export function isBtreeType(type: number): boolean {
  return type === 2 || type === 5 || type === 10 || type === 13
}

/** One cell, in offsets from the start of the page. */
export interface Cell {
  index: number
  /** where the cell starts (the cell pointer's value) */
  offset: number
  /** bytes the cell takes on this page (at least 4, as SQLite counts) */
  size: number
  /** interior pages: the page the cell points down to */
  leftChild: number | null
  /** table pages: the integer key */
  rowid: Varint | null
  /** leaf and index cells: the whole payload's size P, and the varint's place */
  payloadSize: number | null
  payloadSizeOffset: number
  payloadSizeLength: number
  rowidOffset: number
  /** where the payload's local part starts, and how long it is */
  payloadOffset: number
  local: number
  /** the first overflow page, when the payload does not fit (0 otherwise) */
  overflowPage: number
}

/** One freeblock: offset, the next freeblock's offset, and its size. */
export interface Freeblock {
  offset: number
  next: number
  size: number
}

/** A problem, at an offset in the page (or null). */
export interface LocalProblem {
  at: number | null
  message: string
}

export interface BtreePage {
  /** where the b-tree header starts: 100 on page 1, else 0 */
  headerOffset: number
  type: number
  isLeaf: boolean
  isTable: boolean
  /** 8 on a leaf, 12 on an interior page */
  headerSize: number
  firstFreeblock: number
  cellCount: number
  /** the cell content start as stored (0 means 65536) and as meant */
  contentStartRaw: number
  contentStart: number
  fragmented: number
  rightChild: number | null
  pointers: number[]
  cells: Cell[]
  freeblocks: Freeblock[]
  /** dbstat's "unused": content start - end of pointers + fragmented + freeblock sizes */
  unused: number
  /** the sum of the cells' local payload bytes (dbstat's "payload"); 0 on table-interior pages */
  payload: number
  problems: LocalProblem[]
}

/** localPayload -- how many of a cell's P payload bytes sit on its page (the rule above). */
export function localPayload(P: number, usable: number, isTableLeaf: boolean): number {
  const X = isTableLeaf ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23
  if (P <= X) return P
  const M = Math.floor(((usable - 12) * 32) / 255) - 23
  const K = M + ((P - M) % (usable - 4))
  return K <= X ? K : M
}

/** headerOffsetOf -- where the b-tree header of mpool page pgno starts. */
export function headerOffsetOf(pgno: number): number {
  return pgno === 0 ? 100 : 0
}

/** parseCell -- the cell at `off` on a page of type `type`; null (and a problem) when it leaves the page. */
export function parseCell(page: Buffer, index: number, off: number, type: number, usable: number, problems: LocalProblem[]): Cell | null {
  // a cell takes at least 4 bytes (SQLite frees space in blocks of 4 or more): one that starts closer to the end leaves the page
  if (off + 4 > usable) return cellPastEnd(index, off, problems)
  const isTable = type === PAGE_TYPE.tableInterior || type === PAGE_TYPE.tableLeaf
  const isLeaf = type === PAGE_TYPE.tableLeaf || type === PAGE_TYPE.indexLeaf
  let at = off
  let leftChild: number | null = null
  if (!isLeaf) {
    leftChild = u32(page, at, usable)
    if (leftChild === null) return cellPastEnd(index, off, problems)
    at += 4
  }
  let payloadSize: number | null = null
  const payloadSizeOffset = at
  let payloadSizeLength = 0
  if (type !== PAGE_TYPE.tableInterior) {
    const v = readVarint(page, at, usable)
    if (v === null) return cellPastEnd(index, off, problems)
    payloadSize = v.value
    payloadSizeLength = v.length
    at += v.length
  }
  let rowid: Varint | null = null
  const rowidOffset = at
  if (isTable) {
    rowid = readVarint(page, at, usable)
    if (rowid === null) return cellPastEnd(index, off, problems)
    at += rowid.length
  }
  const payloadOffset = at
  let local = 0
  let overflowPage = 0
  if (payloadSize !== null) {
    if (payloadSize < 0) {
      problems.push({at: off, message: `cell ${index}: payload size ${payloadSize} is negative`})
      return null
    }
    local = localPayload(payloadSize, usable, type === PAGE_TYPE.tableLeaf)
    at += local
    if (local < payloadSize) {
      const next = u32(page, at, usable)
      if (next === null) return cellPastEnd(index, off, problems)
      overflowPage = next
      at += 4
    } else if (at > usable) {
      return cellPastEnd(index, off, problems)
    }
  }
  return {
    index,
    offset: off,
    size: Math.max(4, at - off),
    leftChild,
    rowid,
    payloadSize,
    payloadSizeOffset,
    payloadSizeLength,
    rowidOffset,
    payloadOffset,
    local,
    overflowPage,
  }
}

function cellPastEnd(index: number, off: number, problems: LocalProblem[]): null {
  problems.push({at: off, message: `cell ${index} at page offset ${off} runs past the end of the page`})
  return null
}

/**
 * parseBtreePage -- the b-tree page at mpool pgno: header, pointers, cells, freeblocks, and the
 * problems found. `type` is read from the page; a byte that is no b-tree type gives a page with
 * no cells and a problem.
 */
export function parseBtreePage(page: Buffer, pgno: number, usable: number): BtreePage {
  const problems: LocalProblem[] = []
  const h = headerOffsetOf(pgno)
  const end = Math.min(usable, page.length)
  const type = page[h] ?? 0
  const valid = isBtreeType(type)
  const isLeaf = type === PAGE_TYPE.tableLeaf || type === PAGE_TYPE.indexLeaf
  const isTable = type === PAGE_TYPE.tableLeaf || type === PAGE_TYPE.tableInterior
  const headerSize = isLeaf || !valid ? 8 : 12
  const firstFreeblock = u16(page, h + 1, end) ?? 0
  const cellCount = u16(page, h + 3, end) ?? 0
  const contentStartRaw = u16(page, h + 5, end) ?? 0
  const contentStart = contentStartRaw === 0 ? 65536 : contentStartRaw
  const fragmented = page[h + 7] ?? 0
  const rightChild = !isLeaf && valid ? u32(page, h + 8, end) : null
  const result: BtreePage = {
    headerOffset: h,
    type,
    isLeaf,
    isTable,
    headerSize,
    firstFreeblock,
    cellCount,
    contentStartRaw,
    contentStart,
    fragmented,
    rightChild,
    pointers: [],
    cells: [],
    freeblocks: [],
    unused: 0,
    payload: 0,
    problems,
  }
  if (!valid) {
    problems.push({at: h, message: `page type ${type} is not a b-tree page type (2, 5, 10 or 13)`})
    return result
  }
  const pointersStart = h + headerSize
  const pointersEnd = pointersStart + 2 * cellCount
  if (pointersEnd > end) problems.push({at: pointersStart, message: `${cellCount} cells do not fit: the cell pointer array runs past the end of the page`})
  else if (contentStart < pointersEnd && cellCount > 0) problems.push({at: h + 5, message: `cell content start ${contentStart} lies inside the cell pointer array (which ends at ${pointersEnd})`})
  if (contentStart > end && !(contentStartRaw === 0 && cellCount === 0)) problems.push({at: h + 5, message: `cell content start ${contentStart} is past the usable size ${usable}`})
  const shown = Math.min(cellCount, Math.max(0, Math.floor((end - pointersStart) / 2)))
  for (let i = 0; i < shown; i++) {
    const ptr = u16(page, pointersStart + 2 * i, end)!
    result.pointers.push(ptr)
    if (ptr < pointersEnd || ptr >= end) {
      problems.push({at: pointersStart + 2 * i, message: `cell pointer ${i} (${ptr}) points ${ptr >= end ? 'past the end of the page' : 'into the page header or pointer array'}`})
      continue
    }
    const cell = parseCell(page, i, ptr, type, end, problems)
    if (cell === null) continue
    result.cells.push(cell)
    if (type !== PAGE_TYPE.tableInterior) result.payload += cell.local
  }
  parseFreeblocks(page, result, pointersEnd, end)
  findOverlaps(result)
  result.unused = Math.min(contentStart, 65536) - pointersEnd + fragmented + result.freeblocks.reduce((sum, f) => sum + f.size, 0)
  return result
}

/**
 * parseFreeblocks -- follow the freeblock list; ascending offsets only, so it cannot loop. A
 * freeblock that is not where it may be is named at the pointer that leads to it (the header's
 * first freeblock, or the freeblock before's next), which is on the page even when it is not.
 */
function parseFreeblocks(page: Buffer, result: BtreePage, pointersEnd: number, end: number): void {
  let off = result.firstFreeblock
  let last = -1
  let pointer = result.headerOffset + 1
  while (off !== 0) {
    if (off <= last) {
      result.problems.push({at: pointer, message: `freeblock list goes back from ${last} to ${off}: a loop or a list out of order`})
      return
    }
    if (off < pointersEnd || off + 4 > end) {
      result.problems.push({at: pointer, message: `freeblock at ${off} lies outside the cell content area`})
      return
    }
    const next = u16(page, off, end)!
    const size = u16(page, off + 2, end)!
    if (size < 4 || off + size > end) result.problems.push({at: off, message: `freeblock at ${off} has size ${size}, which ${size < 4 ? 'is below the minimum 4' : 'runs past the end of the page'}`})
    result.freeblocks.push({offset: off, next, size})
    last = off
    pointer = off
    off = next
  }
}

/** findOverlaps -- name every cell or freeblock that overlaps the one before it in offset order. */
function findOverlaps(result: BtreePage): void {
  // An extent names its cell or freeblock only when it overlaps: a leaf has hundreds of cells, and most pages none that do.
  const extents: Array<{start: number; end: number; cell: number | null}> = []
  for (let i = 0; i < result.cells.length; i++) {
    const c = result.cells[i]!
    extents.push({start: c.offset, end: c.offset + c.size, cell: c.index})
  }
  for (let i = 0; i < result.freeblocks.length; i++) {
    const f = result.freeblocks[i]!
    extents.push({start: f.offset, end: f.offset + f.size, cell: null})
  }
  extents.sort((a, b) => a.start - b.start)
  const what = (e: {start: number; cell: number | null}): string => (e.cell === null ? `freeblock at ${e.start}` : `cell ${e.cell}`)
  for (let i = 1; i < extents.length; i++) {
    const prev = extents[i - 1]!
    const cur = extents[i]!
    if (cur.start < prev.end) result.problems.push({at: cur.start, message: `${what(cur)} (${cur.start}..${cur.end - 1}) overlaps ${what(prev)} (${prev.start}..${prev.end - 1})`})
  }
}
