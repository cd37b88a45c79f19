/*
 * verb -- what one verb of the shell is, and the argument parsers verbs share.
 *
 * A verb is defined once, here in src/verbs, and used twice: the oclif command in
 * src/commands takes its args, flags, summary and examples as its own statics, and the REPL
 * parses its lines against the very same definitions with oclif's parser (runVerbLine). So
 * the shell and the REPL cannot drift apart.
 *
 * Policy: `run` makes the pool calls and returns a plain JSON-safe result (bytes as a hex
 * string); `render` turns that result into the text a person reads, coloured only when given a
 * palette. Neither prints, exits or knows which front end called it.
 */
import {Args, Flags, type Interfaces} from '@oclif/core'
import {MAX_PGNO} from '../pool/index.js'
import type {PoolHandle} from '../session/handle.js'
import type {Palette} from '../render/palette.js'
import {parseWhole} from '../common/numbers.js'

export {parseWhole}

/** What a render call may use: the palette, or null for plain text. */
export interface RenderOptions {
  color: Palette | null
}

/** A parsed command line, typed after the verb's own args and flags. */
export interface Parsed<A extends Interfaces.ArgInput, F extends Interfaces.FlagInput> {
  args: Interfaces.InferredArgs<A>
  flags: Interfaces.InferredFlags<F>
}

export interface Verb<A extends Interfaces.ArgInput = Interfaces.ArgInput, F extends Interfaces.FlagInput = Interfaces.FlagInput, R = unknown> {
  name: string
  /** one line for `mpool --help` and the REPL's help */
  summary: string
  description: string
  examples: string[]
  args: A
  flags: F
  /** how the call is named in narration, e.g. `get 7` */
  label(parsed: Parsed<A, F>): string
  run(pool: PoolHandle, parsed: Parsed<A, F>): Promise<R>
  render(result: R, options: RenderOptions): string
}

/** A verb of any args, flags and result: what tables of verbs hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyVerb = Verb<any, any, any>

/** defineVerb -- a verb, with its parsed args and flags typed from its definitions. */
export function defineVerb<A extends Interfaces.ArgInput, F extends Interfaces.FlagInput, R>(verb: Verb<A, F, R>): Verb<A, F, R> {
  return verb
}

/** The PGNO argument: a page number, 0 to 2^32 - 1, decimal or 0x hex. Call it: `pgnoArg({required: true})`. */
export const pgnoArg = Args.custom<number>({
  description: 'page number (0 is the first page; decimal or 0x hex)',
  parse: async (input) => parseWhole(input, 'the page number', 0, MAX_PGNO),
})

/**
 * wholeFlag -- a flag holding a whole number from `min` to `max`, written in decimal or 0x hex.
 * With a `default` the parsed value is a number, without one it may be undefined.
 */
export function wholeFlag<D extends number | undefined = undefined>(options: {
  name: string
  description: string
  min: number
  max: number
  default?: D
  helpValue?: string
}): Interfaces.OptionFlag<D extends number ? number : number | undefined> {
  const definition = Flags.custom<number>({
    description: options.description,
    helpValue: options.helpValue ?? 'N',
    parse: async (input) => parseWhole(input, `--${options.name}`, options.min, options.max),
    ...(options.default === undefined ? {} : {default: options.default}),
  })
  return definition() as Interfaces.OptionFlag<D extends number ? number : number | undefined>
}

/** labelPgno -- `verb pgno`, for narration. */
export function labelPgno(verb: string, pgno: number | undefined): string {
  return pgno === undefined ? verb : `${verb} ${pgno}`
}
