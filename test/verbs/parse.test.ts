import assert from 'node:assert/strict'
import {parseLine} from '../../src/verbs/parse.js'
import {booleanFlag, stringArg, stringFlag} from '../../src/verbs/spec.js'
import {pgnoArg, wholeFlag} from '../../src/verbs/verb.js'

const SPECS = {
  args: {pgno: pgnoArg({required: true}), what: stringArg({description: 'a word'})},
  flags: {
    dirty: booleanFlag({description: 'dirty'}),
    offset: wholeFlag({description: 'offset', min: 0, max: 100, default: 0}),
    text: stringFlag({description: 'text', helpValue: 'TEXT', exclusive: ['hex']}),
    hex: stringFlag({description: 'hex', exclusive: ['text']}),
    policy: stringFlag({description: 'policy', options: ['lru', 'clock']}),
  },
}

function fails(argv: string[], message: string): void {
  assert.throws(() => parseLine('put', argv, SPECS), (err: Error & {code?: string; exit?: number}) => {
    assert.equal(err.message, message)
    assert.equal(err.code, 'EUSAGE')
    assert.equal(err.exit, 2)
    return true
  })
}

describe('the verb line parser', () => {
  it('reads flags before, between and after the arguments, as --flag value and --flag=value, with defaults', () => {
    assert.deepEqual(parseLine('put', ['--dirty', '0x10', '--offset=7', 'w', '--text', '-x'], SPECS), {
      args: {pgno: 16, what: 'w'},
      flags: {dirty: true, offset: 7, text: '-x', hex: undefined, policy: undefined},
    })
    assert.deepEqual(parseLine('put', ['3'], SPECS).flags, {dirty: false, offset: 0, text: undefined, hex: undefined, policy: undefined})
    assert.deepEqual(parseLine('put', ['3', '--', '--dirty'], SPECS).args, {pgno: 3, what: '--dirty'}, 'after -- every word is an argument')
  })

  it('reads a line without a dash exactly as the same words after --: all of them arguments, every flag its default', () => {
    for (const argv of [['3'], ['0x10', 'w'], ['7', 'x=y']]) {
      assert.deepEqual(parseLine('put', argv, SPECS), parseLine('put', ['--', ...argv], SPECS), argv.join(' '))
    }
    fails([], 'missing PGNO: page number (0 is the first page; decimal or 0x hex)')
    fails(['1', 'a', 'b'], 'unexpected argument "b": put takes PGNO [WHAT]; see mpool put --help')
  })

  it('tells each mistake in one line of its own', () => {
    fails([], 'missing PGNO: page number (0 is the first page; decimal or 0x hex)')
    fails(['1', 'a', 'b'], 'unexpected argument "b": put takes PGNO [WHAT]; see mpool put --help')
    fails(['1', '--drity'], 'unknown flag --drity: put takes --dirty, --offset, --text, --hex, --policy (did you mean --dirty?)')
    fails(['1', '--text', 'a', '--hex', '00'], '--text and --hex cannot go together: give one of them')
    fails(['1', '--text', 'a', '--text', 'b'], '--text is given twice: give it once')
    fails(['1', '--text'], '--text needs a value: --text TEXT')
    fails(['1', '--offset', '--dirty'], '--offset needs a value: --offset N')
    fails(['1', '--dirty=no'], '--dirty takes no value (it is on or off), not "no"')
    fails(['1', '--policy', 'fifo'], '--policy must be one of lru, clock, not "fifo"')
    fails(['1', '--offset', '101'], '--offset must be a whole number from 0 to 100 (decimal or 0x hex), not "101"')
    fails(['-1'], 'page numbers and counts are 0 or more, not -1')
    fails(['seven'], 'the page number must be a whole number from 0 to 4294967295 (decimal or 0x hex), not "seven"')
  })
})
