/**
 * prompt -- the line the user types verbs on: `mpool> get 7▌`.
 *
 * The view is pure (PromptView: the text around an inverse cursor, scrolled sideways to keep
 * the cursor in sight); the line editing is the reducer in prompt-state.ts; usePromptInput
 * turns keys into its actions and is active only while the prompt has the focus.
 *
 * Keys: Enter runs the line; Tab completes (on an empty line it moves the focus to the grid);
 * ↑/↓ history; Ctrl-D on an empty line quits; Esc hides a long output and the error; PgUp/PgDn
 * scroll the hex pane. A paste of several lines runs them one after another.
 */
import {useRef} from 'react'
import {Text, useInput} from 'ink'
import {type Completions, type PromptAction, type PromptState} from './prompt-state.js'
import {useTint} from './tint.js'

export const PROMPT = 'mpool> '

export interface PromptViewProps {
  state: PromptState
  width: number
  focused: boolean
  /** a line is running: the prompt says so */
  running: boolean
}

/** promptWindow -- the part of `value` to show in `room` columns, keeping the cursor in sight. */
export function promptWindow(value: string, cursor: number, room: number): {text: string; cursor: number} {
  const r = Math.max(1, room)
  const start = cursor < r ? 0 : cursor - r + 1
  return {text: value.slice(start, start + r), cursor: cursor - start}
}

/** PromptView -- the prompt and the line, the cursor drawn inverse while focused. */
export function PromptView({state, width, focused, running}: PromptViewProps) {
  const tint = useTint()
  const room = Math.max(1, width - PROMPT.length - 1)
  const {text, cursor} = promptWindow(state.value, state.cursor, room)
  const before = text.slice(0, cursor)
  const at = text.slice(cursor, cursor + 1) || ' '
  const after = text.slice(cursor + 1)
  return (
    <Text wrap="truncate-end">
      <Text color={tint(running ? 'gray' : 'green')} bold>
        {PROMPT}
      </Text>
      {before}
      <Text inverse={focused}>{at}</Text>
      {after}
    </Text>
  )
}

export interface PromptInputOptions {
  isActive: boolean
  state: PromptState
  dispatch: (action: PromptAction) => void
  completions: Completions
  /** Tab on an empty line */
  onFocusGrid: () => void
  /** Ctrl-D on an empty line */
  onQuit: () => void
  /** Esc */
  onDismiss: () => void
  /** PgUp/PgDn: scroll the hex pane by this many rows */
  onScroll: (delta: number) => void
}

/**
 * usePromptInput -- keys to line edits, while the prompt has the focus. Enter and pastes go
 * through the reducer (its `submitted` lines), so a key never acts on a stale line.
 */
export function usePromptInput(options: PromptInputOptions): void {
  const {isActive, state, dispatch, completions, onFocusGrid, onQuit, onDismiss, onScroll} = options
  // The line as last drawn: only Tab and Ctrl-D ask whether it is empty.
  const latest = useRef(state)
  latest.current = state
  useInput(
    (input, key) => {
      const empty = latest.current.value.trim() === ''
      if (key.return) dispatch({type: 'submit'})
      else if (key.tab) {
        if (empty) onFocusGrid()
        else dispatch({type: 'complete', completions})
      } else if (key.upArrow) dispatch({type: 'historyUp'})
      else if (key.downArrow) dispatch({type: 'historyDown'})
      else if (key.leftArrow) dispatch({type: 'left'})
      else if (key.rightArrow) dispatch({type: 'right'})
      else if (key.home || (key.ctrl && input === 'a')) dispatch({type: 'home'})
      else if (key.end || (key.ctrl && input === 'e')) dispatch({type: 'end'})
      else if (key.pageUp) onScroll(-8)
      else if (key.pageDown) onScroll(8)
      else if (key.backspace || key.delete) dispatch({type: 'backspace'})
      else if (key.escape) onDismiss()
      else if (key.ctrl && input === 'd') {
        if (latest.current.value === '') onQuit()
        else dispatch({type: 'deleteForward'})
      } else if (key.ctrl && input === 'u') dispatch({type: 'clear'})
      else if (key.ctrl && input === 'w') dispatch({type: 'deleteWord'})
      else if (key.ctrl || key.meta) return
      // several keys in one read (Ink hands them over as one string): each one, in order
      else if (input.length > 1 || /[\r\n\u007f\b]/.test(input)) dispatch({type: 'paste', text: input})
      else dispatch({type: 'insert', text: input})
    },
    {isActive},
  )
}
