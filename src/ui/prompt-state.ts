/**
 * prompt-state -- the prompt's line editor as a reducer: text, cursor, history, Tab completion.
 *
 * Policy, in a sentence each:
 *  - Keys edit as readline does: ←/→ move, Home/End or Ctrl-A/Ctrl-E jump, Backspace deletes
 *    before the cursor, Ctrl-U clears the line, Ctrl-W deletes the word before the cursor.
 *  - ↑/↓ walk the history, newest first; the line being typed is kept as a draft and comes
 *    back at the bottom. Submitting a line adds it to the history unless it repeats the last.
 *  - Enter puts the line in `submitted`, where the REPL takes it from ('drain' of the lines it
 *    took, never of lines submitted meanwhile): the line run is always the line in the state,
 *    however fast keys come, and no line typed ahead is lost. Keys that come in one read (a
 *    paste, tmux send-keys) are done one by one: each line submitted, each Backspace deleting.
 *  - Tab completes the word under the cursor: the verb in first position, a flag of that verb
 *    after it. One candidate completes with a space; several complete their common prefix and
 *    are listed in `candidates` for the status line.
 * Nothing here knows the terminal: the reducer is tested as plain data.
 */
import {useReducer} from 'react'

export interface PromptState {
  value: string
  cursor: number
  /** submitted lines, oldest first */
  history: string[]
  /** position in history while walking it; null when editing the draft */
  historyIndex: number | null
  /** the line being typed before ↑ was pressed */
  draft: string
  /** Tab's candidates when more than one matched */
  candidates: string[]
  /** lines submitted and not yet taken by the REPL (see 'drain'), oldest first */
  submitted: string[]
}

/** What Tab can complete: verb names, and each verb's flags (with their dashes). */
export interface Completions {
  verbs: readonly string[]
  flags: Readonly<Record<string, readonly string[]>>
}

export type PromptAction =
  | {type: 'insert'; text: string}
  | {type: 'backspace'}
  | {type: 'deleteForward'}
  | {type: 'left'}
  | {type: 'right'}
  | {type: 'home'}
  | {type: 'end'}
  | {type: 'clear'}
  | {type: 'deleteWord'}
  | {type: 'historyUp'}
  | {type: 'historyDown'}
  | {type: 'complete'; completions: Completions}
  /** Enter: the line goes to `submitted` and the history, and a fresh line starts */
  | {type: 'submit'}
  /**
   * several keys that came in one read (a paste, keys typed ahead, tmux send-keys): each is
   * done in order, as if typed alone (see typedActions): every complete line is submitted,
   * every Backspace deletes, the rest stays on the prompt
   */
  | {type: 'paste'; text: string}
  /** the REPL took the first `count` submitted lines (lines submitted since stay) */
  | {type: 'drain'; count: number}

/** The most lines the history keeps. */
export const HISTORY_LIMIT = 500

export function initialPromptState(history: string[] = [], submitted: string[] = []): PromptState {
  return {value: '', cursor: 0, history, historyIndex: null, draft: '', candidates: [], submitted}
}

/** promptReducer -- the prompt after one key. */
export function promptReducer(state: PromptState, action: PromptAction): PromptState {
  const {value, cursor} = state
  const edit = (next: string, at: number): PromptState => ({...state, value: next, cursor: at, historyIndex: null, candidates: []})
  switch (action.type) {
    case 'insert': {
      const text = action.text.replace(/[\r\n]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '')
      if (text === '') return state
      return edit(value.slice(0, cursor) + text + value.slice(cursor), cursor + text.length)
    }
    case 'backspace':
      return cursor === 0 ? state : edit(value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1)
    case 'deleteForward':
      return cursor >= value.length ? state : edit(value.slice(0, cursor) + value.slice(cursor + 1), cursor)
    case 'left':
      return {...state, cursor: Math.max(0, cursor - 1)}
    case 'right':
      return {...state, cursor: Math.min(value.length, cursor + 1)}
    case 'home':
      return {...state, cursor: 0}
    case 'end':
      return {...state, cursor: value.length}
    case 'clear':
      return edit('', 0)
    case 'deleteWord': {
      const before = value.slice(0, cursor).replace(/\S*\s*$/, '')
      return edit(before + value.slice(cursor), before.length)
    }
    case 'historyUp': {
      if (state.history.length === 0) return state
      const index = state.historyIndex === null ? state.history.length - 1 : Math.max(0, state.historyIndex - 1)
      const line = state.history[index]
      return {...state, value: line, cursor: line.length, historyIndex: index, draft: state.historyIndex === null ? value : state.draft, candidates: []}
    }
    case 'historyDown': {
      if (state.historyIndex === null) return state
      const index = state.historyIndex + 1
      if (index >= state.history.length) return {...state, value: state.draft, cursor: state.draft.length, historyIndex: null, candidates: []}
      const line = state.history[index]
      return {...state, value: line, cursor: line.length, historyIndex: index, candidates: []}
    }
    case 'complete':
      return complete(state, action.completions)
    case 'submit':
      return initialPromptState(remember(state.history, [value]), submit(state.submitted, [value]))
    case 'paste':
      return typedActions(action.text).reduce(promptReducer, state)
    case 'drain':
      return action.count <= 0 ? state : {...state, submitted: state.submitted.slice(action.count)}
  }
}

/**
 * typedActions -- the keys of one read, in order: runs of text are inserted, Enter (CR, LF or
 * CR LF) submits, Backspace (DEL or BS) deletes before the cursor; other control characters
 * are dropped, as insert drops them.
 */
export function typedActions(text: string): PromptAction[] {
  const out: PromptAction[] = []
  let run = ''
  const flush = () => {
    if (run !== '') out.push({type: 'insert', text: run})
    run = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\r' || c === '\n') {
      flush()
      out.push({type: 'submit'})
      if (c === '\r' && text[i + 1] === '\n') i++
    } else if (c === '\u007f' || c === '\b') {
      flush()
      out.push({type: 'backspace'})
    } else if (c >= ' ') run += c
  }
  flush()
  return out
}

/** submit -- the lines waiting for the REPL, with `lines` added (trimmed, blank ones left out). */
function submit(waiting: string[], lines: readonly string[]): string[] {
  const more = lines.map((l) => l.trim()).filter((l) => l !== '')
  return more.length === 0 ? waiting : [...waiting, ...more]
}

/** remember -- `history` with `lines` added, blank lines and repeats of the last line left out. */
function remember(history: string[], lines: readonly string[]): string[] {
  const out = [...history]
  for (const raw of lines) {
    const line = raw.trim()
    if (line !== '' && out[out.length - 1] !== line) out.push(line)
  }
  return out.length === history.length ? history : out.slice(-HISTORY_LIMIT)
}

/** complete -- Tab: finish the word before the cursor from the verbs (first word) or the verb's flags. */
function complete(state: PromptState, completions: Completions): PromptState {
  const before = state.value.slice(0, state.cursor)
  const after = state.value.slice(state.cursor)
  const wordStart = before.search(/\S*$/)
  const word = before.slice(wordStart)
  const firstWord = before.slice(0, wordStart).trim() === ''
  let pool: readonly string[]
  if (firstWord) pool = completions.verbs
  else {
    const verb = before.trim().split(/\s+/)[0]
    pool = word.startsWith('-') || word === '' ? completions.flags[verb] ?? [] : []
  }
  const matches = pool.filter((c) => c.startsWith(word))
  if (matches.length === 0) return {...state, candidates: []}
  if (matches.length === 1) {
    const text = matches[0] + (after.startsWith(' ') ? '' : ' ')
    const value = before.slice(0, wordStart) + text + after
    return {...state, value, cursor: wordStart + text.length, historyIndex: null, candidates: []}
  }
  const prefix = commonPrefix(matches)
  const value = before.slice(0, wordStart) + prefix + after
  return {...state, value, cursor: wordStart + prefix.length, historyIndex: null, candidates: matches}
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0]
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1)
  return prefix
}

/** usePromptState -- the prompt's state and its dispatch, starting empty. */
export function usePromptState() {
  return useReducer(promptReducer, undefined, () => initialPromptState())
}
