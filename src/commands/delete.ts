/*
 * mpool delete -- a thin command over the delete verb (src/verbs/delete.ts).
 */
import {PoolCommand} from '../cli/base.js'
import {deleteVerb as verb} from '../verbs/delete.js'

export default class Delete extends PoolCommand {
  static override args = verb.args
  static override description = verb.description
  static override examples = verb.examples
  static override flags = verb.flags
  static override summary = verb.summary

  async run() {
    return this.runVerb(verb)
  }
}
