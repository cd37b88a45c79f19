/*
 * LRU-K against CMU BusTub's LRUKReplacerTest.SampleTest (test/buffer/lru_k_replacer_test.cpp,
 * 2025 edition), step for step. BusTub's calls map onto the Replacer interface as MPool
 * makes them:
 *
 *   RecordAccess(f), the first time since f was evicted   admit(f, pgno)
 *   RecordAccess(f), again                                  access(f)
 *   SetEvictable(f, false) / (f, true)                      pins[f] = 1 / 0
 *   Evict()                                                  v = victim(pins, x); remove(v, true)
 *
 * The logical clock ticks once per RecordAccess, so the times below are BusTub's too.
 */
import assert from 'node:assert/strict'
import {LruKReplacer} from '../../../src/pool/policies/lru-k.js'

class BusTubHarness {
  readonly lru = new LruKReplacer(7, {k: 2})
  readonly pins = new Int32Array(7)
  private present = new Set<number>()

  recordAccess(f: number): void {
    if (this.present.has(f)) this.lru.access(f)
    else {
      this.lru.admit(f, 100 + f)
      this.present.add(f)
    }
  }

  setEvictable(f: number, evictable: boolean): void {
    this.pins[f] = evictable ? 0 : 1
  }

  /** the evictable frames (BusTub's Size()) */
  size(): number {
    return [...this.present].filter((f) => this.pins[f] === 0).length
  }

  evict(): number | undefined {
    const v = this.lru.victim(this.pins, 999)
    if (v === -1) return undefined
    this.lru.remove(v, true)
    this.present.delete(v)
    return v
  }
}

describe('lru-k', () => {
  it("evicts in the order of BusTub's LRU-K sample test", () => {
    const r = new BusTubHarness()
    // t=1..6: frames 1..6 seen once each; frame 6 is not evictable
    for (let f = 1; f <= 6; f++) r.recordAccess(f)
    for (let f = 1; f <= 5; f++) r.setEvictable(f, true)
    r.setEvictable(6, false)
    assert.equal(r.size(), 5)
    // t=7: frame 1 has two accesses (finite distance); 2..5 are at infinity, oldest first
    r.recordAccess(1)
    assert.equal(r.evict(), 2)
    assert.equal(r.evict(), 3)
    assert.equal(r.evict(), 4)
    assert.equal(r.size(), 2)
    // t=8: 3 is back (history {8}); t=9: 4 is back ({9}); t=10: 5 gets {5,10}; t=11: 4 gets {9,11}
    r.recordAccess(3)
    r.recordAccess(4)
    r.recordAccess(5)
    r.recordAccess(4)
    r.setEvictable(3, true)
    r.setEvictable(4, true)
    assert.equal(r.size(), 4)
    // 3 is the only evictable frame at infinity
    assert.equal(r.evict(), 3)
    assert.equal(r.size(), 3)
    // 6 ({6}) is at infinity too once it may go
    r.setEvictable(6, true)
    assert.equal(r.size(), 4)
    assert.equal(r.evict(), 6)
    assert.equal(r.size(), 3)
    // with 1 held, the candidates are 5 (2nd most recent access t=5) and 4 (t=9): 5 is further back
    r.setEvictable(1, false)
    assert.equal(r.size(), 2)
    assert.equal(r.evict(), 5)
    assert.equal(r.size(), 1)
    // t=12, 13: frame 1 now remembers {12, 13}; 4's k-distance (from t=9) is the larger
    r.recordAccess(1)
    r.recordAccess(1)
    r.setEvictable(1, true)
    assert.equal(r.size(), 2)
    assert.equal(r.evict(), 4)
    assert.equal(r.size(), 1)
    assert.equal(r.evict(), 1)
    assert.equal(r.size(), 0)
    // frame 1 again, held: nothing can go, and a failed eviction changes nothing
    r.recordAccess(1)
    r.setEvictable(1, false)
    assert.equal(r.size(), 0)
    assert.equal(r.evict(), undefined)
    r.setEvictable(1, true)
    assert.equal(r.size(), 1)
    assert.equal(r.evict(), 1)
    assert.equal(r.size(), 0)
    assert.equal(r.evict(), undefined)
  })

  it('lists frames at infinity first, then by decreasing k-distance', () => {
    const lru = new LruKReplacer(4)
    lru.admit(0, 10) // t1
    lru.admit(1, 11) // t2
    lru.admit(2, 12) // t3
    lru.admit(3, 13) // t4
    lru.access(2) // t5: 2 = {3,5}
    lru.access(0) // t6: 0 = {1,6}
    lru.access(2) // t7: 2 = {5,7}
    assert.deepEqual(lru.order(), [1, 3, 0, 2])
    assert.deepEqual(lru.describe(), {
      policy: 'lru-k',
      k: 2,
      now: 7,
      frames: [
        {frame: 0, history: 2, times: [1, 6], kDistance: 6},
        {frame: 1, history: 1, times: [2], kDistance: null},
        {frame: 2, history: 2, times: [5, 7], kDistance: 2},
        {frame: 3, history: 1, times: [4], kDistance: null},
      ],
    })
  })

  it('forgets the history of an evicted frame: its page comes back at infinity', () => {
    const lru = new LruKReplacer(2)
    lru.admit(0, 10)
    lru.access(0)
    lru.access(0) // 0 = {2,3}
    lru.admit(1, 11) // 1 = {4}
    const none = new Int32Array(2)
    assert.equal(lru.victim(none, 12), 1)
    lru.remove(0, true)
    lru.admit(0, 10) // back with {5}: infinite, but 1's first access (t4) is older
    assert.equal(lru.victim(none, 12), 1)
    assert.deepEqual(lru.order(), [1, 0])
  })

  it('with k = 3 a page needs three accesses to leave infinity', () => {
    const lru = new LruKReplacer(3, {k: 3})
    lru.admit(0, 10) // t1
    lru.admit(1, 11) // t2
    lru.access(0) // t3: 0 = {1,3}, still infinite
    lru.access(0) // t4: 0 = {1,3,4}, distance 4 - 1 = 3
    assert.deepEqual(lru.order(), [1, 0])
    lru.access(1) // t5
    lru.access(1) // t6: 1 = {2,5,6}: distance 6 - 2 = 4, but 0's is now 6 - 1 = 5: 0 goes first
    assert.deepEqual(lru.order(), [0, 1])
  })

  it('refuses a k that is not a positive integer', () => {
    assert.throws(() => new LruKReplacer(4, {k: 0}), RangeError)
    assert.throws(() => new LruKReplacer(4, {k: 1.5}), RangeError)
  })
})
