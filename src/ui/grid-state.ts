/**
 * grid-state -- which cell of the frame grid is selected, as a reducer.
 *
 * Policy: the selection is an index into the page cells in eviction order; arrows move it by
 * one cell (←/→) or one row (↑/↓), Home/End jump to the next victim or the most recent page,
 * and it is clamped to the cells there are now, since the order changes as the pool is used.
 */
import {useReducer} from 'react'

export interface GridState {
  /** index into the page cells; -1 with no pages */
  index: number
}

export type GridAction =
  | {type: 'move'; dx: number; dy: number; perRow: number; count: number}
  | {type: 'first'}
  | {type: 'last'; count: number}
  | {type: 'clamp'; count: number}

/** gridReducer -- the selection after one key. */
export function gridReducer(state: GridState, action: GridAction): GridState {
  switch (action.type) {
    case 'move': {
      if (action.count === 0) return {index: -1}
      const from = Math.max(0, Math.min(state.index, action.count - 1))
      let index = from + action.dx + action.dy * Math.max(1, action.perRow)
      // a row move past either end stays in place, as a cursor in a table does
      if (action.dy !== 0 && (index < 0 || index >= action.count)) index = from
      return {index: Math.max(0, Math.min(index, action.count - 1))}
    }
    case 'first':
      return {index: 0}
    case 'last':
      return {index: action.count - 1}
    case 'clamp':
      return {index: Math.max(action.count === 0 ? -1 : 0, Math.min(state.index, action.count - 1))}
  }
}

/** useGridState -- the grid's selection, starting at the next victim. */
export function useGridState() {
  return useReducer(gridReducer, {index: 0})
}
