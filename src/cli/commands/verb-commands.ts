/**
 * verb-commands -- the pool verbs that the shell runs exactly as the REPL does: their command is
 * the verb itself (verbCommand), with --key, --explain and --json.
 */
import {closeVerb} from '../../verbs/close.js'
import {deleteVerb} from '../../verbs/delete.js'
import {newVerb} from '../../verbs/new.js'
import {putVerb} from '../../verbs/put.js'
import {statsVerb} from '../../verbs/stats.js'
import {syncVerb} from '../../verbs/sync.js'
import {verbCommand} from '../shell.js'

export const newCommand = verbCommand(newVerb)
export const putCommand = verbCommand(putVerb)
export const deleteCommand = verbCommand(deleteVerb)
export const syncCommand = verbCommand(syncVerb)
export const statsCommand = verbCommand(statsVerb)
export const closeCommand = verbCommand(closeVerb)
