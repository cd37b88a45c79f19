/**
 * narration -- the last operations in plain words, newest at the bottom.
 *
 *   get 1: miss; read page 1 at offset 4096 into frame 0; pinned (1)
 *   put 1: unpinned (0 left), marked dirty
 *   elsewhere: get 3: miss; read page 3 at offset 12288 into frame 1; pinned (1)
 *
 * Policy, in a sentence each:
 *  - Our own commands are told from the events each command returned (src/render/narrate.ts);
 *    in a shared pool the events somebody else caused are cut into calls and told the same
 *    way, prefixed "elsewhere:".
 *  - Entries are word-wrapped to the width and the newest lines that fit are shown: nothing is
 *    cut off at the right, nothing overflows the pane.
 */
import {Box, Text} from 'ink'
import type {PoolEvent} from '../pool/index.js'
import {narrate} from '../render/narrate.js'
import {useTint} from './tint.js'

export type LogKind = 'own' | 'others' | 'note' | 'error'

export interface LogEntry {
  id: number
  kind: LogKind
  text: string
}

/** A call somebody else made, as far as its events tell. */
export interface ForeignCall {
  label: string
  events: PoolEvent[]
}

/**
 * splitCalls -- a burst of events cut into the calls that caused them. A call starts at
 * hit/miss (get), new, unpin (put), delete, the first write or the end of a sync, maxcache
 * (an open) or close; the steps that follow (read, pin, writes at eviction, grow) belong to it.
 */
export function splitCalls(events: readonly PoolEvent[]): ForeignCall[] {
  const calls: ForeignCall[] = []
  let current: ForeignCall | null = null
  for (const e of events) {
    const label = callLabel(e, current)
    if (label !== null) {
      current = {label, events: []}
      calls.push(current)
    }
    if (current === null) {
      current = {label: 'a call', events: []}
      calls.push(current)
    }
    current.events.push(e)
  }
  return calls
}

/** callLabel -- the label of the call `e` starts, or null if it continues `current`. */
function callLabel(e: PoolEvent, current: ForeignCall | null): string | null {
  switch (e.type) {
    case 'hit':
    case 'miss':
      return `get ${e.pgno}`
    case 'new':
      return 'new'
    case 'unpin':
      return `put ${e.pgno}`
    case 'delete':
      return `delete ${e.pgno}`
    case 'maxcache':
      return 'open'
    case 'close':
      return 'close'
    case 'write':
      return e.reason === 'sync' && current?.label !== 'sync' ? 'sync' : null
    case 'sync':
      return current?.label === 'sync' ? null : 'sync'
    default:
      return null
  }
}

/** narrateForeign -- one line per call in a burst somebody else caused. */
export function narrateForeign(events: readonly PoolEvent[]): string[] {
  return splitCalls(events).map((call) => `elsewhere: ${narrate(call.label, call.events)}`)
}

/** wrapText -- `text` cut into lines of at most `width` characters at spaces, later lines indented; a word too long for a line is cut. */
export function wrapText(text: string, width: number, indent = 2): string[] {
  const w = Math.max(indent + 4, width)
  const out: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    const hasWords = () => line.trim().length > 0
    const push = () => {
      out.push(line)
      line = ' '.repeat(indent)
    }
    for (let word of paragraph.split(/ +/)) {
      if (word === '') continue
      if (hasWords() && line.length + 1 + word.length > w) push()
      while (line.length + (hasWords() ? 1 : 0) + word.length > w) {
        const room = w - line.length - (hasWords() ? 1 : 0)
        line += (hasWords() ? ' ' : '') + word.slice(0, room)
        word = word.slice(room)
        push()
      }
      line += (hasWords() ? ' ' : '') + word
    }
    out.push(line)
  }
  return out
}

/** narrationLines -- the newest `rows` wrapped lines of the log, each with its entry's kind; `whole`: only entries that fit whole. */
export function narrationLines(log: readonly LogEntry[], width: number, rows: number, whole = false): {kind: LogKind; text: string}[] {
  const out: {kind: LogKind; text: string}[] = []
  for (let i = log.length - 1; i >= 0 && out.length < rows; i--) {
    const lines = wrapText(log[i].text, width)
    if (whole && out.length + lines.length > rows) break
    for (let j = lines.length - 1; j >= 0 && out.length < rows; j--) out.unshift({kind: log[i].kind, text: lines[j]})
  }
  return out
}

const COLOURS: Record<LogKind, string | undefined> = {own: undefined, others: 'magenta', note: 'gray', error: 'red'}

export interface NarrationProps {
  log: readonly LogEntry[]
  width: number
  rows: number
  /** show only entries that fit whole (live play), not the tail of the oldest */
  whole?: boolean
}

/** Narration -- the log's newest lines, exactly `rows` high, the newest at the bottom next to the prompt. */
export function Narration({log, width, rows, whole = false}: NarrationProps) {
  const tint = useTint()
  if (rows <= 0) return null
  const lines = narrationLines(log, width, rows, whole)
  return (
    <Box flexDirection="column" justifyContent="flex-end" width={width} height={rows}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={tint(COLOURS[line.kind])}>
          {line.text}
        </Text>
      ))}
    </Box>
  )
}
