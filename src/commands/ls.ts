/**
 * mpool ls -- oclif's class for ls (src/cli/commands/ls.ts).
 */
import {lsCommand} from '../cli/commands/ls.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(lsCommand)
