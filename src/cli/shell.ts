/**
 * shell -- one `mpool VERB ...` call, run from its definition with no command framework loaded.
 *
 * A shell command is a ShellCommand record: what it takes (plain specs, src/verbs/spec.ts),
 * its help text, whether it acts on an open pool, and `run`. runShellCommand parses the words,
 * reaches the pool, runs, prints, and sets the exit status. bin/run.js calls it for every verb
 * through src/cli/light.ts; oclif's classes (src/cli/oclif-command.ts) are made from the same
 * records for help, the README and completion, and call the same function when oclif runs them.
 *
 * Policy, each in a sentence:
 *  - Any error, usage errors included, leaves as one line on stderr (`mpool VERB: message`)
 *    and the exit status of its class (src/common/exit-status.ts); with --json stdout also gets
 *    one document `{"error": {"code", "exit", "message"}}`. DEBUG=mpool (or DEBUG=*) adds the
 *    stack on stderr.
 *  - With --json stdout gets exactly one document: the result (with `explain` under --explain).
 *  - A verb's note (new's SQLite page number beside the bare pgno) goes to stderr as
 *    `mpool VERB: note`, so that stdout stays the result a script reads.
 *  - A pool is found by --key, else MPOOL_KEY, else as the only pool open, and each call waits
 *    at most --timeout seconds (else $MPOOL_TIMEOUT, else 10) for its server; it is connected only
 *    when the command first asks for it, and detached when the command ends, whatever happened,
 *    so pins outlive the command but the connection does not.
 *  - The session layer is imported when a command first needs a pool, not before.
 *  - --explain narrates the pool's events after the result, on stdout (into the JSON result as
 *    `explain` with --json); a command whose stdout is raw bytes sends it to stderr instead.
 */
import {describeError, EXIT, ShellError, usageError} from '../common/exit-status.js'
import {narrate, phrases} from '../render/narrate.js'
import type {Palette} from '../render/palette.js'
import type {PoolHandle} from '../session/handle.js'
import {parseLine} from '../verbs/parse.js'
import {RecordingHandle} from '../verbs/recording.js'
import {booleanFlag, customFlag, stringFlag, type ArgSpecs, type ArgValues, type FlagSpecs, type FlagValues} from '../verbs/spec.js'
import type {AnyVerb, CommandText, RenderOptions} from '../verbs/verb.js'
import {paletteFor, quietEpipe, writeErr, writeOut, writeOutBytes} from './output.js'

/** --json: every command has it. */
export const JSON_FLAG = booleanFlag({description: 'Format output as json.'})

/** validKey -- a --key value checked against the session's key rule (a usage error if it breaks it). */
export async function validKey(input: string): Promise<string> {
  const {validateKey} = await import('../session/key.js')
  try {
    return validateKey(input)
  } catch (err) {
    throw usageError(`--key: ${(err as Error).message}`)
  }
}

/** keyFlag -- the --key flag: a pool key, checked when used (see validKey). */
export function keyFlag(description: string) {
  return customFlag<string>({description, helpValue: 'KEY', parse: (input) => input})
}

/** The flags every command on a pool has, beside its own. */
export const POOL_FLAGS = {
  explain: booleanFlag({description: "narrate what the pool did, in plain words (in --json: an 'explain' array)"}),
  key: keyFlag('the pool to use (default: $MPOOL_KEY, else the only pool open)'),
  timeout: stringFlag({description: 'seconds to wait for the pool server on each call (default: $MPOOL_TIMEOUT, else 10)', helpValue: 'SECONDS'}),
} as const

/** What a command's run is given: the pool on demand, output helpers, and the line's mode. */
export interface Shell {
  /** --json: the result is printed as one JSON document, no text for people */
  readonly json: boolean
  /** the pool named by --key, MPOOL_KEY or the only one open (connected on first call); exit 3 if none */
  pool(): Promise<PoolHandle>
  /** the palette for stdout, or null for plain text */
  color(): Promise<Palette | null>
  /** what --explain says when the command touched no pool: the line for people, the phrases for --json */
  explainWithoutPool(line: string, phrases: string[]): void
  /** the command just closed the pool: nothing is left to detach */
  closedPool(): void
}

/** One shell command, defined once: the light entry runs it, oclif shows its help. */
export interface ShellCommand<A extends ArgSpecs = ArgSpecs, F extends FlagSpecs = FlagSpecs, R = unknown> extends CommandText<A, F> {
  /** true: acts on an open pool, and takes --key and --explain (POOL_FLAGS) */
  onPool: boolean
  /** how the call is named in --explain, e.g. `get 7` */
  label?(parsed: {args: ArgValues<A>; flags: FlagValues<F>}): string
  /** `flags` holds --key and --explain too, for a command on a pool */
  run(shell: Shell, parsed: {args: ArgValues<A>; flags: FlagValues<F> & Partial<FlagValues<typeof POOL_FLAGS>>}): Promise<R>
  /** the text for people (null: the command wrote its own output, e.g. raw bytes) */
  render(result: R, options: RenderOptions & {flags: FlagValues<F>}): string | null
  /** a line for people that is not the result (the verb's note), written on stderr as `mpool VERB: note` */
  note?(result: R): string | null
  /** --json's document as UTF-8 pieces, where the command lays it out itself (the verb's json) */
  json?(result: R, explain?: readonly string[]): Buffer[]
}

/** Any shell command, as tables of them hold them. */
// A table holds each command with its own types: `any` lets one table hold them all.
export type AnyShellCommand = ShellCommand<any, any, any>

/** defineCommand -- a shell command, its parsed args and flags typed from its definitions. */
export function defineCommand<A extends ArgSpecs, F extends FlagSpecs, R>(command: ShellCommand<A, F, R>): ShellCommand<A, F, R> {
  return command
}

/**
 * verbCommand -- the shell command of a pool verb (src/verbs): its args, flags and text, run
 * on the open pool. `extra` adds shell-only flags and wraps the run (get --raw, dump --file).
 */
export function verbCommand(verb: AnyVerb): AnyShellCommand {
  return defineCommand({
    name: verb.name,
    summary: verb.summary,
    description: verb.description,
    examples: verb.examples,
    args: verb.args,
    flags: verb.flags,
    onPool: true,
    label: (parsed) => verb.label(parsed),
    run: async (shell, parsed) => verb.run(await shell.pool(), parsed),
    render: (result, options) => verb.render(result, options),
    note: (result) => verb.note?.(result) ?? null,
    ...(verb.json === undefined ? {} : {json: (result, explain) => verb.json!(result, explain)}),
  })
}

/** allFlags -- a command's own flags, plus --key and --explain on a pool, plus --json. */
export function allFlags(command: AnyShellCommand): FlagSpecs {
  return {...command.flags, ...(command.onPool ? POOL_FLAGS : {}), json: JSON_FLAG}
}

/** isDebug -- DEBUG names mpool (or everything): show stacks. */
function isDebug(): boolean {
  return /(^|,)\s*(\*|mpool\*?)\s*(,|$)/.test(process.env.DEBUG ?? '')
}

/**
 * runShellCommand -- run `command` on the words after its name; resolves when it is done, with
 * process.exitCode set (0, or the failure's exit status). Never throws.
 */
export async function runShellCommand(command: AnyShellCommand, argv: readonly string[]): Promise<void> {
  quietEpipe()
  const json = argv.includes('--json') // before parsing, so that a parse error is reported as JSON too
  let connected: PoolHandle | null = null
  let recording: RecordingHandle | null = null
  let closed = false
  let palette: Palette | null | undefined
  let noPoolExplain: {line: string; phrases: string[]} | null = null
  let explain = false
  let key: string | undefined
  let timeout: string | undefined
  const shell: Shell = {
    json,
    async pool() {
      if (recording !== null) return recording
      const [{connectPool}, {pinHolder}, {clientTimeout, parseTimeout}] = await Promise.all([import('../session/pools.js'), import('../session/handle.js'), import('../session/deadline.js')])
      const holder = pinHolder([command.name, ...argv])
      try {
        const timeoutMs = timeout === undefined ? clientTimeout() : parseTimeout(timeout, '--timeout')
        connected = await connectPool({...(key === undefined ? {} : {key}), explain, holder, timeoutMs})
      } catch (err) {
        const d = describeError(err)
        if (d.code === 'EINVAL') throw usageError(d.message) // e.g. a bad MPOOL_KEY
        // Each failure keeps its own class (an unsafe runtime directory is EACCES, exit 6, as for
        // open and ls); only what has no class of its own is "no pool".
        if (d.exit !== EXIT.internal) throw new ShellError(d.code, d.exit, d.message, {cause: err})
        throw new ShellError('ENOPOOL', EXIT.noPool, d.message, {cause: err})
      }
      recording = new RecordingHandle(connected)
      return recording
    },
    async color() {
      if (palette === undefined) palette = await paletteFor(process.stdout)
      return palette
    },
    explainWithoutPool(line, list) {
      noPoolExplain = {line, phrases: list}
    },
    closedPool() {
      closed = true
    },
  }
  try {
    const parsed = parseLine(command.name, argv, {args: command.args, flags: allFlags(command)})
    const {json: _json, ...flags} = parsed.flags
    explain = flags.explain === true
    if (typeof flags.key === 'string') key = await validKey(flags.key)
    if (typeof flags.timeout === 'string') timeout = flags.timeout
    const line = {args: parsed.args, flags}
    const result = await command.run(shell, line)
    if (command.name === 'close') closed = true
    const events = recording === null ? [] : (recording as RecordingHandle).events
    const told = noPoolExplain as {line: string; phrases: string[]} | null
    if (json) {
      const explained = explain ? (told?.phrases ?? phrases(events)) : undefined
      if (command.json !== undefined) writeOutBytes(command.json(result, explained))
      else writeOut(JSON.stringify(explained === undefined ? result : {...(result as object), explain: explained}, null, 2))
    } else {
      const text = command.render(result, {color: await shell.color(), flags})
      if (text !== null) writeOut(text)
      const note = command.note?.(result) ?? null
      if (note !== null) writeErr(`mpool ${command.name}: ${note}`)
      if (explain) {
        const narration = told?.line ?? narrate(command.label?.(line) ?? command.name, events)
        if (text === null) writeErr(narration) // stdout carries raw bytes
        else writeOut(narration)
      }
    }
    process.exitCode = EXIT.ok
  } catch (err) {
    const described = describeError(err)
    if (json) writeOut(JSON.stringify({error: described}, null, 2))
    writeErr(`mpool ${command.name}: ${described.message}`)
    if (isDebug() && err instanceof Error && err.stack) writeErr(err.stack)
    process.exitCode = described.exit
  } finally {
    const pool = connected as PoolHandle | null
    if (pool !== null && !closed) {
      try {
        await pool.detach()
      } catch {
        // the pool went away under us: nothing to detach from
      }
    }
  }
}
