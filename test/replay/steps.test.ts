import assert from 'node:assert/strict'
import {divergenceTable, stateText, stepsSummary} from '../../src/replay/steps.js'
import {stepsOf} from '../../src/workload/stepper.js'

const TEXTBOOK = Uint32Array.from([7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1])

describe('the answer key as text', () => {
  it("shows each policy's own state after step 6 (page 3 comes in, 3 frames)", () => {
    const at6 = (s: 'fifo' | 'clock' | 'lru-k' | 'arc' | 'opt') => stateText(s, stepsOf(TEXTBOOK, s, 3).steps[5])
    // fifo: 0 went (first in at step 2); in order of arrival 1 (step 3), 2 (4), 3 (6)
    assert.equal(at6('fifo'), 'queue 1 2 3')
    // clock: before, hand at frame 1 and counts 1 1 0; frame 1 is cut to 0, frame 2 (count 0) goes; 3 comes in at 1
    assert.equal(at6('clock'), 'hand at frame 0, counts 1 0 1')
    // lru-k: page 2 seen at 4, page 0 at 2 and 5, page 3 at 6 (one tick per access)
    assert.equal(at6('lru-k'), 'histories 2:4 0:2,5 3:6')
    // arc: 7 and then 1 left T1 for B1; 0 was hit into T2
    assert.equal(at6('arc'), 'T1 [2 3] T2 [0] B1 [1] B2 [] p 0')
    // opt: next uses after step 6: page 2 at 9, 0 at 7, 3 at 10
    assert.equal(at6('opt'), 'next use 2:9 0:7 3:10')
  })

  it('sums up a replay, and says when the policies never disagree', () => {
    assert.equal(stepsSummary(stepsOf(TEXTBOOK.subarray(0, 1), 'lru', 1)), 'lru with 1 frame: 1 miss (page faults) and 0 hits in 1 access')
    assert.equal(divergenceTable(['lru', 'fifo'], 4, 3, [], null), 'lru and fifo with 4 frames: the same hit or miss at every step')
  })
})
