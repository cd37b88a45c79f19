/**
 * mpool dump -- oclif's class for dump (src/cli/commands/dump-file.ts: the dump verb plus --file).
 */
import {dumpCommand} from '../cli/commands/dump-file.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(dumpCommand)
