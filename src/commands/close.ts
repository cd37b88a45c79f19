/**
 * mpool close -- oclif's class for the close verb (src/verbs/close.ts), run by src/cli/shell.ts.
 */
import {closeCommand} from '../cli/commands/verb-commands.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(closeCommand)
