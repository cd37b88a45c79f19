/**
 * mpool get -- oclif's class for get (src/cli/commands/get-raw.ts: the get verb plus --raw).
 */
import {getCommand} from '../cli/commands/get-raw.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(getCommand)
