import assert from 'node:assert/strict'
import {Xoshiro128} from '../../src/workload/prng.js'

describe('the generators\' PRNG (xoshiro128**)', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number) => Array.from({length: 8}, function (this: Xoshiro128) { return this.nextUint32() }, new Xoshiro128(seed))
    assert.deepEqual(draw(7), draw(7))
    assert.notDeepEqual(draw(7), draw(8))
    assert.ok(draw(0).some((x) => x !== 0), 'seed 0 still gives a working generator')
  })

  it('draws next() in [0, 1) and below(n) in [0, n), every value of a small n about as often', () => {
    const rng = new Xoshiro128(3)
    const counts = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const x = rng.next()
      assert.ok(x >= 0 && x < 1)
      const k = rng.below(10)
      assert.ok(Number.isInteger(k) && k >= 0 && k < 10)
      counts[k]++
    }
    // 10,000 expected in each; a fair generator strays by a few hundred at most (sd ~95)
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `counts ${counts.join(' ')}`)
    assert.equal(new Xoshiro128(1).below(1), 0)
  })
})
