/**
 * replayReadAhead: a trace through the real engine over a BlankDisk, with read-ahead on or off.
 */
import assert from 'node:assert/strict'
import {POLICY_NAMES} from '../../src/pool/index.js'
import {BlankDisk, replayReadAhead} from '../../src/workload/read-ahead.js'
import {replay} from '../../src/workload/simulator.js'

describe('replayReadAhead', () => {
  const scan = Uint32Array.from({length: 1000}, (_, i) => i)
  const mixed = Uint32Array.from({length: 3000}, (_, i) => (i % 3 === 0 ? (i * 7919) % 500 : i % 500))

  it('reads a scan in runs: the same hits as without read-ahead, one read for page 0 and one per 16 pages after it', () => {
    const plain = replay(scan, 'lru', 64)
    const ahead = replayReadAhead(scan, 'lru', 64, 16)
    assert.deepEqual([ahead.hits, ahead.misses], [plain.hits, plain.misses])
    assert.equal(ahead.reads, 1 + Math.ceil(999 / 16))
    assert.deepEqual([ahead.prefetch, ahead.prefetchhit], [999 - 63, 999 - 63])
  })

  for (const policy of POLICY_NAMES) {
    it(`without read-ahead (readahead 0) counts exactly the simulator's hits under ${policy}, one read a miss`, () => {
      const plain = replay(mixed, policy, 40)
      const engine = replayReadAhead(mixed, policy, 40, 0)
      assert.deepEqual([engine.hits, engine.misses, engine.reads], [plain.hits, plain.misses, plain.misses])
    })
  }

  it('BlankDisk reads zeros up to its size and stops there', () => {
    const disk = new BlankDisk(5)
    const a = Buffer.alloc(3, 0xff)
    const b = Buffer.alloc(3, 0xff)
    assert.equal(disk.readv([a, b], 1), 4)
    assert.deepEqual([...a, ...b], [0, 0, 0, 0, 0xff, 0xff])
    assert.equal(disk.read(a, 0, 3, 5), 0)
  })
})
