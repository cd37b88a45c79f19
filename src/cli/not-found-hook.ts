/*
 * not-found-hook -- oclif's command_not_found hook: an unknown command, or a command given words
 * it does not take (`mpool sync now` reaches oclif as the command id `sync:now`), leaves as one
 * line and exit 2, like every other usage error, and as one JSON document with --json.
 */
import type {Hook} from '@oclif/core'
import {EXIT} from '../common/exit-status.js'

const hook: Hook<'command_not_found'> = async function (options) {
  const words = options.id.split(':')
  const ids = options.config.commandIDs
  let known = ''
  for (let n = words.length - 1; n > 0 && known === ''; n--) {
    const candidate = words.slice(0, n).join(':')
    if (ids.includes(candidate)) known = candidate
  }
  const message =
    known === ''
      ? `unknown command "${words.join(' ')}"; the commands are ${[...ids].sort().map((id) => id.replaceAll(':', ' ')).join(', ')} (see mpool --help)`
      : `unexpected argument "${words.slice(known.split(':').length).join(' ')}": ${known.replaceAll(':', ' ')} takes none; see mpool ${known.replaceAll(':', ' ')} --help`
  if ((options.argv ?? []).includes('--json')) {
    process.stdout.write(`${JSON.stringify({error: {code: 'EUSAGE', exit: EXIT.usage, message}}, null, 2)}\n`)
  }
  process.stderr.write(`mpool${known === '' ? '' : ` ${known.replaceAll(':', ' ')}`}: ${message}\n`)
  this.exit(EXIT.usage)
}

export default hook
