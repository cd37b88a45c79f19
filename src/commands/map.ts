/**
 * mpool map -- oclif's class for map (src/cli/commands/map-file.ts: the map verb plus --file).
 */
import {mapCommand} from '../cli/commands/map-file.js'
import {commandFor} from '../cli/oclif-command.js'

export default commandFor(mapCommand)
