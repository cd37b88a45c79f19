/**
 * base -- the base of the commands still written as oclif classes (repl, replay, trace gen):
 * --json, one-line errors with documented exit statuses, colour. The verbs are not written
 * this way: they are plain definitions run by src/cli/shell.ts (see src/cli/light.ts).
 *
 * Policy, each in a sentence:
 *  - Any error, expected or not, oclif's parse errors included, leaves as one line on stderr
 *    (`mpool VERB: message`) and the exit status of its class (src/common/exit-status.ts); with --json
 *    stdout also gets one document `{"error": {"code", "exit", "message"}}`. DEBUG=mpool (or
 *    DEBUG=*) adds the stack on stderr.
 */
import {Command, Flags, type Interfaces} from '@oclif/core'
import type {Palette} from '../render/palette.js'
import {wholeFlag as wholeSpec} from '../verbs/verb.js'
import {describeError} from '../common/exit-status.js'
import {paletteFor, quietEpipe, writeErr, writeOut} from './output.js'
import {oclifFlag} from './oclif-command.js'
import {validKey} from './shell.js'

/** keyFlag -- the --key flag as oclif's: a pool key, checked against the session's key rule when parsed. */
export function keyFlag(description: string) {
  return Flags.string({description, helpValue: 'KEY', parse: validKey})
}

/**
 * wholeFlag -- an oclif flag holding a whole number from `min` to `max`, in decimal or 0x hex
 * (the plain spec of src/verbs/verb.ts, told in oclif's terms). With a `default` the value is
 * a number, without one it may be undefined.
 */
export function wholeFlag(options: {name: string; description: string; min: number; max: number; default: number; helpValue?: string}): Interfaces.OptionFlag<number>
export function wholeFlag(options: {name: string; description: string; min: number; max: number; helpValue?: string}): Interfaces.OptionFlag<number | undefined>
export function wholeFlag(options: {name: string; description: string; min: number; max: number; default?: number; helpValue?: string}): Interfaces.OptionFlag<number | undefined> {
  const {name, ...spec} = options
  return oclifFlag(name, wholeSpec(spec)) as Interfaces.OptionFlag<number | undefined>
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
