/*
 * The REPL's own state as a reducer: the queue of lines, the log, errors, the page on show.
 */
import assert from 'node:assert/strict'
import {appReducer, initialAppState, LOG_LIMIT, shownPage, type AppAction, type AppState} from '../../src/ui/app-state.js'

function run(state: AppState, ...actions: AppAction[]): AppState {
  return actions.reduce(appReducer, state)
}

describe('app-state', () => {
  it('runs the lines entered one at a time, in order', () => {
    let s = run(initialAppState(), {type: 'enter', line: 'get 1'}, {type: 'enter', line: 'get 2'}, {type: 'start'})
    assert.equal(s.running, 'get 1')
    assert.deepEqual(s.queue, ['get 2'])
    s = run(s, {type: 'start'})
    assert.equal(s.running, 'get 1', 'a second start while running changes nothing')
    s = run(s, {type: 'done', log: [{kind: 'own', text: 'get 1: miss'}], touched: 1}, {type: 'start'})
    assert.equal(s.running, 'get 2')
    assert.deepEqual(s.queue, [])
  })

  it('shows the page a command touched, and a page kept from the grid until a command touches another', () => {
    let s = run(initialAppState(), {type: 'enter', line: 'get 1'}, {type: 'start'}, {type: 'done', log: [], touched: 1})
    assert.equal(shownPage(s), 1)
    s = run(s, {type: 'focus', focus: 'grid'}, {type: 'keep', pgno: 5})
    assert.equal(s.focus, 'prompt')
    assert.equal(shownPage(s), 5)
    s = run(s, {type: 'enter', line: 'sync'}, {type: 'start'}, {type: 'done', log: [], touched: null})
    assert.equal(shownPage(s), 5, 'sync touches no page: the kept page stays')
    s = run(s, {type: 'enter', line: 'get 2'}, {type: 'start'}, {type: 'done', log: [], touched: 2})
    assert.equal(shownPage(s), 2)
  })

  it('keeps an error on the status line until the next line runs', () => {
    let s = run(initialAppState(), {type: 'enter', line: 'get 99'}, {type: 'start'}, {type: 'failed', line: 'get 99', message: 'cannot get page 99'})
    assert.equal(s.error, 'cannot get page 99')
    assert.equal(s.running, null)
    assert.equal(s.log.at(-1)?.text, 'get 99: cannot get page 99')
    s = run(s, {type: 'enter', line: 'get 1'}, {type: 'start'})
    assert.equal(s.error, null)
  })

  it("logs others' calls and follows the page they touched", () => {
    const s = run(initialAppState(), {type: 'others', lines: ['elsewhere: get 3: miss'], touched: 3})
    assert.equal(s.log[0].kind, 'others')
    assert.equal(shownPage(s), 3)
  })

  it('shows a long output until Esc or the next command', () => {
    let s = run(initialAppState(), {type: 'enter', line: 'help'}, {type: 'start'}, {type: 'done', log: [], touched: null, output: {title: 'help', text: 'a\nb'}})
    assert.equal(s.output?.title, 'help')
    s = run(s, {type: 'dismiss'})
    assert.equal(s.output, null)
  })

  it('scrolls the hex pane from where it is, never above the top', () => {
    const s = run(initialAppState(), {type: 'scroll', delta: 8, current: 3})
    assert.equal(s.hexScroll, 11)
    assert.equal(run(s, {type: 'scroll', delta: -8, current: 2}).hexScroll, 0)
  })

  it(`keeps the last ${LOG_LIMIT} log entries`, () => {
    let s = initialAppState()
    for (let i = 0; i < LOG_LIMIT + 10; i++) s = run(s, {type: 'note', text: `n${i}`})
    assert.equal(s.log.length, LOG_LIMIT)
    assert.equal(s.log[0].text, 'n10')
    assert.equal(new Set(s.log.map((e) => e.id)).size, LOG_LIMIT)
  })
})
