/*
 * grid -- the frame grid as data: one cell per cached page, in the replacer's eviction order.
 *
 *   ▸2      ▸ marks the next victim: the first unpinned page in eviction order
 *    3 p1   p1: pinned once
 *    7   *  * dirty (written before its frame is reused)
 *    8   ~  ~ read ahead, not yet asked for (cleared by its first get)
 *   +9 p1   + over maxcache: the pool grew because every frame was pinned
 *    ·      a free frame (maxcache not reached yet)
 *
 * Policy, in a sentence each:
 *  - Cells run in eviction order, left to right, top to bottom: the next victim (pins aside)
 *    first, the most recently used last, as `frames()` gives them.
 *  - The cells past position maxcache are the ones over the limit: their count is the
 *    pool's overcommit, and they are drawn apart.
 *  - Free frames fill the rest of the window up to maxcache, never more than the window holds:
 *    a pool with a huge maxcache costs one cell per cached page, not one per frame.
 *  - A pool larger than the window scrolls: the window is the rows around the selected cell.
 * Nothing here knows React or the terminal: it is tested as plain data.
 */
import type {FrameView} from '../session/handle.js'

/** What a cell draws: its colour comes from this. */
export type CellState = 'free' | 'clean' | 'dirty' | 'pinned'

export interface Cell {
  /** position in eviction order (0: the next victim, pins aside) */
  position: number
  /** null for a free frame */
  pgno: number | null
  frame: number | null
  pins: number
  dirty: boolean
  /** read ahead and not yet asked for */
  prefetched: boolean
  /** the page the next miss would evict */
  victim: boolean
  /** beyond maxcache: the pool grew to hold it */
  over: boolean
  state: CellState
}

/** pageCells -- a cell per cached page, in the order `frames` gives (the replacer's eviction order). */
export function pageCells(frames: readonly FrameView[], maxcache: number): Cell[] {
  const victim = frames.findIndex((f) => f.pins === 0)
  return frames.map((f, position) => ({
    position,
    pgno: f.pgno,
    frame: f.frame,
    pins: f.pins,
    dirty: f.dirty,
    prefetched: f.prefetched === true,
    victim: position === victim,
    over: position >= maxcache,
    state: f.pins > 0 ? 'pinned' : f.dirty ? 'dirty' : 'clean',
  }))
}

/** freeCell -- a free frame at `position`. */
export function freeCell(position: number): Cell {
  return {position, pgno: null, frame: null, pins: 0, dirty: false, prefetched: false, victim: false, over: false, state: 'free'}
}

/** cellWidth -- the width of every cell for pages up to `maxPgno`: marker, number, pins, dirty. */
export function cellWidth(maxPgno: number): number {
  return 1 + String(Math.max(0, maxPgno)).length + 5
}

/** cellText -- a cell as exactly `width` characters, e.g. `▸ 12 p2*`. */
export function cellText(cell: Cell, width: number): string {
  const digits = width - 6
  if (cell.pgno === null) return ` ${'·'.padStart(digits)}     `
  const marker = cell.victim ? '▸' : cell.over ? '+' : ' '
  const pins = cell.pins === 0 ? '   ' : cell.pins > 99 ? 'p99' : `p${cell.pins}`.padEnd(3)
  return `${marker}${String(cell.pgno).padStart(digits)} ${pins}${cell.dirty ? '*' : cell.prefetched ? '~' : ' '}`
}

export interface GridModel {
  /** the cells of the visible rows, row by row */
  rows: Cell[][]
  cellWidth: number
  perRow: number
  /** rows of cells hidden above and below the window */
  above: number
  below: number
  /** rows needed to show every page cell */
  rowsNeeded: number
}

/**
 * gridModel -- the cells to draw in a window `rows` high and `width` wide, scrolled so that
 * the cell at `selected` (an index into the page cells; -1: none) is visible.
 */
export function gridModel(frames: readonly FrameView[], maxcache: number, width: number, rows: number, selected = -1): GridModel {
  const pages = pageCells(frames, maxcache)
  const maxPgno = pages.reduce((m, c) => Math.max(m, c.pgno ?? 0), 0)
  const cw = cellWidth(maxPgno)
  const perRow = Math.max(1, Math.floor((width + 1) / (cw + 1)))
  const rowsNeeded = Math.max(1, Math.ceil(pages.length / perRow))
  const visibleRows = Math.max(0, rows)
  let first = 0
  if (selected >= 0 && visibleRows > 0) {
    const row = Math.floor(selected / perRow)
    if (row >= visibleRows) first = row - visibleRows + 1
  }
  first = Math.max(0, Math.min(first, rowsNeeded - visibleRows))
  const window = pages.slice(first * perRow, (first + visibleRows) * perRow)
  // free frames fill what is left of the window, up to maxcache
  const free = Math.max(0, maxcache - pages.length)
  const room = visibleRows * perRow - window.length
  for (let i = 0; i < Math.min(free, room); i++) window.push(freeCell(pages.length + i))
  const out: Cell[][] = []
  for (let r = 0; r < visibleRows && r * perRow < window.length; r++) out.push(window.slice(r * perRow, (r + 1) * perRow))
  return {rows: out, cellWidth: cw, perRow, above: first, below: Math.max(0, rowsNeeded - first - visibleRows), rowsNeeded}
}
