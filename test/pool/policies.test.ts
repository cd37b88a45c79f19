/*
 * Each replacement policy against a plain reference model written here from the policy's
 * definition (arrays, indexOf, sort: no typed arrays, no heaps, no intrusive lists), driven
 * by random sequences of the calls MPool makes: gets (hit, miss into a free frame, miss with
 * a victim, growth when everything is pinned), pins and unpins, bare victim() calls, drops
 * and evictions. After every step both must pick the same victim, list the same order, and
 * the victim must be an occupied, unpinned frame.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {ArcReplacer} from '../../src/pool/policies/arc.js'
import {ClockReplacer} from '../../src/pool/policies/clock.js'
import {POLICIES, POLICY_NAMES, isPolicyName} from '../../src/pool/policies/index.js'
import {LruKReplacer} from '../../src/pool/policies/lru-k.js'
import {LruReplacer} from '../../src/pool/policies/lru.js'
import type {PolicyName, Replacer} from '../../src/pool/replacer.js'

/** The part of Replacer a reference model implements. */
interface Model {
  admit(frame: number, pgno: number): void
  access(frame: number): void
  victim(pins: Int32Array, incoming: number): number
  remove(frame: number, evicted: boolean): void
  order(): number[]
  /** what describe() must contain (checked key by key) */
  describe(): Record<string, unknown>
}

class LruModel implements Model {
  list: number[] = [] // least recent first
  admit(f: number): void {
    this.list.push(f)
  }
  access(f: number): void {
    this.list.splice(this.list.indexOf(f), 1)
    this.list.push(f)
  }
  victim(pins: Int32Array): number {
    return this.list.find((f) => pins[f] === 0) ?? -1
  }
  remove(f: number): void {
    this.list.splice(this.list.indexOf(f), 1)
  }
  order(): number[] {
    return [...this.list]
  }
  describe(): Record<string, unknown> {
    return {frames: this.list.length}
  }
}

class ClockModel implements Model {
  usage = new Map<number, number>() // frame -> usage count, for occupied frames
  hand = 0
  constructor(public capacity: number) {}
  admit(f: number): void {
    this.usage.set(f, 1)
  }
  access(f: number): void {
    this.usage.set(f, Math.min(5, this.usage.get(f)! + 1))
  }
  victim(pins: Int32Array): number {
    const candidates = [...this.usage.keys()].filter((f) => pins[f] === 0)
    if (candidates.length === 0) return -1 // one fruitless turn brings the hand back where it was
    for (;;) {
      const f = this.hand
      this.hand = (this.hand + 1) % this.capacity
      if (!this.usage.has(f) || pins[f] !== 0) continue
      if (this.usage.get(f) === 0) return f
      this.usage.set(f, this.usage.get(f)! - 1)
    }
  }
  remove(f: number): void {
    this.usage.delete(f)
  }
  order(): number[] {
    const dist = (f: number) => (f - this.hand + this.capacity) % this.capacity
    return [...this.usage.keys()].sort((a, b) => this.usage.get(a)! - this.usage.get(b)! || dist(a) - dist(b))
  }
  describe(): Record<string, unknown> {
    const usage = Array.from({length: this.capacity}, (_, f) => this.usage.get(f) ?? null)
    return {hand: this.hand, usage}
  }
}

class LruKModel implements Model {
  history = new Map<number, number[]>() // frame -> every access time, oldest first
  now = 0
  constructor(public k: number) {}
  admit(f: number): void {
    this.history.set(f, [++this.now])
  }
  access(f: number): void {
    this.history.get(f)!.push(++this.now)
  }
  /** backward k-distance: now minus the time of the k-th most recent access, or infinity */
  distance(f: number): number {
    const h = this.history.get(f)!
    return h.length < this.k ? Infinity : this.now - h[h.length - this.k]
  }
  /** true if a should be evicted before b */
  before(a: number, b: number): boolean {
    const da = this.distance(a)
    const db = this.distance(b)
    if (da === Infinity && db === Infinity) return this.history.get(a)![0] < this.history.get(b)![0]
    return da > db
  }
  victim(pins: Int32Array): number {
    let best = -1
    for (const f of this.history.keys()) {
      if (pins[f] !== 0) continue
      if (best === -1 || this.before(f, best)) best = f
    }
    return best
  }
  remove(f: number): void {
    this.history.delete(f)
  }
  order(): number[] {
    return [...this.history.keys()].sort((a, b) => (this.before(a, b) ? -1 : 1))
  }
  describe(): Record<string, unknown> {
    const frames = [...this.history.keys()]
      .sort((a, b) => a - b)
      .map((f) => {
        const d = this.distance(f)
        return {frame: f, history: Math.min(this.k, this.history.get(f)!.length), kDistance: d === Infinity ? null : d}
      })
    return {k: this.k, frames}
  }
}

class ArcModel implements Model {
  t1: number[] = [] // frames, least recent first
  t2: number[] = []
  b1: number[] = [] // page numbers, least recent first
  b2: number[] = []
  p = 0
  pgnoOf = new Map<number, number>()
  pending: {pgno: number; p: number} | undefined
  constructor(public c: number) {}
  adapted(pgno: number): number {
    if (this.b1.includes(pgno)) {
      const delta = this.b1.length >= this.b2.length ? 1 : Math.floor(this.b2.length / this.b1.length)
      return Math.min(this.c, this.p + delta)
    }
    if (this.b2.includes(pgno)) {
      const delta = this.b2.length >= this.b1.length ? 1 : Math.floor(this.b1.length / this.b2.length)
      return Math.max(0, this.p - delta)
    }
    return this.p
  }
  admit(f: number, pgno: number): void {
    const ghost = this.b1.includes(pgno) ? this.b1 : this.b2.includes(pgno) ? this.b2 : undefined
    if (ghost) {
      this.p = this.pending?.pgno === pgno ? this.pending.p : this.adapted(pgno)
      ghost.splice(ghost.indexOf(pgno), 1)
      this.t2.push(f)
    } else {
      if (this.t1.length + this.b1.length + 1 > this.c) {
        if (this.b1.length > 0) this.b1.shift()
      } else if (this.t1.length + this.t2.length + this.b1.length + this.b2.length + 1 > 2 * this.c) {
        this.b2.shift()
      }
      this.t1.push(f)
    }
    this.pending = undefined
    this.pgnoOf.set(f, pgno)
  }
  access(f: number): void {
    const list = this.t1.includes(f) ? this.t1 : this.t2
    list.splice(list.indexOf(f), 1)
    this.t2.push(f)
  }
  victim(pins: Int32Array, incoming: number): number {
    const p = this.adapted(incoming)
    this.pending = {pgno: incoming, p}
    const t1 = this.t1.length
    const fromT1 = t1 >= 1 && (t1 > p || (this.b2.includes(incoming) && t1 === p))
    const [first, second] = fromT1 ? [this.t1, this.t2] : [this.t2, this.t1]
    return first.find((f) => pins[f] === 0) ?? second.find((f) => pins[f] === 0) ?? -1
  }
  remove(f: number, evicted: boolean): void {
    const inT1 = this.t1.includes(f)
    const list = inT1 ? this.t1 : this.t2
    list.splice(list.indexOf(f), 1)
    if (evicted) {
      ;(inT1 ? this.b1 : this.b2).push(this.pgnoOf.get(f)!)
      while (this.t1.length + this.b1.length > this.c && this.b1.length > 0) this.b1.shift()
      while (this.t1.length + this.t2.length + this.b1.length + this.b2.length > 2 * this.c) {
        if (this.b2.length > 0) this.b2.shift()
        else if (this.b1.length > 0) this.b1.shift()
        else break
      }
    }
    this.pgnoOf.delete(f)
  }
  order(): number[] {
    const t1 = [...this.t1]
    const t2 = [...this.t2]
    const out: number[] = []
    while (t1.length + t2.length > 0) {
      if (t1.length > 0 && (t1.length > this.p || t2.length === 0)) out.push(t1.shift()!)
      else out.push(t2.shift()!)
    }
    return out
  }
  describe(): Record<string, unknown> {
    return {p: this.p, t1: this.t1.length, t2: this.t2.length, b1: this.b1.length, b2: this.b2.length}
  }
}

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
    assert.deepEqual(POLICY_NAMES, ['lru', 'clock', 'lru-k', 'arc'])
    for (const name of POLICY_NAMES) {
      assert.ok(isPolicyName(name))
      assert.equal(POLICIES[name](4, 4).name, name)
    }
    assert.equal(isPolicyName('fifo'), false)
    assert.equal(isPolicyName('toString'), false)
  })

  it('lru picks the same victims as a plain recency list', () => {
    fc.assert(
      fc.property(workload, ({capacity, steps}) => run('lru', new LruReplacer(capacity), new LruModel(), capacity, steps)),
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
