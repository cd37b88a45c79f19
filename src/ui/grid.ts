/**
 * grid -- the frame grid as data: one cell per cached page, in the replacer's eviction order.
 *
 *   ▸2      ▸ marks the next victim: the first unpinned page in eviction order
 *    3 p1   p1: pinned once
 *    7   *  * dirty (written before its frame is reused)
 *    8   ~  ~ read ahead, not yet asked for (cleared by its first get)
 *   +9 p1   + over maxcache: the pool grew because every frame was pinned
 *    ·      a free frame (maxcache not reached yet)
 *    4 table-leaf t1   with a file format: the page's kind, and its owner when short (labels.ts)
 *
 * Policy, in a sentence each:
 *  - Cells run in eviction order, left to right, top to bottom: the next victim (pins aside)
 *    first, the most recently used last, as `frames()` gives them.
 *  - The cells past position maxcache are the ones over the limit: their count is the
 *    pool's overcommit, and they are drawn apart.
 *  - Free frames fill the rest of the window up to maxcache, never more than the window holds:
 *    a pool with a huge maxcache costs one cell per cached page, not one per frame.
 *  - A pool larger than the window scrolls: the window is the rows around the selected cell.
 *  - Labels widen every cell alike, to the longest label shown (at most LABEL_MAX): the grid
 *    stays a grid, and a cell never overflows its width.
 * Nothing here knows React or the terminal: it is tested as plain data.
 */
import type {FrameView} from '../session/handle.js'
import {labelText, type PageLabel} from './labels.js'

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
  /** the page's kind (and owner) in the file's format, or null: a plain page file, or a free frame */
  label: string | null
}

/** pageCells -- a cell per cached page, in the order `frames` gives (the replacer's eviction order), labelled from `labels`. */
export function pageCells(frames: readonly FrameView[], maxcache: number, labels?: ReadonlyMap<number, PageLabel>): Cell[] {
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
    label: labelOf(labels, f.pgno),
  }))
}

function labelOf(labels: ReadonlyMap<number, PageLabel> | undefined, pgno: number): string | null {
  const label = labels?.get(pgno)
  return label === undefined ? null : labelText(label)
}

/** freeCell -- a free frame at `position`. */
export function freeCell(position: number): Cell {
  return {position, pgno: null, frame: null, pins: 0, dirty: false, prefetched: false, victim: false, over: false, state: 'free', label: null}
}

/** cellWidth -- the width of every cell for pages up to `maxPgno`: marker, number, pins, dirty; and a space and `labelWidth` for the label. */
export function cellWidth(maxPgno: number, labelWidth = 0): number {
  return 1 + String(Math.max(0, maxPgno)).length + 5 + (labelWidth > 0 ? 1 + labelWidth : 0)
}

/** cellText -- a cell as exactly `width` characters, e.g. `▸ 12 p2*`, or `▸ 12 p2* table-leaf` with `labelWidth`. */
export function cellText(cell: Cell, width: number, labelWidth = 0): string {
  const room = labelWidth > 0 ? 1 + labelWidth : 0
  const digits = width - 6 - room
  const label = room === 0 ? '' : ` ${(cell.label ?? '').slice(0, labelWidth).padEnd(labelWidth)}`
  if (cell.pgno === null) return ` ${'·'.padStart(digits)}     ${label}`
  const marker = cell.victim ? '▸' : cell.over ? '+' : ' '
  const pins = cell.pins === 0 ? '   ' : cell.pins > 99 ? 'p99' : `p${cell.pins}`.padEnd(3)
  return `${marker}${String(cell.pgno).padStart(digits)} ${pins}${cell.dirty ? '*' : cell.prefetched ? '~' : ' '}${label}`
}

export interface GridModel {
  /** the cells of the visible rows, row by row */
  rows: Cell[][]
  cellWidth: number
  /** the width of the label in every cell; 0: no labels */
  labelWidth: number
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
export function gridModel(frames: readonly FrameView[], maxcache: number, width: number, rows: number, selected = -1, labels?: ReadonlyMap<number, PageLabel>): GridModel {
  const pages = pageCells(frames, maxcache, labels)
  const maxPgno = pages.reduce((m, c) => Math.max(m, c.pgno ?? 0), 0)
  const labelWidth = pages.reduce((m, c) => Math.max(m, c.label?.length ?? 0), 0)
  const cw = cellWidth(maxPgno, labelWidth)
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
  return {rows: out, cellWidth: cw, labelWidth, perRow, above: first, below: Math.max(0, rowsNeeded - first - visibleRows), rowsNeeded}
}
