import assert from 'node:assert/strict'
import {Errors, Flags, Parser} from '@oclif/core'
import {describeError, EXIT, oneLine, ShellError, usageError} from '../../src/common/exit-status.js'
import {MPoolError} from '../../src/pool/errors.js'
import {buildOnce, runCli} from '../helpers/cli.js'

describe('exit statuses', () => {
  it('are distinct for each class of failure', () => {
    assert.deepEqual(EXIT, {ok: 0, internal: 1, usage: 2, noPool: 3, refused: 4, busy: 5, file: 6, io: 7})
  })

  it('map the engine\'s codes: EINVAL refused, EBUSY busy, file codes, other fs codes I/O', () => {
    const exitOf = (code: string) => describeError(new MPoolError(code, `a ${code} error`)).exit
    assert.equal(exitOf('EINVAL'), EXIT.refused)
    assert.equal(exitOf('EBUSY'), EXIT.busy)
    for (const code of ['ENOENT', 'EISDIR', 'ESPIPE', 'EACCES', 'EFTYPE']) assert.equal(exitOf(code), EXIT.file, code)
    for (const code of ['EIO', 'ENOSPC', 'EBADF']) assert.equal(exitOf(code), EXIT.io, code)
    for (const code of ['EAMBIGUOUS', 'ECLOSED', 'ECONNRESET']) assert.equal(exitOf(code), EXIT.noPool, code)
  })

  it('make oclif\'s parse errors usage errors, told in one line', async () => {
    let caught: unknown
    await Parser.parse(['--count', 'x'], {flags: {count: Flags.integer()}, strict: true}).catch((err) => (caught = err))
    const d = describeError(caught)
    assert.equal(d.exit, EXIT.usage)
    assert.equal(d.code, 'EUSAGE')
    assert.ok(!d.message.includes('\n'))
    assert.equal(describeError(new Errors.CLIError('Missing 1 required arg:\npgno  page number\nSee more help with --help', {exit: 2})).message, 'missing PGNO: page number')
  })

  it('call anything unexpected internal (exit 1), still in one line', () => {
    const d = describeError(new TypeError('x is not a function\n    at nowhere'))
    assert.equal(d.exit, EXIT.internal)
    assert.match(d.message, /^internal error \(a bug, please report it\): x is not a function; at nowhere$/)
    assert.equal(describeError('a string').exit, EXIT.internal)
  })

  it('keep a shell error\'s own status and fold its lines', () => {
    assert.deepEqual(describeError(new ShellError('ENOPOOL', EXIT.noPool, 'no pool\nopen one')), {code: 'ENOPOOL', exit: EXIT.noPool, message: 'no pool; open one'})
    assert.equal(describeError(usageError('bad')).exit, EXIT.usage)
    assert.equal(oneLine('Parsing --pagesize\n\t--pagesize must be a whole number'), '--pagesize must be a whole number')
  })

  it('show the stack only when DEBUG asks for it', async function () {
    this.timeout(30_000)
    buildOnce()
    const plain = await runCli(['get', 'abc'])
    assert.equal(plain.status, EXIT.usage)
    assert.equal(plain.stderr.split('\n').length, 2)
    const debug = await runCli(['get', 'abc'], {env: {DEBUG: 'mpool'}})
    assert.equal(debug.status, EXIT.usage)
    assert.match(debug.stderr, /\n\s+at /)
  })
})
