/**
 * verbs -- the one command language of the shell and the REPL.
 *
 * VERBS maps each verb's name to its definition; the shell's commands take their args and flags
 * from it and the REPL runs lines through runVerbLine, which tokenizes like a shell
 * (shell-quote) and parses with the shell's own parser (parse.ts) against the same
 * definitions. A line that does not parse is rejected with a one-line message before the pool
 * is touched.
 */
import {parse as tokenize} from 'shell-quote'
import {describeError, oneLine} from '../common/exit-status.js'
import type {PoolEvent} from '../pool/index.js'
import type {Palette} from '../render/palette.js'
import {jsonLine} from '../render/page.js'
import type {PoolHandle} from '../session/handle.js'
import {closeVerb} from './close.js'
import {deleteVerb} from './delete.js'
import {dumpVerb} from './dump.js'
import {getVerb} from './get.js'
import {mapVerb} from './map.js'
import {newVerb} from './new.js'
import {parseLine} from './parse.js'
import {putVerb} from './put.js'
import {RecordingHandle} from './recording.js'
import {booleanFlag, type FlagSpecs} from './spec.js'
import {statsVerb} from './stats.js'
import {syncVerb} from './sync.js'
import type {AnyVerb} from './verb.js'

export {defineVerb, parseWhole, type AnyVerb, type Parsed, type RenderOptions, type Verb} from './verb.js'
export {parseLine, type ParsedLine} from './parse.js'
export {RecordingHandle} from './recording.js'

/** Every verb that acts on an open pool, by name, in the order help lists them. */
export const VERBS: Readonly<Record<string, AnyVerb>> = Object.freeze({
  new: newVerb,
  get: getVerb,
  put: putVerb,
  delete: deleteVerb,
  sync: syncVerb,
  stats: statsVerb,
  dump: dumpVerb,
  map: mapVerb,
  close: closeVerb,
})

/** --json on a REPL line: that line's result as JSON. */
const JSON_FLAG = booleanFlag({description: 'print the result as JSON'})

const LINE_FLAGS = new WeakMap<AnyVerb, FlagSpecs>()

/** lineFlags -- a verb's flags and --json, the table a REPL line is parsed against (made once per verb). */
function lineFlags(verb: AnyVerb): FlagSpecs {
  const known = LINE_FLAGS.get(verb)
  if (known !== undefined) return known
  const flags: FlagSpecs = {...verb.flags, json: JSON_FLAG}
  LINE_FLAGS.set(verb, flags)
  return flags
}

/** What one line did: the verb, its JSON-safe result, the text for people, the pool's events. */
export interface VerbLineResult {
  verb: AnyVerb
  result: unknown
  /** render(result), or the result as JSON when the line had --json */
  text: string
  events: PoolEvent[]
  /** the narration label, e.g. `get 7` (give it to narrate() with `events`) */
  label: string
}

/** An error from runVerbLine's parsing: one line, exit status 2 in the shell's terms. */
export class VerbLineError extends Error {
  readonly code = 'EUSAGE'
}

/* unclosedQuote -- the quote a line leaves open, as a shell reads it (shell-quote would quietly close it), or null. */
function unclosedQuote(line: string): string | null {
  let quote: string | null = null
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quote === "'") {
      if (ch === "'") quote = null
    } else if (ch === '\\') {
      i++ // the next character is taken as it is
    } else if (quote === '"') {
      if (ch === '"') quote = null
    } else if (ch === '"' || ch === "'") {
      quote = ch
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return null // a comment: the rest of the line is not read
    }
  }
  return quote === null ? null : quote === '"' ? 'double' : 'single'
}

/** A line with no quote, backslash, comment, variable, glob or operator: its words are what is between the blanks. */
const PLAIN_LINE = /^[\w\s.,:=+\-/@%^]*$/

/** splitLine -- a line split into words as a shell would (quotes, backslashes); no pipes, redirections or globs. */
export function splitLine(line: string): string[] {
  // Most lines (`get 3`, `put 3 --dirty`) have nothing a shell would treat specially: split them on blanks.
  if (PLAIN_LINE.test(line)) return line.split(/\s+/).filter((word) => word !== '')
  const open = unclosedQuote(line)
  if (open !== null) throw new VerbLineError(`the ${open} quote is never closed: close it, or escape it with a backslash`)
  let tokens: ReturnType<typeof tokenize>
  try {
    // Variables are not expanded: $X stays as written.
    tokens = tokenize(line, (name) => `$${name}`)
  } catch (err) {
    throw new VerbLineError(`cannot read the line: ${oneLine((err as Error).message)}`)
  }
  const words: string[] = []
  for (const token of tokens) {
    if (typeof token === 'string') words.push(token)
    else if ('comment' in token) break
    else if ('op' in token && token.op === 'glob') words.push(token.pattern)
    else throw new VerbLineError(`one verb a line: ${JSON.stringify('op' in token ? token.op : String(token))} is not understood here`)
  }
  return words
}

/**
 * parseVerbLine -- the verb and its parsed args and flags for a line such as `put 3 --text hi`,
 * with `--json` allowed. Throws VerbLineError (one line) for an unknown verb or a bad command line.
 */
export async function parseVerbLine(line: string): Promise<{verb: AnyVerb; parsed: {args: Record<string, unknown>; flags: Record<string, unknown>}; json: boolean}> {
  const [name, ...argv] = splitLine(line)
  if (name === undefined) throw new VerbLineError('an empty line: type a verb, e.g. get 0')
  const verb = Object.hasOwn(VERBS, name) ? VERBS[name] : undefined
  if (verb === undefined) throw new VerbLineError(`unknown verb ${JSON.stringify(name)}; verbs: ${Object.keys(VERBS).join(', ')}`)
  try {
    const {args, flags} = parseLine(name, argv, {args: verb.args, flags: lineFlags(verb)})
    const {json, ...rest} = flags
    return {verb, parsed: {args, flags: rest}, json: json === true}
  } catch (err) {
    throw new VerbLineError(`${name}: ${describeError(err).message}`)
  }
}

/**
 * How runVerbLine gives a line's result: `text` for people (or the JSON a line's own --json
 * asks for), `json-lines` as one line of JSON whatever the line says (`mpool repl --json`),
 * `none` not at all (`mpool repl --quiet`): a script that wants no text pays for none.
 */
export type LineFormat = 'text' | 'json-lines' | 'none'

/**
 * runVerbLine -- parse one line against VERBS and run it on `pool`. Resolves to the verb, its
 * result, the text to show and the events it caused; rejects with a one-line error (a
 * VerbLineError for the line itself, the pool's MPoolError for a refused call).
 */
export async function runVerbLine(pool: PoolHandle, line: string, options: {color?: Palette | null; format?: LineFormat} = {}): Promise<VerbLineResult> {
  const {verb, parsed, json} = await parseVerbLine(line)
  const recording = new RecordingHandle(pool)
  try {
    const result = await verb.run(recording, parsed)
    const format = options.format ?? 'text'
    const text =
      format === 'json-lines' ? jsonLine(result) : format === 'none' ? '' : json ? (verb.json === undefined ? JSON.stringify(result, null, 2) : Buffer.concat(verb.json(result)).toString()) : withNote(verb.render(result, {color: options.color ?? null, flags: parsed.flags}), verb.note?.(result) ?? null)
    return {verb, result, text, events: recording.events, label: verb.label(parsed)}
  } catch (err) {
    if (err instanceof Error && (err as {code?: unknown}).code === 'EUSAGE') throw new VerbLineError(`${verb.name}: ${oneLine(err.message)}`)
    throw err
  }
}

/** withNote -- a line's text and, on the line after it, the verb's note (the REPL has no stderr of its own to put it on). */
function withNote(text: string, note: string | null): string {
  return note === null ? text : `${text}\n${note}`
}

/** usage -- `put PGNO [--dirty] ...`-style one-line synopsis of a verb, for help and completion. */
export function usage(verb: AnyVerb): string {
  const args = Object.entries(verb.args as Record<string, {required?: boolean}>).map(([n, a]) => (a.required ? n.toUpperCase() : `[${n.toUpperCase()}]`))
  const flags = Object.entries(verb.flags as Record<string, {type: string; helpValue?: string}>).map(([n, f]) => (f.type === 'boolean' ? `[--${n}]` : `[--${n} ${f.helpValue ?? 'VALUE'}]`))
  return [verb.name, ...args, ...flags].join(' ')
}

