/**
 * dispatch -- one REPL line, run: the shell's verbs through the shared verb layer
 * (runVerbLine), plus the REPL's own words `help` and `quit`.
 *
 * Policy, in a sentence each:
 *  - A verb line means exactly what it means to the shell: same parser, same pool calls, same
 *    text (src/verbs); the REPL adds nothing but help and quit (and exit, as a synonym).
 *  - Blank lines and `#` comments are skipped, so a script can be commented.
 *  - Errors are thrown as they come (one line each); the caller shows them and goes on, or
 *    stops a script.
 * Nothing here imports Ink or React: the script runner uses it with stdin not a TTY.
 */
import {runVerbLine, usage, VERBS, type LineFormat} from '../verbs/index.js'
import type {Palette} from '../render/palette.js'
import type {PoolHandle} from '../session/handle.js'
import type {Dispatcher, LineOutcome} from './dispatch-types.js'
import type {Completions} from './prompt-state.js'

/** The REPL's own words, beside the verbs. */
export const REPL_WORDS: Readonly<Record<string, string>> = {
  help: 'List the verbs (help VERB: one verb in full).',
  quit: 'Leave the REPL: a private pool is closed (nothing written), a shared one is left open.',
}

/** replCompletions -- the verbs and words Tab completes, and each verb's flags. */
export function replCompletions(): Completions {
  const flags: Record<string, string[]> = {}
  for (const [name, verb] of Object.entries(VERBS)) flags[name] = [...Object.keys(verb.flags as object).map((f) => `--${f}`), '--json']
  return {verbs: [...Object.keys(VERBS), ...Object.keys(REPL_WORDS)], flags}
}

/** helpText -- every verb's synopsis and summary, or one verb in full. */
export function helpText(topic?: string): string {
  if (topic !== undefined && Object.hasOwn(VERBS, topic)) {
    const verb = VERBS[topic]
    return [usage(verb), '', verb.summary, '', verb.description].join('\n')
  }
  if (topic !== undefined && Object.hasOwn(REPL_WORDS, topic)) return `${topic}\n\n${REPL_WORDS[topic]}`
  const rows = [
    ...Object.values(VERBS).map((verb) => [usage(verb), verb.summary]),
    ...Object.entries(REPL_WORDS).map(([word, summary]) => [word === 'help' ? 'help [VERB]' : word, summary]),
  ]
  const lines = rows.map(([synopsis, summary]) => `${synopsis}\n    ${summary}`)
  const head = topic === undefined ? 'Verbs (the same as the shell\'s: mpool VERB ...):' : `no verb ${JSON.stringify(topic)}; the verbs are:`
  return [head, ...lines].join('\n')
}

/** isSkipped -- a blank line or a `#` comment. */
export function isSkipped(line: string): boolean {
  const text = line.trim()
  return text === '' || text.startsWith('#')
}

/** pageOf -- the page a verb's result is about, if it names one. */
function pageOf(result: unknown): number | null {
  if (typeof result !== 'object' || result === null) return null
  const pgno = (result as {pgno?: unknown}).pgno
  return typeof pgno === 'number' ? pgno : null
}

/** createDispatcher -- a Dispatcher for lines on `pool`, rendering with `color` (null: plain text). */
export function createDispatcher(pool: PoolHandle, options: {color?: Palette | null; format?: LineFormat} = {}): Dispatcher {
  return {
    completions: replCompletions(),
    async run(line: string): Promise<LineOutcome> {
      if (isSkipped(line)) return {kind: 'skip'}
      const [word, ...rest] = line.trim().split(/\s+/)
      if (word === 'quit' || word === 'exit') return {kind: 'quit'}
      if (word === 'help' || word === '?') return {kind: 'help', text: helpText(rest[0])}
      const ran = await runVerbLine(pool, line, {color: options.color ?? null, ...(options.format === undefined ? {} : {format: options.format})})
      const closed = ran.verb.name === 'close' ? (ran.result as {dirty: number[]; pinned: number[]}) : null
      return {
        kind: 'verb',
        verb: ran.verb.name,
        label: ran.label,
        text: ran.text,
        events: ran.events,
        pgno: pageOf(ran.result),
        closed: closed === null ? null : {dirty: closed.dirty, pinned: closed.pinned},
      }
    },
  }
}
