import assert from 'node:assert/strict'
import fc from 'fast-check'
import {POLICY_NAMES} from '../../src/pool/policies/index.js'
import {replay, replayAll, replayOpt, type ReplayResult} from '../../src/workload/simulator.js'
import {generateTrace} from '../../src/workload/generators.js'
import {bruteOpt, modelReplay} from '../helpers/reference-policies.js'

const traceArb = fc.array(fc.nat(24), {maxLength: 400, size: 'max'})
const sizeArb = fc.integer({min: 1, max: 12})

describe('replay', () => {
  it('counts the textbook reference string: 12 faults for LRU and 9 for OPT with 3 frames', () => {
    // Silberschatz, Galvin & Gagne, Operating System Concepts, section 10.4 (page replacement)
    const trace = Uint32Array.from([7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1])
    assert.deepEqual(replay(trace, 'lru', 3), {policy: 'lru', maxcache: 3, hits: 8, misses: 12, accesses: 20, hitRatio: 0.4})
    assert.deepEqual(replayOpt(trace, 3), {policy: 'opt', maxcache: 3, hits: 11, misses: 9, accesses: 20, hitRatio: 0.55})
  })

  it('shows Belady\'s anomaly under fifo: 9 faults with 3 frames, 10 with 4; lru and opt fault less with more frames', () => {
    const trace = Uint32Array.from([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5])
    assert.equal(replay(trace, 'fifo', 3).misses, 9)
    assert.equal(replay(trace, 'fifo', 4).misses, 10)
    for (const c of [1, 2, 3, 4]) {
      assert.ok(replay(trace, 'lru', c + 1).misses <= replay(trace, 'lru', c).misses, `lru is a stack algorithm (${c})`)
      assert.ok(replayOpt(trace, c + 1).misses <= replayOpt(trace, c).misses, `opt is a stack algorithm (${c})`)
    }
  })

  it('counts the textbook reference string for fifo: 15 faults with 3 frames', () => {
    const trace = Uint32Array.from([7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1])
    assert.equal(replay(trace, 'fifo', 3).misses, 15)
  })

  it('counts a small case worked by hand for every policy', () => {
    // 1 is used four times, then 2 and 3 twice each, then 4 comes in (3 frames) and 1 is asked for.
    //  lru    evicts 1, the least recent: 1 misses at the end                         5 hits
    //  fifo   evicts 1, the first in, however often it was used                      5 hits
    //  clock  counts 4 2 2, hand at frame 0: two turns bring 2's and 3's to 0, 1's to 2;
    //         page 2 (frame 1) is the first found at 0 and goes; 1 hits             6 hits
    //  lru-k  2nd most recent uses: 1 at t3, 2 at t5, 3 at t6: 1 is furthest back    5 hits
    //  arc    everything is in T2 and T1 is empty: T2's oldest, 1, goes to B2        5 hits
    //  opt    2 and 3 are never used again; either goes and 1 hits                   6 hits
    const trace = Uint32Array.from([1, 1, 1, 1, 2, 3, 2, 3, 4, 1])
    const hits = Object.fromEntries(POLICY_NAMES.map((p) => [p, replay(trace, p, 3).hits]))
    assert.deepEqual(hits, {lru: 5, fifo: 5, clock: 6, 'lru-k': 5, arc: 5})
    assert.equal(replayOpt(trace, 3).hits, 6)
  })

  it('replays lru exactly as a plain recency list would', () => {
    fc.assert(
      fc.property(traceArb, sizeArb, (trace, c) => {
        assert.equal(replay(Uint32Array.from(trace), 'lru', c).hits, modelReplay('lru', trace, c).hits)
      }),
      {seed: 11, numRuns: 200},
    )
  })

  it('finds the same number of OPT hits as a look-ahead at every miss', () => {
    fc.assert(
      fc.property(traceArb, sizeArb, (trace, c) => {
        assert.equal(replayOpt(Uint32Array.from(trace), c).hits, bruteOpt(trace, c))
      }),
      {seed: 12, numRuns: 200},
    )
  })

  it('never lets a policy beat OPT', () => {
    fc.assert(
      fc.property(traceArb, sizeArb, (trace, c) => {
        const pgnos = Uint32Array.from(trace)
        const opt = replayOpt(pgnos, c).hits
        for (const policy of POLICY_NAMES) {
          const r = replay(pgnos, policy, c)
          assert.ok(r.hits <= opt, `${policy} ${r.hits} > opt ${opt}`)
          assert.equal(r.hits + r.misses, trace.length)
        }
      }),
      {seed: 13, numRuns: 200},
    )
  })

  it('hits every access after the first touch of each page when the cache holds them all', () => {
    const trace = generateTrace('zipf', {pages: 50, length: 5000, seed: 2})
    const distinct = new Set(trace.pgnos).size
    for (const policy of POLICY_NAMES) assert.equal(replay(trace, policy, 50).misses, distinct, policy)
    assert.equal(replayOpt(trace, 50).misses, distinct)
  })

  it('pays only for the frames and ghosts a trace uses, however large maxcache is', () => {
    const trace = Uint32Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3])
    for (const policy of POLICY_NAMES) {
      const before = process.memoryUsage().arrayBuffers
      const r = replay(trace, policy, 16_000_000) // 2c ghost slots alone would be over 500 MiB
      const grew = process.memoryUsage().arrayBuffers - before
      assert.ok(grew < 16 * 1024 * 1024, `${policy} allocated ${grew} bytes for a 10-access trace`)
      assert.deepEqual([r.hits, r.misses], [3, 7], policy)
    }
  })

  it('lets arc and lru-k beat lru clearly on scan-mix with a cache the size of the hot set', () => {
    const trace = generateTrace('scan-mix', {pages: 2000, length: 60_000, seed: 7})
    for (const size of [200, 300]) {
      const lru = replay(trace, 'lru', size).hitRatio
      const arc = replay(trace, 'arc', size).hitRatio
      const lruK = replay(trace, 'lru-k', size).hitRatio
      assert.ok(arc > lru + 0.05, `size ${size}: arc ${arc} vs lru ${lru}`)
      assert.ok(lruK > lru + 0.05, `size ${size}: lru-k ${lruK} vs lru ${lru}`)
    }
  })

  it('builds a table of every policy and OPT at every size, reporting progress', () => {
    const trace = generateTrace('zipf', {pages: 300, length: 3000, seed: 4})
    const progress: [number, number, string][] = []
    const rows = replayAll(trace, ['lru', 'arc'], [10, 40], (done, total, last) => progress.push([done, total, last.policy]))
    assert.deepEqual(
      rows.map((r: ReplayResult) => [r.maxcache, r.policy]),
      [
        [10, 'lru'],
        [10, 'arc'],
        [10, 'opt'],
        [40, 'lru'],
        [40, 'arc'],
        [40, 'opt'],
      ],
    )
    assert.deepEqual(progress.map(([d, t]) => [d, t]), [1, 2, 3, 4, 5, 6].map((d) => [d, 6]))
    assert.deepEqual(rows[4], replay(trace, 'arc', 40))
    assert.deepEqual(rows[5], replayOpt(trace, 40))
  })

  it('accepts a trace or bare page numbers, counts an empty trace as a ratio of 0, and refuses a bad maxcache', () => {
    const trace = generateTrace('loop', {pages: 4, length: 12})
    assert.deepEqual(replay(trace, 'clock', 2), replay(trace.pgnos, 'clock', 2))
    assert.equal(replay(new Uint32Array(0), 'lru', 2).hitRatio, 0)
    assert.equal(replayOpt(new Uint32Array(0), 2).hitRatio, 0)
    assert.throws(() => replay(trace, 'lru', 0), /maxcache/)
    assert.throws(() => replayOpt(trace, 1.5), /maxcache/)
    assert.throws(() => replay(trace, 'opt' as 'lru', 2), /unknown policy/)
    for (const inherited of ['toString', 'constructor', '__proto__']) {
      assert.throws(() => replay(trace, inherited as 'lru', 2), {name: 'MPoolError', code: 'EINVAL', message: /unknown policy/}, inherited)
    }
  })
})
