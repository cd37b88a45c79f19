/*
 * mpool sync -- a thin command over the sync verb (src/verbs/sync.ts).
 */
import {PoolCommand} from '../cli/base.js'
import {syncVerb as verb} from '../verbs/sync.js'

export default class Sync extends PoolCommand {
  static override args = verb.args
  static override description = verb.description
  static override examples = verb.examples
  static override flags = verb.flags
  static override summary = verb.summary

  async run() {
    return this.runVerb(verb)
  }
}
