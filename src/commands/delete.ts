/**
 * mpool delete -- oclif's class for the delete verb (src/verbs/delete.ts), run by src/cli/shell.ts.
 */
import {deleteCommand} from '../cli/commands/verb-commands.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(deleteCommand)
