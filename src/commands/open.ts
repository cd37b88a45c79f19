/**
 * mpool open -- oclif's class for open (src/cli/commands/open.ts).
 */
import {openCommand} from '../cli/commands/open.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(openCommand)
