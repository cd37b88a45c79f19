/*
 * Each replacement policy against its plain reference model (test/helpers/reference-policies.ts:
 * arrays, indexOf, sort: no typed arrays, no heaps, no intrusive lists), driven
 * by random sequences of the calls MPool makes: gets (hit, miss into a free frame, miss with
 * a victim, growth when everything is pinned), pins and unpins, bare victim() calls, drops
 * and evictions. After every step both must pick the same victim, list the same order, and
 * the victim must be an occupied, unpinned frame.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {ArcReplacer} from '../../src/pool/policies/arc.js'
import {ClockReplacer} from '../../src/pool/policies/clock.js'
import {FifoReplacer} from '../../src/pool/policies/fifo.js'
import {POLICIES, POLICY_NAMES, isPolicyName} from '../../src/pool/policies/index.js'
import {LruKReplacer} from '../../src/pool/policies/lru-k.js'
import {LruReplacer} from '../../src/pool/policies/lru.js'
import type {PolicyName, Replacer} from '../../src/pool/replacer.js'
import {ArcModel, ClockModel, FifoModel, LruKModel, LruModel, type Model} from '../helpers/reference-policies.js'

/** A step of the random workload. Indices pick among the occupied frames, modulo their number. */
type Step =
  | {op: 'get'; pgno: number}
  | {op: 'pin'; i: number}
  | {op: 'unpin'; i: number}
  | {op: 'victim'; pgno: number}
  | {op: 'drop'; i: number}
  | {op: 'evict'; i: number}

const PAGES = 12
const step: fc.Arbitrary<Step> = fc.oneof(
  {weight: 8, arbitrary: fc.record({op: fc.constant('get' as const), pgno: fc.nat(PAGES - 1)})},
  {weight: 2, arbitrary: fc.record({op: fc.constant('pin' as const), i: fc.nat(63)})},
  {weight: 2, arbitrary: fc.record({op: fc.constant('unpin' as const), i: fc.nat(63)})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('victim' as const), pgno: fc.nat(PAGES - 1)})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('drop' as const), i: fc.nat(63)})},
  {weight: 1, arbitrary: fc.record({op: fc.constant('evict' as const), i: fc.nat(63)})},
)

/**
 * run -- plays `steps` on a replacer and its model the way MPool would, comparing them after
 * every step; the pool grows by one frame when a get finds every frame pinned.
 */
function run(policy: PolicyName, replacer: Replacer, model: Model, initial: number, steps: Step[], onGrow?: (c: number) => void): void {
  let capacity = initial
  const pins = new Int32Array(64)
  const frameOf = new Map<number, number>() // pgno -> frame
  const pgnoOf = new Map<number, number>() // frame -> pgno
  const occupied = () => [...pgnoOf.keys()].sort((a, b) => a - b)
  const freeFrame = () => {
    for (let f = 0; f < capacity; f++) if (!pgnoOf.has(f)) return f
    return -1
  }
  const place = (f: number, pgno: number) => {
    replacer.admit(f, pgno)
    model.admit(f, pgno)
    frameOf.set(pgno, f)
    pgnoOf.set(f, pgno)
  }
  const unmap = (f: number) => {
    frameOf.delete(pgnoOf.get(f)!)
    pgnoOf.delete(f)
    pins[f] = 0
  }
  const chooseVictim = (incoming: number): number => {
    const v = replacer.victim(pins, incoming)
    const w = model.victim(pins, incoming)
    assert.equal(v, w, `${policy}: victim for page ${incoming}`)
    if (v !== -1) {
      assert.ok(pgnoOf.has(v), `${policy}: victim ${v} holds no page`)
      assert.equal(pins[v], 0, `${policy}: victim ${v} is pinned`)
    } else {
      assert.ok(occupied().every((f) => pins[f] !== 0), `${policy}: no victim although a frame is unpinned`)
    }
    return v
  }
  for (const s of steps) {
    const frames = occupied()
    switch (s.op) {
      case 'get': {
        const hit = frameOf.get(s.pgno)
        if (hit !== undefined) {
          replacer.access(hit)
          model.access(hit)
          break
        }
        const free = freeFrame()
        if (free !== -1) {
          place(free, s.pgno)
          break
        }
        const v = chooseVictim(s.pgno)
        if (v === -1) {
          capacity++
          replacer.grow(capacity)
          onGrow?.(capacity)
          place(capacity - 1, s.pgno)
        } else {
          replacer.remove(v, true)
          model.remove(v, true)
          unmap(v)
          place(v, s.pgno)
        }
        break
      }
      case 'pin':
        if (frames.length > 0) pins[frames[s.i % frames.length]]++
        break
      case 'unpin': {
        const pinned = frames.filter((f) => pins[f] > 0)
        if (pinned.length > 0) pins[pinned[s.i % pinned.length]]--
        break
      }
      case 'victim':
        chooseVictim(s.pgno)
        break
      case 'drop':
      case 'evict':
        if (frames.length > 0) {
          const f = frames[s.i % frames.length]
          replacer.remove(f, s.op === 'evict')
          model.remove(f, s.op === 'evict')
          unmap(f)
        }
        break
    }
    assert.deepEqual(replacer.order(), model.order(), `${policy}: order after ${JSON.stringify(s)}`)
    const described = replacer.describe()
    for (const [key, value] of Object.entries(model.describe())) {
      assert.deepEqual(described[key], value, `${policy}: describe().${key} after ${JSON.stringify(s)}`)
    }
  }
}

const workload = fc.record({capacity: fc.integer({min: 1, max: 6}), steps: fc.array(step, {maxLength: 150, size: 'max'})})
const settings = {seed: 20240611, numRuns: 400}

describe('replacement policies', () => {
  it('registers every policy by its name, with lru the first', () => {
    assert.deepEqual(POLICY_NAMES, ['lru', 'fifo', 'clock', 'lru-k', 'arc'])
    for (const name of POLICY_NAMES) {
      assert.ok(isPolicyName(name))
      assert.equal(POLICIES[name](4, 4).name, name)
    }
    assert.equal(isPolicyName('opt'), false, 'OPT needs the future: the simulator has it, a pool cannot')
    assert.equal(isPolicyName('toString'), false)
  })

  it('lru picks the same victims as a plain recency list', () => {
    fc.assert(
      fc.property(workload, ({capacity, steps}) => run('lru', new LruReplacer(capacity), new LruModel(), capacity, steps)),
      settings,
    )
  })

  it('fifo picks the same victims as a plain queue in order of arrival, whatever the hits', () => {
    fc.assert(
      fc.property(workload, ({capacity, steps}) => run('fifo', new FifoReplacer(capacity), new FifoModel(), capacity, steps)),
      settings,
    )
  })

  it('clock picks the same victims as a plain clock sweep over usage counts capped at 5', () => {
    fc.assert(
      fc.property(workload, ({capacity, steps}) => {
        const model = new ClockModel(capacity)
        run('clock', new ClockReplacer(capacity), model, capacity, steps, (c) => (model.capacity = c))
      }),
      settings,
    )
  })

  it('lru-k picks the same victims as backward k-distances computed from full histories, for k = 1, 2 and 3', () => {
    fc.assert(
      fc.property(workload, fc.integer({min: 1, max: 3}), ({capacity, steps}, k) =>
        run('lru-k', new LruKReplacer(capacity, {k}), new LruKModel(k), capacity, steps),
      ),
      settings,
    )
  })

  it('arc picks the same victims as lists of frames and page numbers kept in plain arrays', () => {
    fc.assert(
      fc.property(workload, ({capacity, steps}) =>
        run('arc', new ArcReplacer(capacity, capacity), new ArcModel(capacity), capacity, steps),
      ),
      settings,
    )
  })

  it('clock gives up with -1 when every occupied frame is pinned, and leaves the hand where it was', () => {
    const clock = new ClockReplacer(4)
    for (let f = 0; f < 4; f++) clock.admit(f, f)
    const pins = new Int32Array([1, 1, 1, 1])
    assert.equal(clock.victim(pins, 9), -1)
    assert.equal(clock.describe().hand, 0)
    assert.deepEqual(clock.describe().usage, [1, 1, 1, 1])
  })

  it('clock passes a pinned frame without touching its count, and stops just past the victim', () => {
    const clock = new ClockReplacer(3)
    for (let f = 0; f < 3; f++) clock.admit(f, f) // counts 1 1 1
    clock.access(0)
    clock.access(0) // counts 3 1 1
    const pins = new Int32Array([0, 1, 0])
    // turn 1: 0 -> 2, 1 skipped, 2 -> 0; turn 2: 0 -> 1, 1 skipped, 2 is at 0: the victim
    assert.equal(clock.victim(pins, 9), 2)
    assert.deepEqual(clock.describe().usage, [1, 1, 0])
    assert.equal(clock.describe().hand, 0)
  })

  it('clock caps a usage count at 5', () => {
    const clock = new ClockReplacer(1)
    clock.admit(0, 0)
    for (let i = 0; i < 10; i++) clock.access(0)
    assert.deepEqual(clock.describe().usage, [5])
  })

  it('every policy keeps working on frames added by grow()', () => {
    for (const name of POLICY_NAMES) {
      const r = POLICIES[name](2, 2)
      r.admit(0, 10)
      r.admit(1, 11)
      r.grow(40)
      for (let f = 2; f < 40; f++) r.admit(f, 10 + f)
      const pins = new Int32Array(40).fill(1)
      pins[37] = 0
      assert.equal(r.victim(pins, 99), 37, name)
      assert.equal(r.order().length, 40, name)
    }
  })
})
