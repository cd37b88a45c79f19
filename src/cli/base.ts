/*
 * base -- what every mpool command shares: --json, one-line errors with documented exit
 * statuses, colour, and (for commands on a pool) --key, --explain and the way to reach the pool.
 *
 * Policy, each in a sentence:
 *  - Any error, expected or not, oclif's parse errors included, leaves as one line on stderr
 *    (`mpool VERB: message`) and the exit status of its class (src/common/exit-status.ts); with --json
 *    stdout also gets one document `{"error": {"code", "exit", "message"}}`. DEBUG=mpool (or
 *    DEBUG=*) adds the stack on stderr.
 *  - A pool is found by --key, else MPOOL_KEY, else as the only pool open (connectPool); it is
 *    detached when the command ends, whatever happened, so pins outlive the command but the
 *    connection does not.
 *  - The session layer is imported when a command first needs a pool, not before: `dump --file`
 *    and `--help` never load it.
 *  - --explain narrates the pool's events after the result, on stdout (into the JSON result as
 *    `explain` with --json); a command whose stdout is raw bytes sends it to stderr instead.
 */
import {Command, Flags, type Interfaces} from '@oclif/core'
import type {PoolHandle} from '../session/handle.js'
import {phrases, narrate} from '../render/narrate.js'
import type {Palette} from '../render/palette.js'
import {RecordingHandle} from '../verbs/recording.js'
import type {AnyVerb} from '../verbs/verb.js'
import {describeError, EXIT, ShellError, usageError} from '../common/exit-status.js'
import {paletteFor, quietEpipe, writeErr, writeOut} from './output.js'

/** The --key flag: a pool key, checked against the session's key rule when parsed. */
export function keyFlag(description: string) {
  return Flags.string({
    description,
    helpValue: 'KEY',
    parse: async (input) => {
      const {validateKey} = await import('../session/index.js')
      try {
        return validateKey(input)
      } catch (err) {
        throw usageError(`--key: ${(err as Error).message}`)
      }
    },
  })
}

/** The root of every command: JSON flag, error handling and output. */
export abstract class ShellCommand extends Command {
  static override enableJsonFlag = true

  private palette: Palette | null | undefined

  override async init(): Promise<void> {
    await super.init()
    quietEpipe()
  }

  /** color -- the palette for stdout (null: plain), decided once. */
  protected async color(): Promise<Palette | null> {
    if (this.palette === undefined) this.palette = await paletteFor(process.stdout)
    return this.palette
  }

  /** say -- text for people on stdout, unless --json. */
  protected say(text: string): void {
    if (!this.jsonEnabled()) writeOut(text)
  }

  /** catch -- every error becomes one line and its exit status (and one JSON document with --json). */
  override async catch(err: Interfaces.CommandError): Promise<never> {
    if ((err as {code?: unknown}).code === 'EEXIT') throw err // this.exit(): already decided
    const described = describeError(err)
    if (this.jsonEnabled()) this.logJson({error: described})
    writeErr(`mpool${this.id ? ` ${this.id.replaceAll(':', ' ')}` : ''}: ${described.message}`) // a topic's command, trace:gen, is typed `trace gen`
    const debug = process.env.DEBUG ?? ''
    if (/(^|,)\s*(\*|mpool\*?)\s*(,|$)/.test(debug) && err instanceof Error && err.stack) writeErr(err.stack)
    return this.exit(described.exit)
  }
}

/** A command that acts on an open pool: --key, --explain, connect, detach. */
export abstract class PoolCommand extends ShellCommand {
  static override baseFlags = {
    explain: Flags.boolean({description: "narrate what the pool did, in plain words (in --json: an 'explain' array)", default: false}),
    key: keyFlag('the pool to use (default: $MPOOL_KEY, else the only pool open)'),
    timeout: Flags.string({description: 'seconds to wait for the pool server on each call (default: $MPOOL_TIMEOUT, else 10)', helpValue: 'SECONDS'}),
  }

  private pool: PoolHandle | null = null
  private closed = false

  /** connect -- the pool named by `key`, MPOOL_KEY or the only pool open; exit 3 if there is none. */
  protected async connect(key: string | undefined, explain: boolean, timeout?: string): Promise<PoolHandle> {
    const {clientTimeout, connectPool, parseTimeout, pinHolder} = await import('../session/index.js')
    const holder = pinHolder([...(this.id ? [this.id] : []), ...this.argv])
    try {
      const timeoutMs = timeout === undefined ? clientTimeout() : parseTimeout(timeout, '--timeout')
      this.pool = await connectPool({...(key === undefined ? {} : {key}), explain, holder, timeoutMs})
    } catch (err) {
      const d = describeError(err)
      if (d.code === 'EINVAL') throw usageError(d.message) // e.g. a bad MPOOL_KEY
      // Each failure keeps its own class (an unsafe runtime directory is EACCES, exit 6, as for
      // open and ls); only what has no class of its own is "no pool".
      if (d.exit !== EXIT.internal) throw new ShellError(d.code, d.exit, d.message, {cause: err})
      throw new ShellError('ENOPOOL', EXIT.noPool, d.message, {cause: err})
    }
    return this.pool
  }

  /** closedPool -- the pool was closed by this command: nothing left to detach. */
  protected closedPool(): void {
    this.closed = true
  }

  /**
   * runVerb -- parse, connect, run `verb`, print its text (and --explain), and return its result
   * for oclif's --json. `rawOut` makes the verb's stdout raw bytes: narration goes to stderr.
   */
  protected async runVerb<R>(verb: AnyVerb, options: {print?: (result: R, color: Palette | null) => void; narrateToStderr?: boolean} = {}): Promise<R | (R & {explain: string[]})> {
    const {args, flags} = await this.parse()
    const pool = new RecordingHandle(await this.connect(flags.key as string | undefined, flags.explain === true, flags.timeout as string | undefined))
    const parsed = {args, flags}
    const result = (await verb.run(pool, parsed)) as R
    if (verb.name === 'close') this.closedPool()
    const json = this.jsonEnabled()
    if (!json) {
      const color = await this.color()
      if (options.print !== undefined) options.print(result, color)
      else writeOut(verb.render(result, {color}))
      if (flags.explain === true) {
        const line = narrate(verb.label(parsed), pool.events)
        if (options.narrateToStderr) writeErr(line)
        else writeOut(line)
      }
    }
    return flags.explain === true ? {...result, explain: phrases(pool.events)} : result
  }

  override async finally(err: Error | undefined): Promise<void> {
    const pool = this.pool
    this.pool = null
    if (pool !== null && !this.closed) {
      try {
        await pool.detach()
      } catch {
        // the pool went away under us: nothing to detach from
      }
    }
    await super.finally(err)
  }
}
