/*
 * A play session: policies in lockstep, divergences, OPT's ceiling, seeking back and forth.
 */
import assert from 'node:assert/strict'
import {PlaySession} from '../../../src/ui/play/session.js'
import {replay, replayOpt} from '../../../src/workload/simulator.js'
import {generateTrace} from '../../../src/workload/generators.js'

describe('PlaySession', () => {
  const trace = generateTrace('zipf', {pages: 30, length: 400, seed: 5})

  it("finds exactly the steps where one policy hits and another misses", () => {
    const session = new PlaySession(trace, ['lru', 'arc', 'clock'], 6)
    const expected: number[] = []
    for (let n = 1; n <= trace.pgnos.length; n++) {
      const hits = (['lru', 'arc', 'clock'] as const).map((p) => replay(trace.pgnos.subarray(0, n), p, 6).hits - replay(trace.pgnos.subarray(0, n - 1), p, 6).hits)
      if (hits.some((h) => h === 1) && hits.some((h) => h === 0)) expected.push(n)
    }
    assert.ok(expected.length > 0)
    assert.deepEqual(session.divergences, expected)
    assert.equal(session.nextDivergence(0), expected[0])
    assert.equal(session.nextDivergence(expected[0]), expected[1])
    assert.equal(session.nextDivergence(trace.pgnos.length), null)
  })

  it('seeks forward and back to the same counters as replay on the accesses so far, with OPT as the ceiling', () => {
    const session = new PlaySession(trace, ['lru', 'lru-k'], 8)
    for (const n of [120, 7, 399, 0, 250]) {
      session.seek(n)
      assert.equal(session.at, n)
      for (const s of session.steppers) assert.equal(s.hits, replay(trace.pgnos.subarray(0, n), s.policy, 8).hits, `${s.policy} at step ${n}`)
      assert.equal(session.opt(), replayOpt(trace.pgnos.subarray(0, n), 8).hits)
      for (const s of session.steppers) assert.ok(s.hits <= session.opt())
    }
    assert.equal(session.log[session.log.length - 1].step, 250)
  })
})
