/**
 * mpool put -- oclif's class for the put verb (src/verbs/put.ts), run by src/cli/shell.ts.
 */
import {putCommand} from '../cli/commands/verb-commands.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(putCommand)
