/*
 * mpool get -- the get verb (src/verbs/get.ts), plus --raw: the page's exact bytes on stdout.
 */
import {Flags} from '@oclif/core'
import {PoolCommand} from '../cli/base.js'
import {usageError} from '../common/exit-status.js'
import type {PageResult} from '../render/page.js'
import {getVerb as verb} from '../verbs/get.js'

export default class Get extends PoolCommand {
  static override args = verb.args
  static override description = `${verb.description} With --raw, writes the page's exact bytes to stdout instead (no header, no newline).`
  static override examples = verb.examples
  static override flags = {
    ...verb.flags,
    raw: Flags.boolean({description: "write the page's exact bytes to stdout (no header, no newline)", default: false}),
  }
  static override summary = verb.summary

  async run() {
    const {flags} = await this.parse(Get)
    if (flags.raw && this.jsonEnabled()) throw usageError('--raw and --json both want stdout: choose one')
    const print = flags.raw ? (result: PageResult) => process.stdout.write(Buffer.from(result.hex, 'hex')) : undefined
    return this.runVerb<PageResult>(verb, {...(print === undefined ? {} : {print}), narrateToStderr: flags.raw})
  }
}
