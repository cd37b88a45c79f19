/**
 * not-found-hook -- oclif's command_not_found hook: an unknown command, or a command given words
 * it does not take (`mpool sync now` reaches oclif as the command id `sync:now`), leaves as one
 * line and exit 2, like every other usage error, and as one JSON document with --json.
 *
 * Policy: a mistyped command gets the nearest one as a suggestion (`mpool gte 0`: "did you mean
 * get?", src/common/suggest.ts); a word like no command gets the list of commands instead.
 * Hidden commands are neither suggested nor listed.
 */
import type {Hook} from '@oclif/core'
import {EXIT} from '../common/exit-status.js'
import {closest} from '../common/suggest.js'

const hook: Hook<'command_not_found'> = async function (options) {
  const words = options.id.split(':')
  const ids = options.config.commandIDs
  let known = ''
  for (let n = words.length - 1; n > 0 && known === ''; n--) {
    const candidate = words.slice(0, n).join(':')
    if (ids.includes(candidate)) known = candidate
  }
  const shown = options.config.commands.filter((c) => !c.hidden).map((c) => c.id.replaceAll(':', ' ')).sort()
  const near = closest(words[0], shown.filter((id) => !id.includes(' ')))
  const message =
    known !== ''
      ? `unexpected argument "${words.slice(known.split(':').length).join(' ')}": ${known.replaceAll(':', ' ')} takes none; see mpool ${known.replaceAll(':', ' ')} --help`
      : near !== null
        ? `unknown command "${words[0]}": did you mean ${near}? (see mpool --help)`
        : `unknown command "${words.join(' ')}"; the commands are ${shown.join(', ')} (see mpool --help)`
  if ((options.argv ?? []).includes('--json')) {
    process.stdout.write(`${JSON.stringify({error: {code: 'EUSAGE', exit: EXIT.usage, message}}, null, 2)}\n`)
  }
  process.stderr.write(`mpool${known === '' ? '' : ` ${known.replaceAll(':', ' ')}`}: ${message}\n`)
  this.exit(EXIT.usage)
}

export default hook
