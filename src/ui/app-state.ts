/**
 * app-state -- the REPL's own state as a reducer: focus, the log, the line running, the error
 * on show, the page on show, the hex pane's scroll.
 *
 * Policy, in a sentence each:
 *  - Lines are run one at a time, in the order they were entered; lines entered meanwhile
 *    (typed ahead or pasted) wait in `queue`.
 *  - The hex pane shows the page kept from the grid if there is one, else the page touched last
 *    (by us or, in a shared pool, by anybody); a page shown afresh starts at its first change.
 *  - An error stays on the status line until the next line is run; the log keeps it too.
 *  - A command's long output (help, stats, a dump of the cache) takes the hex pane's place
 *    until the next command or Esc.
 *  - The log keeps the last LOG_LIMIT entries.
 */
import {useReducer} from 'react'
import type {LogEntry, LogKind} from './narration.js'

export const LOG_LIMIT = 200

export type Focus = 'prompt' | 'grid'

export interface AppState {
  focus: Focus
  /** the line running now, or null */
  running: string | null
  /** lines entered while another ran, oldest first */
  queue: string[]
  /** the last error, shown on the status line */
  error: string | null
  /** a long output shown in the hex pane's place */
  output: {title: string; text: string} | null
  log: LogEntry[]
  nextId: number
  /** the page kept from the grid (Enter), or null */
  kept: number | null
  /** the page touched last */
  touched: number | null
  /** the hex pane's first line; null: near the first changed byte */
  hexScroll: number | null
}

export type AppAction =
  | {type: 'enter'; line: string}
  | {type: 'start'}
  | {type: 'done'; log: {kind: LogKind; text: string}[]; touched: number | null; output?: {title: string; text: string} | null}
  | {type: 'failed'; line: string; message: string}
  | {type: 'others'; lines: string[]; touched: number | null}
  | {type: 'note'; text: string; kind?: LogKind}
  | {type: 'focus'; focus: Focus}
  | {type: 'keep'; pgno: number | null}
  | {type: 'scroll'; delta: number; current: number}
  | {type: 'dismiss'}

export function initialAppState(): AppState {
  return {focus: 'prompt', running: null, queue: [], error: null, output: null, log: [], nextId: 1, kept: null, touched: null, hexScroll: null}
}

/** shownPage -- the page the hex pane should show. */
export function shownPage(state: AppState): number | null {
  return state.kept ?? state.touched
}

function append(state: AppState, entries: {kind: LogKind; text: string}[]): Pick<AppState, 'log' | 'nextId'> {
  let id = state.nextId
  const log = [...state.log, ...entries.map((e) => ({id: id++, kind: e.kind, text: e.text}))].slice(-LOG_LIMIT)
  return {log, nextId: id}
}

/** appReducer -- the REPL's state after one thing happened. */
export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'enter':
      return {...state, queue: [...state.queue, action.line]}
    case 'start': {
      if (state.running !== null || state.queue.length === 0) return state
      const [line, ...queue] = state.queue
      return {...state, running: line, queue, error: null}
    }
    case 'done': {
      const touched = action.touched ?? state.touched
      const moved = touched !== state.touched
      return {
        ...state,
        ...append(state, action.log),
        running: null,
        touched,
        // a command that touched a page shows it: the page kept from the grid gives way
        kept: action.touched === null ? state.kept : null,
        hexScroll: moved || action.touched !== null ? null : state.hexScroll,
        output: action.output === undefined ? null : action.output,
      }
    }
    case 'failed':
      return {...state, ...append(state, [{kind: 'error', text: `${action.line}: ${action.message}`}]), running: null, error: action.message}
    case 'others': {
      const touched = action.touched ?? state.touched
      return {...state, ...append(state, action.lines.map((text) => ({kind: 'others' as const, text}))), touched, hexScroll: touched !== state.touched ? null : state.hexScroll}
    }
    case 'note':
      return {...state, ...append(state, [{kind: action.kind ?? 'note', text: action.text}])}
    case 'focus':
      return {...state, focus: action.focus}
    case 'keep':
      return {...state, kept: action.pgno, focus: 'prompt', hexScroll: null, output: null}
    case 'scroll':
      return {...state, hexScroll: Math.max(0, action.current + action.delta)}
    case 'dismiss':
      return {...state, output: null, error: null}
  }
}

/** useAppState -- the REPL's state and its dispatch. */
export function useAppState() {
  return useReducer(appReducer, undefined, initialAppState)
}
