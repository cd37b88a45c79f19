/*
 * The prompt's line editor as a reducer: editing, history, Tab completion.
 */
import assert from 'node:assert/strict'
import {initialPromptState, promptReducer, type PromptAction, type PromptState} from '../../src/ui/prompt-state.js'

const completions = {verbs: ['new', 'get', 'put', 'delete', 'dump', 'sync', 'stats', 'help', 'quit'], flags: {put: ['--dirty', '--offset', '--text', '--hex', '--json'], get: ['--json']}}

function run(state: PromptState, ...actions: PromptAction[]): PromptState {
  return actions.reduce(promptReducer, state)
}

function typed(text: string): PromptState {
  return run(initialPromptState(), {type: 'insert', text})
}

describe('prompt-state', () => {
  it('inserts at the cursor and moves it', () => {
    const s = run(typed('gt 1'), {type: 'home'}, {type: 'right'}, {type: 'insert', text: 'e'})
    assert.equal(s.value, 'get 1')
    assert.equal(s.cursor, 2)
  })

  it('deletes before the cursor, a word, or the whole line', () => {
    assert.equal(run(typed('get 12'), {type: 'backspace'}).value, 'get 1')
    assert.equal(run(typed('put 3 --dirty'), {type: 'deleteWord'}).value, 'put 3 ')
    assert.equal(run(typed('put 3'), {type: 'clear'}).value, '')
    assert.equal(run(typed('ab'), {type: 'home'}, {type: 'deleteForward'}).value, 'b')
  })

  it('drops control characters and turns newlines into spaces', () => {
    assert.equal(typed('get\u0007 1\n').value, 'get 1 ')
  })

  it('walks the history newest first and brings the draft back at the bottom', () => {
    let s = run(typed('get 1'), {type: 'submit'}, {type: 'insert', text: 'put 1'}, {type: 'submit'}, {type: 'insert', text: 'dra'})
    assert.deepEqual(s.history, ['get 1', 'put 1'])
    s = run(s, {type: 'historyUp'})
    assert.equal(s.value, 'put 1')
    s = run(s, {type: 'historyUp'}, {type: 'historyUp'})
    assert.equal(s.value, 'get 1')
    s = run(s, {type: 'historyDown'})
    assert.equal(s.value, 'put 1')
    s = run(s, {type: 'historyDown'})
    assert.equal(s.value, 'dra')
    assert.equal(s.historyIndex, null)
  })

  it('keeps blank lines and repeats of the last line out of the history', () => {
    const s = run(typed('sync'), {type: 'submit'}, {type: 'insert', text: 'sync'}, {type: 'submit'}, {type: 'submit'}, {type: 'paste', text: 'get 2\n\nget 2\n'})
    assert.deepEqual(s.history, ['sync', 'get 2'])
  })

  it('hands each submitted line to the REPL once, in order, until drained', () => {
    let s = run(typed(' get 1 '), {type: 'submit'}, {type: 'submit'}, {type: 'insert', text: 'put 1'}, {type: 'submit'})
    assert.deepEqual(s.submitted, ['get 1', 'put 1'])
    s = run(s, {type: 'drain', count: 2})
    assert.deepEqual(s.submitted, [])
  })

  it('drains only the lines the REPL took: a line submitted meanwhile waits for the next drain', () => {
    let s = run(typed('get 1'), {type: 'submit'})
    const taken = s.submitted.length // the REPL saw ['get 1'] ...
    s = run(s, {type: 'insert', text: 'get 2'}, {type: 'submit'}) // ... and a key came before it drained
    s = run(s, {type: 'drain', count: taken})
    assert.deepEqual(s.submitted, ['get 2'])
  })

  it('does every Backspace of a read that brought several', () => {
    const s = run(typed('get 123'), {type: 'paste', text: '\u007f\u007f\u007f'})
    assert.equal(s.value, 'get ')
    assert.equal(run(typed('get 12'), {type: 'paste', text: '\b\b9'}).value, 'get 9')
  })

  it('does the keys of one read in order: lines, Backspaces and the text left', () => {
    const s = run(typed(''), {type: 'paste', text: 'get 11\u007f\rput 1 --dirty\rsyncx\u007f'})
    assert.deepEqual(s.submitted, ['get 1', 'put 1 --dirty'])
    assert.equal(s.value, 'sync')
  })

  it('submits every complete line of a paste and keeps the rest on the prompt', () => {
    const s = run(typed('ge'), {type: 'paste', text: 't 1\r\nput 1 --dirty\nsy'})
    assert.deepEqual(s.submitted, ['get 1', 'put 1 --dirty'])
    assert.equal(s.value, 'sy')
    assert.equal(s.cursor, 2)
  })

  it('completes a unique verb with a space after it', () => {
    const s = run(typed('de'), {type: 'complete', completions})
    assert.equal(s.value, 'delete ')
    assert.equal(s.cursor, 7)
  })

  it('completes the common prefix of several verbs and lists them', () => {
    const s = run(typed('s'), {type: 'complete', completions})
    assert.equal(s.value, 's')
    assert.deepEqual(s.candidates, ['sync', 'stats'])
    const d = run(typed('d'), {type: 'complete', completions})
    assert.equal(d.value, 'd')
    assert.deepEqual(d.candidates, ['delete', 'dump'])
  })

  it("completes a flag of the line's verb", () => {
    assert.equal(run(typed('put 3 --d'), {type: 'complete', completions}).value, 'put 3 --dirty ')
    assert.deepEqual(run(typed('put 3 --'), {type: 'complete', completions}).candidates, ['--dirty', '--offset', '--text', '--hex', '--json'])
  })

  it('completes nothing where nothing matches', () => {
    const s = run(typed('zz'), {type: 'complete', completions})
    assert.equal(s.value, 'zz')
    assert.deepEqual(s.candidates, [])
    assert.equal(run(typed('get 3 --t'), {type: 'complete', completions}).value, 'get 3 --t')
  })
})
