/**
 * mpool stats -- oclif's class for the stats verb (src/verbs/stats.ts), run by src/cli/shell.ts.
 */
import {statsCommand} from '../cli/commands/verb-commands.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(statsCommand)
