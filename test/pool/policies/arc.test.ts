/*
 * ARC: scan resistance, the adaptation of p, and agreement with the algorithm of the paper
 * (Megiddo & Modha, FAST '03, Figure 4), transcribed plainly in test/helpers/reference-policies.ts
 * as one request(x) step over four arrays of page numbers, with real-valued p.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {ArcReplacer} from '../../../src/pool/policies/arc.js'
import {replay} from '../../../src/workload/simulator.js'
import {figure4Arc} from '../../helpers/reference-policies.js'

/** Drives a replacer as MPool's get does, nothing pinned; returns the hits. */
function drive(arc: ArcReplacer, capacity: number, pgnos: number[], table = new Map<number, number>()): number {
  const pins = new Int32Array(capacity)
  let hits = 0
  for (const pgno of pgnos) {
    const f = table.get(pgno)
    if (f !== undefined) {
      arc.access(f)
      hits++
      continue
    }
    let frame = table.size
    if (frame === capacity) {
      frame = arc.victim(pins, pgno)
      arc.remove(frame, true)
      for (const [p, g] of table) if (g === frame) table.delete(p)
    }
    arc.admit(frame, pgno)
    table.set(pgno, frame)
  }
  return hits
}

/** counts -- describe() without the lists' contents: c, p and the four sizes. */
function counts(arc: ArcReplacer): Record<string, unknown> {
  const {lists: _lists, ...rest} = arc.describe()
  return rest
}

describe('arc', () => {
  it('keeps a hot set through a one-time scan that flushes it out of lru', () => {
    const hot = [0, 1, 2, 3, 4]
    const scan = Array.from({length: 100}, (_, i) => 100 + i)
    // hot three times (5 misses, 10 hits), the scan (100 misses), hot once more
    const trace = Uint32Array.from([...hot, ...hot, ...hot, ...scan, ...hot])
    assert.equal(replay(trace, 'arc', 10).hits, 15)
    assert.equal(replay(trace, 'lru', 10).hits, 10)
  })

  it('grows p on a hit in B1 and shrinks it on a hit in B2', () => {
    const arc = new ArcReplacer(4, 4)
    const table = new Map<number, number>()
    // 0..3 fill T1, a hit moves 3 to T2; 4 pushes T1's oldest (0) into B1
    drive(arc, 4, [0, 1, 2, 3, 3, 4], table)
    assert.deepEqual(counts(arc), {policy: 'arc', c: 4, p: 0, t1: 3, t2: 1, b1: 1, b2: 0})
    // 0 again: found in B1, so T1 was too small: p = 0 + 1; T1's oldest (1) goes to B1, 0 to T2
    drive(arc, 4, [0], table)
    assert.deepEqual(counts(arc), {policy: 'arc', c: 4, p: 1, t1: 2, t2: 2, b1: 1, b2: 0})
    // hits on 2 and 4 empty T1 into T2; a new page 5 then pushes T2's oldest (3) into B2
    assert.equal(drive(arc, 4, [2, 4, 5], table), 2)
    assert.deepEqual(counts(arc), {policy: 'arc', c: 4, p: 1, t1: 1, t2: 3, b1: 1, b2: 1})
    // 3 again: found in B2, so T2 was too small: p = 1 - 1, and T1's 5 goes to B1
    drive(arc, 4, [3], table)
    assert.deepEqual(counts(arc), {policy: 'arc', c: 4, p: 0, t1: 0, t2: 4, b1: 2, b2: 0})
  })

  it('drops T1\'s oldest page without a ghost when T1 alone fills the cache', () => {
    const arc = new ArcReplacer(4, 4)
    drive(arc, 4, [0, 1, 2, 3, 4])
    assert.deepEqual(counts(arc), {policy: 'arc', c: 4, p: 0, t1: 4, t2: 0, b1: 0, b2: 0})
  })

  it('adapts p by |B2|/|B1| when B1 is the smaller ghost list', () => {
    // 0..3 twice: all in T2. 4, 5, 6 each come in (pushing T2's oldest into B2: 0, 1, 2) and are
    // hit at once (so T1 is empty again). 7 pushes 3 into B2; 8 finds the directory full
    // (2c = 8), forgets B2's oldest (0) and pushes 7 from T1 into B1.
    const trace = [0, 1, 2, 3, 0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 7, 8]
    const arc = new ArcReplacer(4, 4)
    const table = new Map<number, number>()
    drive(arc, 4, trace, table)
    assert.deepEqual(counts(arc), {policy: 'arc', c: 4, p: 0, t1: 1, t2: 3, b1: 1, b2: 3})
    // 7 again, found in B1: p grows by floor(|B2| / |B1|) = 3, not 1
    drive(arc, 4, [7], table)
    assert.equal(arc.describe().p, 3)
  })

  it('keeps p real-valued, as Figure 4 does: a ratio |B2|/|B1| of 3/2 moves p by 1.5, not by 1', () => {
    const trace = [0, 6, 3, 11, 11, 0, 11, 12, 14, 3, 2, 5, 6, 12, 3, 7, 10, 2]
    const arc = new ArcReplacer(5, 5)
    const hits = drive(arc, 5, trace)
    const paper = figure4Arc(trace, 5)
    assert.equal(paper.p, 3.5)
    assert.equal(arc.describe().p, 3.5)
    assert.equal(hits, paper.hits)
  })

  it("has the same hits, lists and p as the paper's ARC on random traces", () => {
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 8}),
        fc.array(fc.nat(20), {maxLength: 300, size: 'max'}),
        (c, trace) => {
          const want = figure4Arc(trace, c)
          const arc = new ArcReplacer(c, c)
          const hits = drive(arc, c, trace)
          assert.equal(hits, want.hits)
          const {policy: _policy, c: _c, ...state} = arc.describe()
          assert.deepEqual(state, {p: want.p, t1: want.t1, t2: want.t2, b1: want.b1, b2: want.b2, lists: want.lists})
        },
      ),
      {seed: 7, numRuns: 300},
    )
  })

  it('passes over pinned frames, trying the other list when the chosen one is all pinned', () => {
    const arc = new ArcReplacer(3, 3)
    arc.admit(0, 10)
    arc.admit(1, 11)
    arc.admit(2, 12)
    arc.access(2) // T1 = [0, 1], T2 = [2]; p = 0 so T1 is chosen
    assert.equal(arc.victim(new Int32Array([1, 0, 0]), 13), 1)
    assert.equal(arc.victim(new Int32Array([1, 1, 0]), 13), 2)
    assert.equal(arc.victim(new Int32Array([1, 1, 1]), 13), -1)
  })

  it('forgets a dropped page instead of leaving a ghost', () => {
    const arc = new ArcReplacer(2, 2)
    arc.admit(0, 10)
    arc.admit(1, 11)
    arc.remove(0, false)
    arc.remove(1, true)
    assert.deepEqual(counts(arc), {policy: 'arc', c: 2, p: 0, t1: 0, t2: 0, b1: 1, b2: 0})
  })

  it('keeps its ghosts through a resize to a larger c, and a ghost hit still adapts p', () => {
    const arc = new ArcReplacer(2, 2)
    const table = new Map<number, number>()
    drive(arc, 2, [1, 2, 2, 3], table) // 1 leaves T1 for B1
    assert.deepEqual(counts(arc), {policy: 'arc', c: 2, p: 0, t1: 1, t2: 1, b1: 1, b2: 0})
    arc.resize(4)
    arc.grow(4)
    assert.deepEqual(counts(arc), {policy: 'arc', c: 4, p: 0, t1: 1, t2: 1, b1: 1, b2: 0})
    drive(arc, 4, [1], table) // a miss on ghost 1, into a free frame: p grows, 1 comes back into T2
    assert.deepEqual(counts(arc), {policy: 'arc', c: 4, p: 1, t1: 1, t2: 2, b1: 0, b2: 0})
    drive(arc, 4, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], table)
    const {t1, t2, b1, b2} = arc.describe() as Record<string, number>
    assert.ok(t1 + t2 === 4 && t1 + b1 <= 4 && t1 + t2 + b1 + b2 <= 8, `directory ${JSON.stringify(arc.describe())}`)
  })
})
