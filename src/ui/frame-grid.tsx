/**
 * frame-grid -- the cache drawn as cells, one per frame, in eviction order (see grid.ts).
 *
 *   eviction order →  ▸ next victim  p pins  * dirty  ~ read ahead  + over maxcache  · free
 *   ▸2      5 p1    7   *   1 p2*
 *
 * Colours: free grey, clean green, dirty yellow, pinned cyan, over maxcache red; the selected
 * cell is drawn inverse. The view is pure (GridView); useGridInput moves the selection and is
 * active only while the grid has the focus.
 */
import {Box, Text, useInput} from 'ink'
import type {FrameView} from '../session/handle.js'
import type {PageLabel} from './labels.js'
import {cellText, gridModel, type Cell, type GridModel} from './grid.js'
import type {GridAction} from './grid-state.js'
import {useTint} from './tint.js'

export interface GridViewProps {
  frames: readonly FrameView[]
  maxcache: number
  width: number
  /** lines for the whole grid: the title and the rows of cells */
  rows: number
  /** selected page cell, or -1 */
  selected: number
  focused: boolean
  /** a page to draw inverse (live play: the page just accessed), or null */
  mark?: number | null
  /** the marked cell's colour (live play: green for a hit, red for a miss) */
  markColour?: string
  /** a title in place of the order's legend (live play: the policy and its counters) */
  title?: string
  /** each cached page's kind (and owner) in the file's format, drawn in its cell */
  labels?: ReadonlyMap<number, PageLabel>
}

const COLOURS: Record<Cell['state'], string> = {free: 'gray', clean: 'green', dirty: 'yellow', pinned: 'cyan'}

/** gridTitle -- the grid's title: the order's direction, what is scrolled away, and the legend. */
export function gridTitle(model: GridModel): string {
  const scroll = model.above + model.below > 0 ? ` (rows ${model.above + 1}-${model.rowsNeeded - model.below} of ${model.rowsNeeded})` : ''
  return `eviction order →${scroll}  ▸ next victim  p pins  * dirty  ~ read ahead  + over maxcache  · free`
}

/** GridView -- the title and the visible rows of cells. */
export function GridView({frames, maxcache, width, rows, selected, focused, mark = null, markColour, title, labels}: GridViewProps) {
  const tint = useTint()
  const model = gridModel(frames, maxcache, width, Math.max(0, rows - 1), selected, labels)
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" bold={focused} color={tint(focused ? 'magenta' : undefined)}>
        {title ?? gridTitle(model)}
      </Text>
      {model.rows.map((row, r) => (
        <Text key={r} wrap="truncate-end">
          {row.map((cell, i) => (
            <Text key={cell.position}>
              {i > 0 ? ' ' : ''}
              <Text color={tint(mark !== null && cell.pgno === mark && markColour !== undefined ? markColour : cell.over ? 'red' : COLOURS[cell.state])} inverse={(focused && cell.position === selected && cell.pgno !== null) || (mark !== null && cell.pgno === mark)} bold={cell.victim || cell.over} dimColor={cell.state === 'free'}>
                {cellText(cell, model.cellWidth, model.labelWidth)}
              </Text>
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  )
}

export interface GridInputOptions {
  isActive: boolean
  perRow: number
  count: number
  dispatch: (action: GridAction) => void
  /** Enter: keep the selection and go back to the prompt */
  onKeep: () => void
  /** Esc or Tab: drop the selection and go back to the prompt */
  onLeave: () => void
}

/** useGridInput -- arrows move the selection; Enter keeps it, Esc or Tab drops it; only while focused. */
export function useGridInput({isActive, perRow, count, dispatch, onKeep, onLeave}: GridInputOptions): void {
  useInput(
    (input, key) => {
      if (key.leftArrow) dispatch({type: 'move', dx: -1, dy: 0, perRow, count})
      else if (key.rightArrow) dispatch({type: 'move', dx: 1, dy: 0, perRow, count})
      else if (key.upArrow) dispatch({type: 'move', dx: 0, dy: -1, perRow, count})
      else if (key.downArrow) dispatch({type: 'move', dx: 0, dy: 1, perRow, count})
      else if (key.home) dispatch({type: 'first'})
      else if (key.end) dispatch({type: 'last', count})
      else if (key.return) onKeep()
      else if (key.escape || key.tab || input === 'q') onLeave()
    },
    {isActive},
  )
}
