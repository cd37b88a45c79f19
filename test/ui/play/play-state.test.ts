/*
 * Live play's controls as plain data: step, play and tick, speed, restart, jump.
 */
import assert from 'node:assert/strict'
import {initialPlayState, playReducer, SPEEDS, START_SPEED, type PlayAction, type PlayState} from '../../../src/ui/play/play-state.js'

function run(state: PlayState, ...actions: PlayAction[]): PlayState {
  return actions.reduce(playReducer, state)
}

describe('playReducer', () => {
  it('steps one access at a time, pausing, and never past the end', () => {
    const s = run(initialPlayState(2), {type: 'toggle'}, {type: 'step'})
    assert.deepEqual([s.step, s.playing], [1, false])
    assert.equal(run(s, {type: 'step'}, {type: 'step'}).step, 2)
  })

  it('plays on ticks only while playing, and stops by itself at the last step', () => {
    let s = run(initialPlayState(3), {type: 'tick'})
    assert.equal(s.step, 0, 'a tick while paused does nothing')
    s = run(s, {type: 'toggle'}, {type: 'tick'}, {type: 'tick'})
    assert.deepEqual([s.step, s.playing], [2, true])
    s = run(s, {type: 'tick'})
    assert.deepEqual([s.step, s.playing], [3, false])
    assert.equal(run(s, {type: 'toggle'}).playing, false, 'at the end Enter does not play')
  })

  it('changes the speed along SPEEDS and stops at its ends', () => {
    const s = initialPlayState(1)
    assert.equal(s.speed, START_SPEED)
    assert.equal(run(s, ...Array.from({length: 20}, () => ({type: 'faster'}) as const)).speed, SPEEDS.length - 1)
    assert.equal(run(s, ...Array.from({length: 20}, () => ({type: 'slower'}) as const)).speed, 0)
  })

  it('restarts at step 0, paused, at the same speed', () => {
    const s = run(initialPlayState(5), {type: 'faster'}, {type: 'toggle'}, {type: 'tick'}, {type: 'restart'})
    assert.deepEqual([s.step, s.playing, s.speed], [0, false, START_SPEED + 1])
  })

  it('jumps to the next divergence, or says there is none', () => {
    const s = run(initialPlayState(50), {type: 'jump', to: 17})
    assert.deepEqual([s.step, s.noMoreDivergences], [17, false])
    const none = run(s, {type: 'jump', to: null})
    assert.deepEqual([none.step, none.noMoreDivergences], [17, true])
  })
})
