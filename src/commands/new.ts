/**
 * mpool new -- oclif's class for the new verb (src/verbs/new.ts), run by src/cli/shell.ts.
 */
import {newCommand} from '../cli/commands/verb-commands.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(newCommand)
