/**
 * layout -- how many terminal rows each pane of the REPL gets.
 *
 *   header      1 line, +1 for the policy's own state when the policy has any
 *   grid        a title line + rows of frame cells
 *   counters    1 line, or the lines they need when one is too narrow (never fewer when they fit)
 *   hex         a title line + rows of the hex view (or of a command's long output)
 *   narration   the last operations, newest last
 *   status      1 line: an error, "running…", or Tab's candidates
 *   prompt      1 line
 *   help        1 line of keys
 *
 * Policy, in a sentence each:
 *  - The screen is never drawn taller than rows - 1: drawing exactly the terminal's height
 *    makes Ink clear the whole screen every frame, which flickers (Shopify cli-kit's rule).
 *  - The grid gets the rows it needs, up to a third of what is left; the narration gets 2 rows,
 *    and up to 3 more if it has that much to say; the hex pane gets what it needs of the rest,
 *    and the narration whatever is still left. Short of room, the hex pane goes first, then the help line, then the header's
 *    second line, then the narration; the prompt always stays.
 *  - The sum of the parts never exceeds the budget: a pure function, tested on its own.
 */

export interface LayoutRequest {
  rows: number
  columns: number
  /** rows of cells (title not counted) the grid would need to show every cell at this width */
  gridRowsNeeded: number
  /** whether the header has a second line (the policy's state) */
  policyLine: boolean
  /** lines the counters need at this width (default 1): they wrap, never drop a counter */
  counterRowsNeeded?: number
  /** lines the hex pane's body would need to show all of it (title not counted); default: all it can get */
  hexRowsNeeded?: number
  /** lines the narration has to show; default: as many as it can get */
  narrationRowsNeeded?: number
}

export interface Layout {
  /** lines the whole screen may use: rows - 1 */
  height: number
  width: number
  headerRows: number
  /** the grid's title line plus its rows of cells (0: no grid) */
  gridRows: number
  counterRows: number
  /** the hex pane's title line plus its rows (0: no hex pane) */
  hexRows: number
  narrationRows: number
  statusRows: number
  promptRows: number
  helpRows: number
}

/** layout -- the rows of each pane for a terminal of `rows` × `columns`; every part is >= 0 and they sum to at most rows - 1. */
export function layout(request: LayoutRequest): Layout {
  const height = Math.max(1, request.rows - 1)
  const width = Math.max(1, request.columns)
  const out: Layout = {height, width, headerRows: 0, gridRows: 0, counterRows: 0, hexRows: 0, narrationRows: 0, statusRows: 0, promptRows: 1, helpRows: 0}
  let left = height - 1 // the prompt always stays

  // The panes in the order they give way: each takes its part only if it still fits.
  const take = (n: number): number => {
    const got = Math.max(0, Math.min(n, left))
    left -= got
    return got
  }
  out.statusRows = take(1)
  out.headerRows = take(1)
  out.counterRows = take(Math.max(1, request.counterRowsNeeded ?? 1))
  // the grid: a title and at least one row of cells, when both fit
  if (left >= 2) out.gridRows = take(2)
  out.narrationRows = take(2)
  out.helpRows = take(1)
  const secondHeader = request.policyLine ? take(1) : 0
  out.headerRows += secondHeader

  // What is left: more grid (up to a third, as needed), more narration (up to 5), then hex.
  if (out.gridRows > 0) {
    const extraGrid = Math.min(Math.max(0, request.gridRowsNeeded - 1), Math.floor(left / 3))
    out.gridRows += take(extraGrid)
  }
  const said = Math.max(0, (request.narrationRowsNeeded ?? Number.MAX_SAFE_INTEGER) - out.narrationRows)
  const extraNarration = Math.min(3, said, Math.max(0, Math.floor((left - 3) / 3)))
  out.narrationRows += take(extraNarration)
  // the hex pane: a title and at least two rows, or nothing; the narration takes what is left
  if (left >= 3) out.hexRows = take(Math.max(3, 1 + (request.hexRowsNeeded ?? left)))
  out.narrationRows += take(left)
  return out
}
