/**
 * help -- oclif's help, unchanged, that also keeps each command's text for the light entry.
 *
 * package.json names this class as oclif's helpClass, so every help oclif prints (`mpool help
 * get`, `mpool get --help`) is rendered by @oclif/core's own Help, and the text it printed for a
 * command is saved (help-cache.ts) under the key of the conditions it was printed under. A
 * later `mpool get --help` under the same key is printed from that text by light.ts without
 * loading oclif. Saved only where this process's key is the one oclif used (its width and its
 * config directory agree, oclif's own help options, no flag default computed at run time).
 */
import {Command, Help, Interfaces} from '@oclif/core'
import {format} from 'node:util'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {configDir, helpKey, helpWidth, saveHelp} from './help-cache.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export default class MpoolHelp extends Help {
  /** what this.log printed since showCommandHelp began, one entry a line; null while not capturing */
  private printed: string[] | null = null

  constructor(config: Interfaces.Config, options: Partial<Interfaces.HelpOptions> = {}) {
    super(config, options)
  }

  /** log -- print as oclif does (a line through console.log), and remember the line. */
  protected override log(...args: string[]): void {
    this.printed?.push(format(...args))
    super.log(...args)
  }

  /** showCommandHelp -- oclif's help of `command`, then the same text saved for the light entry. */
  override async showCommandHelp(command: Command.Loadable): Promise<void> {
    this.printed = []
    try {
      await super.showCommandHelp(command)
      if (this.keepable(command)) saveHelp(ROOT, helpKey(ROOT, command.id), this.printed.map((line) => `${line}\n`).join(''))
    } finally {
      this.printed = null
    }
  }

  /** keepable -- the text just printed is what a light `COMMAND --help` here would be given. */
  private keepable(command: Command.Loadable): boolean {
    const own = this.config.pjson.oclif.helpOptions ?? {}
    const options = Object.keys(this.opts).filter((name) => name !== 'maxWidth' && !Object.hasOwn(own, name))
    return (
      /^[a-z][a-z0-9-]{0,31}$/.test(command.id) &&
      command.hasDynamicHelp !== true &&
      options.length === 0 &&
      this.opts.maxWidth === helpWidth() &&
      this.config.configDir === configDir()
    )
  }
}
