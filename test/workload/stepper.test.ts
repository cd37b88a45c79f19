import assert from 'node:assert/strict'
import fc from 'fast-check'
import {POLICY_NAMES} from '../../src/pool/policies/index.js'
import {replay, replayOpt, type Series} from '../../src/workload/simulator.js'
import {divergences, stepsOf, TraceStepper} from '../../src/workload/stepper.js'
import {bruteOpt, figure4Arc, modelReplay} from '../helpers/reference-policies.js'

/** Silberschatz, Galvin & Gagne, Operating System Concepts, section 10.4: the reference string, with 3 frames. */
const TEXTBOOK = Uint32Array.from([7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1])

/** framesAtFaults -- the frames (in frame order, empty ones left out) after each miss: the columns of the textbook's figures. */
function framesAtFaults(series: Series): string[] {
  return stepsOf(TEXTBOOK, series, 3)
    .steps.filter((r) => !r.hit)
    .map((r) => r.frames.filter((p) => p !== null).join(' '))
}

const traceArb = fc.array(fc.nat(12), {minLength: 1, maxLength: 200})
const sizeArb = fc.integer({min: 1, max: 8})

describe('the stepper', () => {
  it("gives the textbook's page faults and frames: FIFO 15, LRU 12, OPT 9", () => {
    assert.deepEqual(framesAtFaults('fifo'), ['7', '7 0', '7 0 1', '2 0 1', '2 3 1', '2 3 0', '4 3 0', '4 2 0', '4 2 3', '0 2 3', '0 1 3', '0 1 2', '7 1 2', '7 0 2', '7 0 1'])
    assert.deepEqual(framesAtFaults('lru'), ['7', '7 0', '7 0 1', '2 0 1', '2 0 3', '4 0 3', '4 0 2', '4 3 2', '0 3 2', '1 3 2', '1 0 2', '1 0 7'])
    assert.deepEqual(framesAtFaults('opt'), ['7', '7 0', '7 0 1', '2 0 1', '2 0 3', '2 4 3', '2 0 3', '2 0 1', '7 0 1'])
  })

  it("shows Belady's anomaly: fifo faults 9 times with 3 frames and 10 with 4", () => {
    const trace = Uint32Array.from([1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5])
    assert.equal(stepsOf(trace, 'fifo', 3).misses, 9)
    assert.equal(stepsOf(trace, 'fifo', 4).misses, 10)
  })

  it('counts the hits replay and replayOpt count, for every policy and OPT', () => {
    fc.assert(
      fc.property(traceArb, sizeArb, (pages, c) => {
        const trace = Uint32Array.from(pages)
        for (const policy of POLICY_NAMES) assert.equal(stepsOf(trace, policy, c).hits, replay(trace, policy, c).hits, policy)
        assert.equal(stepsOf(trace, 'opt', c).hits, replayOpt(trace, c).hits)
        assert.equal(stepsOf(trace, 'opt', c).hits, bruteOpt(pages, c))
      }),
      {seed: 21, numRuns: 150},
    )
  })

  it("names the victims each policy's reference model evicts, and arc's are Figure 4's", () => {
    fc.assert(
      fc.property(traceArb, sizeArb, (pages, c) => {
        const trace = Uint32Array.from(pages)
        for (const policy of POLICY_NAMES) {
          const ours = stepsOf(trace, policy, c).steps.map((r) => r.victim?.pgno ?? null)
          assert.deepEqual(ours, modelReplay(policy, pages, c).steps.map((s) => s.victim), policy)
        }
        const arc = stepsOf(trace, 'arc', c)
        assert.deepEqual(arc.steps.map((r) => r.victim?.pgno ?? null), figure4Arc(pages, c).victims)
        assert.deepEqual(arc.steps.at(-1)!.state.lists, figure4Arc(pages, c).lists)
      }),
      {seed: 22, numRuns: 150},
    )
  })

  it('gives every eviction a reason naming its frame, and fills in the steps LRU and FIFO cannot count', () => {
    const lru = stepsOf(TEXTBOOK, 'lru', 3)
    const fourth = lru.steps[3]
    assert.deepEqual(fourth.victim, {pgno: 7, frame: 0, why: {policy: 'lru', frame: 0, passed: [], lastUsed: 1}})
    assert.deepEqual(stepsOf(TEXTBOOK, 'fifo', 3).steps[5].victim, {pgno: 0, frame: 1, why: {policy: 'fifo', frame: 1, passed: [], queue: [1, 2, 0], cameIn: 2}})
    assert.deepEqual(stepsOf(TEXTBOOK, 'opt', 3).steps[3].victim, {pgno: 7, frame: 0, why: {policy: 'opt', frame: 0, nextUse: 18}})
    for (const series of [...POLICY_NAMES, 'opt'] as const) {
      for (const r of stepsOf(TEXTBOOK, series, 3).steps) if (r.victim !== null) assert.equal(r.victim.why?.frame, r.victim.frame, series)
    }
  })

  it('steps one access at a time and ends with null', () => {
    const s = new TraceStepper(Uint32Array.from([1, 1]), 'clock', 1)
    assert.deepEqual(s.next()?.hit, false)
    assert.deepEqual(s.next()?.hit, true)
    assert.equal(s.next(), null)
    assert.deepEqual([s.hits, s.misses, s.done], [1, 1, 2])
    assert.throws(() => new TraceStepper(Uint32Array.from([1]), 'lfu' as 'lru', 1), /unknown policy "?lfu/)
  })

  it('lists the steps at which some policies hit and others miss, and no others', () => {
    fc.assert(
      fc.property(traceArb, sizeArb, (pages, c) => {
        const trace = Uint32Array.from(pages)
        const series: Series[] = ['lru', 'arc', 'opt']
        const hits = series.map((s) => stepsOf(trace, s, c).steps.map((r) => r.hit))
        const want = pages.flatMap((pgno, i) => {
          const hit = series.filter((_, k) => hits[k][i])
          return hit.length === 0 || hit.length === series.length ? [] : [{step: i + 1, pgno, hit, miss: series.filter((_, k) => !hits[k][i])}]
        })
        assert.deepEqual(divergences(trace, series, c), want)
      }),
      {seed: 23, numRuns: 100},
    )
  })
})
