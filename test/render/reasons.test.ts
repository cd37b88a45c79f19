import assert from 'node:assert/strict'
import {num, reasonText} from '../../src/render/reasons.js'

describe('victim reasons in words', () => {
  it('tells lru and fifo, with the step when it is known and the pinned frames passed', () => {
    assert.equal(reasonText({policy: 'lru', frame: 2, passed: [0, 3], lastUsed: 7}), 'least recently used, last used at step 7, passing pinned frames 0, 3')
    assert.equal(reasonText({policy: 'lru', frame: 2, passed: []}), 'least recently used')
    assert.equal(reasonText({policy: 'fifo', frame: 1, passed: [4], queue: [4, 1], cameIn: 2}), 'first in, at step 2, hits aside, passing pinned frame 4')
  })

  it('tells the clock sweep: where it began, what it cut, what it passed, where it stopped', () => {
    const cut = [{frame: 1, from: 2, to: 1}]
    assert.equal(reasonText({policy: 'clock', frame: 3, from: 1, cut, passed: [2], turns: 0}), 'the hand swept from frame 1, cut the counts of frame 1 (2→1), passed pinned frame 2, and stopped at frame 3 with count 0')
    assert.equal(reasonText({policy: 'clock', frame: 0, from: 0, cut: [], passed: [], turns: 0}), 'the hand swept from frame 0, and stopped at frame 0 with count 0')
  })

  it("tells lru-k's two cases", () => {
    assert.equal(
      reasonText({policy: 'lru-k', frame: 1, k: 2, now: 11, infinite: false, kDistance: 7, history: [4, 9], alsoInfinite: 0}),
      'the largest backward 2-distance, 7 (its 2nd most recent access at time 4, now 11)',
    )
    assert.equal(reasonText({policy: 'lru-k', frame: 1, k: 3, now: 5, infinite: true, kDistance: null, history: [2], alsoInfinite: 0}), 'fewer than 3 accesses (backward 3-distance ∞), the only such unpinned frame')
  })

  it("tells arc's list, |T1| against p, and a ghost hit's move of p", () => {
    const base = {policy: 'arc', frame: 0, t1: 1, pBefore: 0.5, p: 1.5, b1: 2, b2: 3} as const
    assert.equal(reasonText({...base, from: 'T2', chose: 'T2', ghost: 'B1'}), 'from T2 because |T1| = 1 ≤ p = 1.5, and a ghost hit in B1 grew p from 0.5 to 1.5')
    assert.equal(reasonText({...base, from: 'T1', chose: 'T1', t1: 3, p: 2 / 3, pBefore: 2 / 3, ghost: null}), 'from T1 because |T1| = 3 > p = 0.67')
    assert.equal(reasonText({...base, from: 'T1', chose: 'T2', ghost: 'B2', pBefore: 2.5}), 'from T1 because |T1| = 1 ≤ p = 1.5 (every frame of T2 is pinned), and a ghost hit in B2 shrank p from 2.5 to 1.5')
  })

  it("tells opt's look ahead, and shows real numbers with at most two decimals", () => {
    assert.equal(reasonText({policy: 'opt', frame: 0, nextUse: null}), 'never used again')
    assert.equal(reasonText({policy: 'opt', frame: 0, nextUse: 18}), 'used furthest ahead (next at step 18)')
    assert.deepEqual([num(2), num(1.5), num(1 / 3), num(0.005)], ['2', '1.5', '0.33', '0.01'])
  })
})
