/**
 * verb -- what one verb of the shell is, and the argument parsers verbs share.
 *
 * A verb is defined once, here in src/verbs, as plain data (spec.ts) and two functions, and
 * used by every front end: the shell's light entry (src/cli/light.ts) parses `mpool get 3`
 * against it without loading any framework, the REPL parses its lines against the very same
 * definitions (runVerbLine), and oclif gets them turned into its own flags for help, the
 * README's command reference and completion. So the shell and the REPL cannot drift apart,
 * and a new flag is written in one place: the verb's `flags`.
 *
 * Policy: `run` makes the pool calls and returns a plain JSON-safe result (bytes as a hex
 * string); `render` turns that result into the text a person reads, coloured only when given a
 * palette. Neither prints, exits or knows which front end called it.
 */
import {MAX_PGNO, MPoolError} from '../pool/index.js'
import {inFormatTerms} from '../render/page-names.js'
import type {PoolHandle} from '../session/handle.js'
import type {Palette} from '../render/palette.js'
import {parseWhole} from '../common/numbers.js'
import {customFlag, type ArgSpec, type ArgSpecs, type ArgValues, type FlagSpec, type FlagSpecs, type FlagValues} from './spec.js'

export {parseWhole}

/** What a render call may use: the palette, or null for plain text; the parsed flags, for text a flag shapes (--format). */
export interface RenderOptions {
  color: Palette | null
  flags?: Readonly<Record<string, unknown>>
}

/** A parsed command line, typed after the verb's own args and flags. */
export interface Parsed<A extends ArgSpecs, F extends FlagSpecs> {
  args: ArgValues<A>
  flags: FlagValues<F>
}

/** What a command says of itself, for help, the manifest and completion: a verb and a shell command alike. */
export interface CommandText<A extends ArgSpecs, F extends FlagSpecs> {
  /** as typed after `mpool`: `get`, `trace gen` */
  name: string
  /** one line for `mpool --help` and the REPL's help */
  summary: string
  description: string
  examples: string[]
  args: A
  flags: F
}

export interface Verb<A extends ArgSpecs = ArgSpecs, F extends FlagSpecs = FlagSpecs, R = unknown> extends CommandText<A, F> {
  /** how the call is named in narration, e.g. `get 7` */
  label(parsed: Parsed<A, F>): string
  run(pool: PoolHandle, parsed: Parsed<A, F>): Promise<R>
  render(result: R, options: RenderOptions): string
  /**
   * --json's document, for a verb that lays it out itself (map: one page a line), with --explain's
   * phrases last where given: its UTF-8 bytes in pieces, in order (a large map's are written as
   * made, not copied into one). Without it the document is JSON.stringify's, indented.
   */
  json?(result: R, explain?: readonly string[]): Buffer[]
  /**
   * A line for people beside the result that a script reading the result must not get (new's
   * SQLite page number beside the bare pgno): the shell writes it on stderr, the REPL after the
   * text; --json has it in the result's own fields instead. null: nothing to say.
   */
  note?(result: R): string | null
}

/** A verb of any args, flags and result: what tables of verbs hold (each verb keeps its own types). */
export type AnyVerb = Verb<any, any, any>

/**
 * defineVerb -- a verb, with its parsed args and flags typed from its definitions. An engine
 * error about a page leaves its run with the page named in the file format's terms too
 * (`cannot get pgno 20 = SQLite page 21: ...`), whichever verb and front end ran it.
 */
export function defineVerb<A extends ArgSpecs, F extends FlagSpecs, R>(verb: Verb<A, F, R>): Verb<A, F, R> {
  const run = verb.run
  return {
    ...verb,
    async run(pool, parsed) {
      try {
        return await run(pool, parsed)
      } catch (err) {
        throw await namedInFormat(err, pool)
      }
    },
  }
}

/** namedInFormat -- an error about a page, reworded with the pool's format numbering (asked only then). */
async function namedInFormat(err: unknown, pool: PoolHandle): Promise<unknown> {
  if (!(err instanceof MPoolError) || err.pgno === undefined) return err
  const format = await pool.layout().then(
    (info) => info.format ?? null,
    () => null, // the pool is gone: the error says so in its own words
  )
  return inFormatTerms(err, format)
}

/** pgnoArg -- the PGNO argument: a page number, 0 to 2^32 - 1, decimal or 0x hex. */
export function pgnoArg(options: {required: true; description?: string}): ArgSpec<number, true>
export function pgnoArg(options?: {required?: false; description?: string}): ArgSpec<number, false>
export function pgnoArg(options: {required?: boolean; description?: string} = {}): ArgSpec<number> {
  return {
    description: options.description ?? 'page number (0 is the first page; decimal or 0x hex)',
    required: options.required === true,
    what: 'the page number',
    parse: (input, what) => parseWhole(input, what, 0, MAX_PGNO),
  }
}

/**
 * wholeFlag -- a flag holding a whole number from `min` to `max`, written in decimal or 0x hex.
 * With a `default` the parsed value is a number, without one it may be undefined.
 */
export function wholeFlag(options: {description: string; min: number; max: number; default: number; helpValue?: string; exclusive?: readonly string[]}): FlagSpec<number, true>
export function wholeFlag(options: {description: string; min: number; max: number; helpValue?: string; exclusive?: readonly string[]}): FlagSpec<number, false>
export function wholeFlag(options: {description: string; min: number; max: number; default?: number; helpValue?: string; exclusive?: readonly string[]}): FlagSpec<number> {
  const {min, max, ...rest} = options
  return customFlag<number>({helpValue: 'N', ...rest, parse: (input, what) => parseWhole(input, what, min, max)})
}

/** labelPgno -- `verb pgno`, for narration. */
export function labelPgno(verb: string, pgno: number | undefined): string {
  return pgno === undefined ? verb : `${verb} ${pgno}`
}
