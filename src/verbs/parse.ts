/**
 * parse -- a verb's command line (`3 --text hi --offset 16`) read against its specs (spec.ts).
 *
 * The words are split into flags and positionals by node:util's parseArgs (part of Node: it
 * costs nothing to load), in its lenient mode, so that every mistake reaches this module as a
 * token and is told in the shell's own words, one line each, as a usage error (exit 2):
 *
 *   unknown flag --bogus: get takes --raw, --json, --key, --explain (did you mean --raw?)
 *   unexpected argument "2": get takes PGNO; see mpool get --help
 *   missing PGNO: page number (0 is the first page; decimal or 0x hex)
 *   --text and --hex cannot go together: give one of them
 *
 * Policy, each in a sentence:
 *  - `--flag value` and `--flag=value` both work; a value that starts with `--` is taken as a
 *    forgotten value, not as the value; `-5` is a value (and its parse says it is negative).
 *  - A flag given twice is refused rather than quietly taking the last.
 *  - `--` ends the flags: what follows is positional.
 *  - Every rule is checked before any value is used, and nothing here touches a pool.
 */
import {parseArgs} from 'node:util'
import {usageError} from '../common/exit-status.js'
import {closest} from '../common/suggest.js'
import type {ArgSpecs, FlagSpecs} from './spec.js'

/** A command line read against specs: values by name. */
export interface ParsedLine {
  args: Record<string, unknown>
  flags: Record<string, unknown>
}

/** flagList -- `--raw, --json, --key` for messages. */
function flagList(flags: FlagSpecs): string {
  const names = Object.keys(flags).map((n) => `--${n}`)
  return names.length === 0 ? 'no flags' : names.join(', ')
}

/** argList -- `PGNO` or `[PGNO]` for messages; `none` for a verb that takes no argument. */
function argList(args: ArgSpecs): string {
  const names = Object.entries(args).map(([n, a]) => (a.required === true ? n.toUpperCase() : `[${n.toUpperCase()}]`))
  return names.length === 0 ? 'none' : names.join(' ')
}

type ParseArgsOptions = Record<string, {type: 'boolean' | 'string'}>
const OPTIONS = new WeakMap<FlagSpecs, ParseArgsOptions>()

/** parseArgsOptions -- parseArgs' options for a table of flags, made once per table (a piped script parses thousands of lines). */
function parseArgsOptions(flags: FlagSpecs): ParseArgsOptions {
  let options = OPTIONS.get(flags)
  if (options === undefined) {
    options = Object.fromEntries(Object.entries(flags).map(([n, f]) => [n, {type: f.type === 'boolean' ? ('boolean' as const) : ('string' as const)}]))
    OPTIONS.set(flags, options)
  }
  return options
}

/**
 * parseLine -- `argv` read against `args` and `flags` for the verb `name`. Every flag is in the
 * result (booleans false, others their default or undefined); arguments are parsed in order.
 * @throws a usage error (ShellError, exit 2) with one line saying what was wrong.
 */
export function parseLine(name: string, argv: readonly string[], specs: {args: ArgSpecs; flags: FlagSpecs}): ParsedLine {
  const given = new Map<string, string | true>()
  const positionals: string[] = []
  // Words with no dash at all are positionals to parseArgs, every one: such a line (`get 3`,
  // most of a piped script) skips it, which was a tenth of a script's time.
  const plain = !argv.some((word) => word.startsWith('-'))
  const tokens = plain ? [] : parseArgs({args: [...argv], options: parseArgsOptions(specs.flags), strict: false, allowPositionals: true, tokens: true}).tokens
  if (plain) positionals.push(...argv)
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value)
    if (token.kind !== 'option') continue
    const word = argv[token.index]
    if (/^-\d/.test(word)) throw usageError(`page numbers and counts are 0 or more, not ${word}`)
    const flag = Object.hasOwn(specs.flags, token.name) ? specs.flags[token.name] : undefined
    if (flag === undefined) {
      const near = closest(token.rawName, Object.keys(specs.flags).map((n) => `--${n}`))
      throw usageError(`unknown flag ${token.rawName}: ${name} takes ${flagList(specs.flags)}${near === null ? '' : ` (did you mean ${near}?)`}`)
    }
    if (given.has(token.name)) throw usageError(`--${token.name} is given twice: give it once`)
    if (flag.type === 'boolean') {
      if (token.value !== undefined) throw usageError(`--${token.name} takes no value (it is on or off), not ${JSON.stringify(token.value)}`)
      given.set(token.name, true)
    } else {
      const value = token.value
      if (value === undefined || (!token.inlineValue && value.startsWith('--'))) throw usageError(`--${token.name} needs a value: --${token.name} ${flag.helpValue ?? 'VALUE'}`)
      given.set(token.name, value)
    }
  }
  for (const n of given.keys()) {
    for (const other of specs.flags[n].exclusive ?? []) {
      if (given.has(other)) throw usageError(`--${n} and --${other} cannot go together: give one of them`)
    }
  }
  const names = Object.keys(specs.args)
  if (positionals.length > names.length) {
    throw usageError(`unexpected argument "${positionals[names.length]}": ${name} takes ${argList(specs.args)}; see mpool ${name} --help`)
  }
  const args: Record<string, unknown> = {}
  names.forEach((n, i) => {
    const arg = specs.args[n]
    const input = positionals[i]
    if (input === undefined) {
      if (arg.required === true) throw usageError(`missing ${n.toUpperCase()}: ${arg.description}`)
      args[n] = undefined
    } else {
      args[n] = arg.parse === undefined ? input : arg.parse(input, arg.what ?? n.toUpperCase())
    }
  })
  const flags: Record<string, unknown> = {}
  for (const [n, flag] of Object.entries(specs.flags)) {
    const value = given.get(n)
    if (value === undefined) flags[n] = flag.default
    else if (value === true) flags[n] = true
    else {
      if (flag.options !== undefined && !flag.options.includes(value)) throw usageError(`--${n} must be one of ${flag.options.join(', ')}, not ${JSON.stringify(value)}`)
      flags[n] = flag.parse === undefined ? value : flag.parse(value, `--${n}`)
    }
  }
  return {args, flags}
}
