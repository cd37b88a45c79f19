/**
 * status -- the two one-line panes around the prompt: the status line above it (an error, the
 * line running, Tab's candidates, or where the focus is) and the help line of keys below it.
 */
import {Text} from 'ink'
import type {Focus} from './app-state.js'
import {useTint} from './tint.js'

export interface StatusProps {
  width: number
  error: string | null
  running: string | null
  queued: number
  candidates: readonly string[]
  focus: Focus
  /** the page under the grid's cursor */
  gridPage: number | null
}

/** statusText -- what the status line says, and how: errors first, then work in progress, then hints. */
export function statusText(p: Omit<StatusProps, 'width'>): {text: string; color: string | undefined} {
  if (p.focus === 'grid') {
    const page = p.gridPage === null ? 'no page cached' : `page ${p.gridPage}`
    return {text: `grid: ${page} · ←↑↓→ move · Home/End · Enter keep it in the hex pane · Esc/Tab back`, color: 'magenta'}
  }
  if (p.error !== null) return {text: `✗ ${p.error}`, color: 'red'}
  if (p.running !== null) return {text: `running ${p.running}…${p.queued > 0 ? ` (${p.queued} more waiting)` : ''}`, color: 'yellow'}
  if (p.candidates.length > 0) return {text: p.candidates.join('  '), color: 'cyan'}
  return {text: '', color: undefined}
}

/** Status -- one line; blank when there is nothing to say. */
export function Status(props: StatusProps) {
  const {text, color} = statusText(props)
  const tint = useTint()
  return (
    <Text wrap="truncate-end" color={tint(color)}>
      {text === '' ? ' ' : text}
    </Text>
  )
}

/** HELP_KEYS -- the help line: the keys that are not obvious, in full and for narrow terminals. */
export const HELP_KEYS = 'Tab complete (empty line: pick a frame) · ↑↓ history · PgUp/PgDn scroll · Ctrl-T decoded view · help · quit/Ctrl-D'
export const HELP_KEYS_SHORT = 'Tab complete/pick · ↑↓ history · PgUp/PgDn scroll · ^T decode · help · quit'

/** HelpLine -- the keys, dimmed: the long line if it fits, else the short one. */
export function HelpLine({width}: {width: number}) {
  const tint = useTint()
  return (
    <Text wrap="truncate-end" color={tint('gray')}>
      {HELP_KEYS.length <= width ? HELP_KEYS : HELP_KEYS_SHORT}
    </Text>
  )
}
