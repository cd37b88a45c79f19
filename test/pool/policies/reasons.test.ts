/*
 * Each policy's reason for its victim (Replacer.why) against the policy's state and its plain
 * reference model (test/helpers/reference-policies.ts), on random gets with random pins: the
 * reason names the victim victim() gave, and says what the model says about that frame.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {POLICIES, POLICY_NAMES} from '../../../src/pool/policies/index.js'
import type {ArcReason, ClockReason, FifoReason, LruKReason, LruReason} from '../../../src/pool/policies/reasons.js'
import type {PolicyName} from '../../../src/pool/replacer.js'
import {type ArcModel, type ClockModel, type FifoModel, type LruKModel, type LruModel, modelFor} from '../../helpers/reference-policies.js'

const C = 4
const workload = fc.array(fc.record({pgno: fc.nat(9), pin: fc.nat(C * 3)}), {minLength: 1, maxLength: 120})

/** play -- gets of `steps` on `policy` with C frames, one frame pinned now and then; `check` sees every victim's reason. */
function play(policy: PolicyName, steps: {pgno: number; pin: number}[], check: (reason: unknown, model: unknown, before: Record<string, unknown>, after: Record<string, unknown>, pins: Int32Array) => void): void {
  const replacer = POLICIES[policy](C, C)
  const model = modelFor(policy, C)
  const pins = new Int32Array(C)
  const frameOf = new Map<number, number>()
  const pgnoOf = new Map<number, number>()
  for (const {pgno, pin} of steps) {
    pins.fill(0)
    if (pin < C) pins[pin] = 1 // one pinned frame, sometimes
    const hit = frameOf.get(pgno)
    if (hit !== undefined) {
      replacer.access(hit)
      model.access(hit)
      continue
    }
    let f = pgnoOf.size < C ? pgnoOf.size : -1
    if (f === -1) {
      const before = replacer.describe()
      f = replacer.victim(pins, pgno)
      assert.equal(f, model.victim(pins, pgno), `${policy}: the same victim as the model`)
      const reason = replacer.why!(f, pins, pgno)
      assert.equal((reason as {frame: number}).frame, f, `${policy}: the reason names the victim`)
      assert.equal(reason.policy, policy)
      check(reason, model, before, replacer.describe(), pins)
      replacer.remove(f, true)
      model.remove(f, true)
      frameOf.delete(pgnoOf.get(f)!)
    }
    replacer.admit(f, pgno)
    model.admit(f, pgno)
    frameOf.set(pgno, f)
    pgnoOf.set(f, pgno)
  }
}

describe('victim reasons', () => {
  it('every policy can say why', () => {
    for (const name of POLICY_NAMES) assert.equal(typeof POLICIES[name](1, 1).why, 'function', name)
  })

  it('lru and fifo: the victim is the first unpinned frame of the list, the pinned ones before it passed', () => {
    for (const policy of ['lru', 'fifo'] as const) {
      fc.assert(
        fc.property(workload, (steps) =>
          play(policy, steps, (r, m, _b, _a, pins) => {
            const reason = r as LruReason | FifoReason
            const list = policy === 'lru' ? (m as LruModel).list : (m as FifoModel).queue
            assert.deepEqual(reason.passed, list.slice(0, list.indexOf(reason.frame)).filter((f) => pins[f] !== 0))
            if (reason.policy === 'fifo') assert.deepEqual(reason.queue, list)
          }),
        ),
        {seed: 12, numRuns: 200},
      )
    }
  })

  it('clock: each count cut went from its count before the sweep to its count after, and the victim ended at 0', () => {
    fc.assert(
      fc.property(workload, (steps) =>
        play('clock', steps, (r, m, before, after, pins) => {
          const reason = r as ClockReason
          const was = before.usage as (number | null)[]
          const now = after.usage as (number | null)[]
          assert.equal(reason.from, before.hand)
          assert.equal(now[reason.frame], 0)
          for (const cut of reason.cut) {
            assert.equal(cut.from, was[cut.frame], `frame ${cut.frame} before`)
            assert.equal(cut.to, now[cut.frame], `frame ${cut.frame} after`)
            assert.ok(cut.from > cut.to && pins[cut.frame] === 0)
          }
          // every unpinned frame whose count fell is named, and none other
          const fell = was.map((u, f) => (u !== null && now[f] !== null && now[f]! < u ? f : -1)).filter((f) => f >= 0)
          assert.deepEqual(reason.cut.map((c) => c.frame).sort(), fell.sort())
          assert.equal((m as ClockModel).hand, after.hand)
        }),
      ),
      {seed: 13, numRuns: 200},
    )
  })

  it("lru-k: infinite exactly when the model's distance is, else the model's backward k-distance", () => {
    fc.assert(
      fc.property(workload, (steps) =>
        play('lru-k', steps, (r, m) => {
          const reason = r as LruKReason
          const model = m as LruKModel
          const d = model.distance(reason.frame)
          assert.equal(reason.infinite, d === Infinity)
          assert.equal(reason.kDistance, d === Infinity ? null : d)
          assert.deepEqual(reason.history, model.history.get(reason.frame)!.slice(-2))
        }),
      ),
      {seed: 14, numRuns: 200},
    )
  })

  it("arc: the victim's list, |T1| and the p after the incoming page's ghost hit are the model's", () => {
    fc.assert(
      fc.property(workload, (steps) =>
        play('arc', steps, (r, m, before) => {
          const reason = r as ArcReason
          const model = m as ArcModel
          assert.equal(reason.from, model.t1.includes(reason.frame) ? 'T1' : 'T2')
          assert.equal(reason.t1, model.t1.length)
          assert.equal(reason.pBefore, before.p)
          assert.equal(reason.p, model.pending!.p)
        }),
      ),
      {seed: 15, numRuns: 200},
    )
  })
})
