/*
 * mpool stats -- a thin command over the stats verb (src/verbs/stats.ts).
 */
import {PoolCommand} from '../cli/base.js'
import {statsVerb as verb} from '../verbs/stats.js'

export default class Stats extends PoolCommand {
  static override args = verb.args
  static override description = verb.description
  static override examples = verb.examples
  static override flags = verb.flags
  static override summary = verb.summary

  async run() {
    return this.runVerb(verb)
  }
}
