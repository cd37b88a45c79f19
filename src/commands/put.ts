/*
 * mpool put -- a thin command over the put verb (src/verbs/put.ts).
 */
import {PoolCommand} from '../cli/base.js'
import {putVerb as verb} from '../verbs/put.js'

export default class Put extends PoolCommand {
  static override args = verb.args
  static override description = verb.description
  static override examples = verb.examples
  static override flags = verb.flags
  static override summary = verb.summary

  async run() {
    return this.runVerb(verb)
  }
}
