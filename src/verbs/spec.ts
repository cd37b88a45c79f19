/**
 * spec -- a verb's arguments and flags as plain data, free of any command framework.
 *
 * A shell runs `mpool get 3` in loops, and loading oclif alone costs more than a bare
 * `node -e 0`. So a verb says what it takes in these small records, which the light parser
 * (parse.ts) reads in a few microseconds; oclif, loaded only for help, docs and completion,
 * gets the same records turned into its own flags (src/cli/oclif-command.ts). One definition,
 * read by the shell, the REPL, help and completion alike.
 *
 * Policy, each in a sentence:
 *  - A flag is `boolean` (present or not; default false) or `option` (takes one value, parsed
 *    by `parse` if given, else kept as the string).
 *  - A flag or an argument with a default (or `required`) is always set; one without may be
 *    undefined, and the types say so.
 *  - `parse` throws a usage error (exit 2) naming what was wrong; it is given the name to use
 *    in that message (`--offset`, `the page number`).
 */

/** One flag of a verb. `D` says whether the parsed value is always set. */
export interface FlagSpec<T = unknown, D extends boolean = boolean> {
  readonly type: 'boolean' | 'option'
  readonly description: string
  /** the value's name in help: `--offset N` */
  readonly helpValue?: string
  readonly default?: T
  /** the flags this one may not be given with */
  readonly exclusive?: readonly string[]
  /** the only values allowed */
  readonly options?: readonly string[]
  /** text to value; throws a usage error naming `what` */
  readonly parse?: (input: string, what: string) => T
  /** type-level only: whether the value is always set */
  readonly always?: D
}

/** One positional argument of a verb. */
export interface ArgSpec<T = unknown, R extends boolean = boolean> {
  readonly description: string
  readonly required?: R
  /** what to call it in messages, e.g. `the page number` */
  readonly what?: string
  readonly parse?: (input: string, what: string) => T
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>
export type ArgSpecs = Readonly<Record<string, ArgSpec>>

/** The parsed flags, typed after their specs. */
export type FlagValues<F> = {[K in keyof F]: F[K] extends FlagSpec<infer T, infer D> ? (D extends true ? T : T | undefined) : never}
/** The parsed arguments, typed after their specs. */
export type ArgValues<A> = {[K in keyof A]: A[K] extends ArgSpec<infer T, infer R> ? (R extends true ? T : T | undefined) : never}

/** Options every flag kind takes. */
interface Common {
  description: string
  helpValue?: string
  exclusive?: readonly string[]
}

/** booleanFlag -- a flag that is present or not (default false). */
export function booleanFlag(options: {description: string; exclusive?: readonly string[]}): FlagSpec<boolean, true> {
  return {type: 'boolean', default: false, ...options}
}

/** stringFlag -- a flag that takes a text value, optionally one of `options`. */
export function stringFlag(options: Common & {options?: readonly string[]}): FlagSpec<string, false> {
  return {type: 'option', ...options}
}

/** customFlag -- a flag whose value `parse` turns into a T; with a default it is always set. */
export function customFlag<T>(options: Common & {parse: (input: string, what: string) => T; default: T}): FlagSpec<T, true>
export function customFlag<T>(options: Common & {parse: (input: string, what: string) => T}): FlagSpec<T, false>
export function customFlag<T>(options: Common & {parse: (input: string, what: string) => T; default?: T}): FlagSpec<T> {
  return {type: 'option', ...options}
}

/** stringArg -- a positional argument kept as written. */
export function stringArg(options: {description: string; required: true}): ArgSpec<string, true>
export function stringArg(options: {description: string; required?: false}): ArgSpec<string, false>
export function stringArg(options: {description: string; required?: boolean}): ArgSpec<string> {
  return {...options}
}
