/**
 * mpool sync -- oclif's class for the sync verb (src/verbs/sync.ts), run by src/cli/shell.ts.
 */
import {syncCommand} from '../cli/commands/verb-commands.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(syncCommand)
