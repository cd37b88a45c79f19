/*
 * mpool close -- a thin command over the close verb (src/verbs/close.ts).
 */
import {PoolCommand} from '../cli/base.js'
import {closeVerb as verb} from '../verbs/close.js'

export default class Close extends PoolCommand {
  static override args = verb.args
  static override description = verb.description
  static override examples = verb.examples
  static override flags = verb.flags
  static override summary = verb.summary

  async run() {
    return this.runVerb(verb)
  }
}
