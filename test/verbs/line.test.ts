import assert from 'node:assert/strict'
import {EXIT} from '../../src/common/exit-status.js'
import {parseVerbLine, runVerbLine, splitLine, usage, VerbLineError, VERBS} from '../../src/verbs/index.js'
import {SHELL_COMMANDS} from '../../src/cli/commands/index.js'
import Close from '../../src/commands/close.js'
import Delete from '../../src/commands/delete.js'
import Dump from '../../src/commands/dump.js'
import Get from '../../src/commands/get.js'
import MapCommand from '../../src/commands/map.js'
import New from '../../src/commands/new.js'
import Put from '../../src/commands/put.js'
import Stats from '../../src/commands/stats.js'
import Sync from '../../src/commands/sync.js'
import {PAGESIZE, verbHarness} from './harness.js'

describe('a verb line: splitting, parsing, errors, --json, one definition for shell and REPL', () => {
  const h = verbHarness('mpool-verbs-line-')

  it('splits lines as a shell does: quotes and backslashes, no variable expansion', () => {
    assert.deepEqual(splitLine(`put 3 --text 'hello world' --hex "de ad"`), ['put', '3', '--text', 'hello world', '--hex', 'de ad'])
    assert.deepEqual(splitLine('put 3 --text a\\ b'), ['put', '3', '--text', 'a b'])
    assert.deepEqual(splitLine('put 3 --text $HOME'), ['put', '3', '--text', '$HOME'])
    assert.deepEqual(splitLine('get 3 # a comment'), ['get', '3'])
    assert.deepEqual(splitLine(`put 3 --text "it's" # don't`), ['put', '3', '--text', "it's"])
    assert.deepEqual(splitLine('put 3 --text \\"'), ['put', '3', '--text', '"'])
    assert.throws(() => splitLine('put 1 --text "abc'), {message: 'the double quote is never closed: close it, or escape it with a backslash'})
    assert.throws(() => splitLine("put 1 --text 'a\\"), {message: 'the single quote is never closed: close it, or escape it with a backslash'})
  })

  it('rejects unknown verbs, missing and malformed arguments, conflicting flags and pipes as one line each', async () => {
    const stats = await h.pool().stats()
    await h.rejects('frobnicate 1', /unknown verb "frobnicate"; verbs: new, get, put/)
    await h.rejects('get', /get: missing PGNO/)
    await h.rejects('get seven', /the page number must be a whole number/)
    await h.rejects('get 4294967296', /from 0 to 4294967295/)
    await h.rejects('put 0 --text a --hex 00', /^put: --text and --hex cannot go together/)
    await h.rejects('get 0 --bogus', /^get: unknown flag --bogus: get takes --format, --decode, --page, --offset, --length, --json$/)
    await h.rejects('get 0 | head', /one verb a line: "\|"/)
    await h.rejects('', /an empty line/)
    assert.ok((await h.rejects('get 1 2', /^get: unexpected argument "2": get takes \[PGNO\]/)) instanceof VerbLineError)
    assert.deepEqual(await h.pool().stats(), stats)
  })

  it('refuses a page past the end before the pool sees it, in the one line every front end says, and passes the pool\'s own refusals through', async () => {
    const past = await h.rejects('get 4', /^page 4 is past the end of /)
    assert.equal(past.message, `page 4 is past the end of ${h.file()}: it has 4 pages of ${PAGESIZE} bytes (0 to 3); nothing was touched`)
    assert.equal((past as {exit?: number}).exit, EXIT.refused)
    assert.equal((await h.pool().stats()).pageget, 0, 'the pool was not asked')
    const err = await h.rejects('put 3', /not pinned/)
    assert.equal((err as {code?: string}).code, 'EINVAL')
  })

  it('gives JSON text for a line with --json', async () => {
    const {text} = await runVerbLine(h.pool(), 'new --json')
    assert.deepEqual(JSON.parse(text), {pgno: 4, offset: 4 * PAGESIZE})
  })

  it('describes every verb once, with a usage line for help and completion', async () => {
    assert.deepEqual(Object.keys(VERBS), ['new', 'get', 'put', 'delete', 'sync', 'stats', 'dump', 'map', 'close'])
    assert.equal(usage(VERBS.put), 'put PGNO [--dirty] [--offset N] [--text TEXT] [--hex HEX] [--fill BYTE] [--from FILE]')
    assert.equal(usage(VERBS.dump), 'dump [PGNO] [--diff] [--format LAYOUT] [--decode] [--page N] [--offset N] [--length N]')
    const {verb, parsed} = await parseVerbLine('put 0x10 --fill 255')
    assert.equal(verb, VERBS.put)
    assert.deepEqual(parsed.args, {pgno: 16})
    assert.equal(parsed.flags.fill, 255)
  })

  it('gives the shell commands the very definitions the REPL parses with, and oclif the same flags', async () => {
    const classes: Record<string, {args?: Record<string, unknown>; flags?: Record<string, unknown>; summary?: string}> = {new: New, get: Get, put: Put, delete: Delete, sync: Sync, stats: Stats, dump: Dump, map: MapCommand, close: Close}
    for (const [name, verb] of Object.entries(VERBS)) {
      const command = await SHELL_COMMANDS[name]()
      // mocha loads this file's imports as CommonJS and the table's loaders import ES modules:
      // the same definitions, compared field by field.
      const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
      for (const arg of Object.keys(verb.args)) assert.ok(same(command.args[arg], verb.args[arg]), `${name} ${arg}`)
      for (const flag of Object.keys(verb.flags)) assert.ok(same(command.flags[flag], verb.flags[flag]), `${name} --${flag}`)
      assert.equal(command.summary, verb.summary)
      assert.deepEqual(Object.keys(classes[name].flags ?? {}), Object.keys(command.flags), `${name}: oclif's flags`)
      assert.deepEqual(Object.keys(classes[name].args ?? {}), Object.keys(command.args), `${name}: oclif's args`)
      assert.equal(classes[name].summary, command.summary)
    }
  })
})
