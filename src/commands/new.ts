/*
 * mpool new -- a thin command over the new verb (src/verbs/new.ts).
 */
import {PoolCommand} from '../cli/base.js'
import {newVerb as verb} from '../verbs/new.js'

export default class New extends PoolCommand {
  static override args = verb.args
  static override description = verb.description
  static override examples = verb.examples
  static override flags = verb.flags
  static override summary = verb.summary

  async run() {
    return this.runVerb(verb)
  }
}
