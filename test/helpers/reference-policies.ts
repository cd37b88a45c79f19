/**
 * reference-policies -- every replacement policy written plainly from its definition (arrays,
 * indexOf, sort: no typed arrays, no heaps, no intrusive lists), for tests to check the real
 * ones against, and to derive expected numbers from instead of writing them down:
 *
 *   LruModel, FifoModel, ClockModel, LruKModel, ArcModel   the Replacer calls, frame by frame
 *   figure4Arc                                              Megiddo & Modha's Figure 4 as printed
 *   bruteOpt                                                Belady's OPT by looking ahead
 *   modelReplay                                             a model driven as a pool's gets drive it
 */
import type {PolicyName} from '../../src/pool/replacer.js'

/** The part of Replacer a reference model implements. */
export interface Model {
  admit(frame: number, pgno: number): void
  access(frame: number): void
  victim(pins: Int32Array, incoming: number): number
  remove(frame: number, evicted: boolean): void
  order(): number[]
  /** what describe() must contain (checked key by key) */
  describe(): Record<string, unknown>
}

export class LruModel implements Model {
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

export class FifoModel implements Model {
  queue: number[] = [] // frames, first in first
  admit(f: number): void {
    this.queue.push(f)
  }
  access(): void {}
  victim(pins: Int32Array): number {
    return this.queue.find((f) => pins[f] === 0) ?? -1
  }
  remove(f: number): void {
    this.queue.splice(this.queue.indexOf(f), 1)
  }
  order(): number[] {
    return [...this.queue]
  }
  describe(): Record<string, unknown> {
    return {frames: this.queue.length, queue: [...this.queue]}
  }
}

export class ClockModel implements Model {
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

export class LruKModel implements Model {
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
        const h = this.history.get(f)!
        return {frame: f, history: Math.min(this.k, h.length), times: h.slice(-this.k), kDistance: d === Infinity ? null : d}
      })
    return {k: this.k, frames}
  }
}

export class ArcModel implements Model {
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
      const delta = this.b1.length >= this.b2.length ? 1 : this.b2.length / this.b1.length
      return Math.min(this.c, this.p + delta)
    }
    if (this.b2.includes(pgno)) {
      const delta = this.b2.length >= this.b1.length ? 1 : this.b1.length / this.b2.length
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
    const pages = (frames: number[]) => frames.map((f) => this.pgnoOf.get(f)!)
    return {
      p: this.p,
      t1: this.t1.length,
      t2: this.t2.length,
      b1: this.b1.length,
      b2: this.b2.length,
      lists: {T1: pages(this.t1), T2: pages(this.t2), B1: [...this.b1], B2: [...this.b2]},
    }
  }
}

/** modelFor -- the reference model of `policy` for a cache of `c` frames (lru-k with k = 2, as the pool opens it). */
export function modelFor(policy: PolicyName, c: number): Model {
  switch (policy) {
    case 'lru':
      return new LruModel()
    case 'fifo':
      return new FifoModel()
    case 'clock':
      return new ClockModel(c)
    case 'lru-k':
      return new LruKModel(2)
    case 'arc':
      return new ArcModel(c)
  }
}

/** What a model did on one access of modelReplay. */
export interface ModelStep {
  pgno: number
  hit: boolean
  /** the page evicted, or null */
  victim: number | null
}

/**
 * modelReplay -- `trace` through the reference model of `policy` with `c` frames, nothing pinned,
 * driven as the pool drives a replacer on get: a hit is access(f); a miss takes the lowest free
 * frame, else victim() then remove(v, true); then admit(f, pgno).
 */
export function modelReplay(policy: PolicyName, trace: ArrayLike<number>, c: number): {hits: number; steps: ModelStep[]} {
  const model = modelFor(policy, c)
  const pins = new Int32Array(c)
  const frameOf = new Map<number, number>()
  const pgnoOf = new Map<number, number>()
  const steps: ModelStep[] = []
  let hits = 0
  for (let i = 0; i < trace.length; i++) {
    const pgno = trace[i]
    const hit = frameOf.get(pgno)
    if (hit !== undefined) {
      model.access(hit)
      hits++
      steps.push({pgno, hit: true, victim: null})
      continue
    }
    let f = pgnoOf.size < c ? pgnoOf.size : -1
    let victim: number | null = null
    if (f === -1) {
      f = model.victim(pins, pgno)
      model.remove(f, true)
      victim = pgnoOf.get(f)!
      frameOf.delete(victim)
    }
    model.admit(f, pgno)
    frameOf.set(pgno, f)
    pgnoOf.set(f, pgno)
    steps.push({pgno, hit: false, victim})
  }
  return {hits, steps}
}

/**
 * figure4Arc -- ARC(c) exactly as Megiddo & Modha print it (FAST '03, Figure 4), over four
 * arrays of page numbers, least recent first; p and the ratios are real numbers.
 */
export function figure4Arc(trace: ArrayLike<number>, c: number) {
  const T1: number[] = []
  const T2: number[] = []
  const B1: number[] = []
  const B2: number[] = []
  let p = 0
  let hits = 0
  const victims: (number | null)[] = []
  const take = (list: number[], x: number) => list.splice(list.indexOf(x), 1)
  // REPLACE(x_t, p): if (|T1| >= 1) and ((x_t in B2 and |T1| = p) or (|T1| > p)) move T1's LRU to B1, else T2's LRU to B2
  const replace = (x: number): number => {
    if (T1.length >= 1 && ((B2.includes(x) && T1.length === p) || T1.length > p)) {
      const v = T1.shift()!
      B1.push(v)
      return v
    }
    const v = T2.shift()!
    B2.push(v)
    return v
  }
  for (let i = 0; i < trace.length; i++) {
    const x = trace[i]
    let victim: number | null = null
    if (T1.includes(x) || T2.includes(x)) {
      // Case I: a hit; move x to the MRU position of T2
      hits++
      take(T1.includes(x) ? T1 : T2, x)
      T2.push(x)
    } else if (B1.includes(x)) {
      // Case II: adapt p = min(c, p + δ1), δ1 = 1 if |B1| >= |B2| else |B2|/|B1|; REPLACE; x to T2
      p = Math.min(c, p + (B1.length >= B2.length ? 1 : B2.length / B1.length))
      victim = replace(x)
      take(B1, x)
      T2.push(x)
    } else if (B2.includes(x)) {
      // Case III: adapt p = max(0, p - δ2), δ2 = 1 if |B2| >= |B1| else |B1|/|B2|; REPLACE; x to T2
      p = Math.max(0, p - (B2.length >= B1.length ? 1 : B1.length / B2.length))
      victim = replace(x)
      take(B2, x)
      T2.push(x)
    } else {
      // Case IV: x is in none of the four lists
      const L1 = T1.length + B1.length
      const L2 = T2.length + B2.length
      if (L1 === c) {
        // A: if |T1| < c delete B1's LRU and REPLACE, else delete T1's LRU (from the cache)
        if (T1.length < c) {
          B1.shift()
          victim = replace(x)
        } else {
          victim = T1.shift()!
        }
      } else if (L1 < c && L1 + L2 >= c) {
        // B: if the directory is full (2c) delete B2's LRU; REPLACE
        if (L1 + L2 === 2 * c) B2.shift()
        victim = replace(x)
      }
      T1.push(x)
    }
    victims.push(victim)
  }
  return {hits, p, victims, t1: T1.length, t2: T2.length, b1: B1.length, b2: B2.length, lists: {T1, T2, B1, B2}}
}

/** bruteOpt -- Belady's OPT the slow way: on a miss with a full cache, evict the page whose next use is furthest (never: furthest of all). */
export function bruteOpt(trace: ArrayLike<number>, c: number): number {
  const all = Array.from(trace)
  const cache: number[] = []
  let hits = 0
  all.forEach((x, i) => {
    if (cache.includes(x)) {
      hits++
      return
    }
    if (cache.length === c) {
      const nextUse = (p: number) => {
        const j = all.indexOf(p, i + 1)
        return j === -1 ? Infinity : j
      }
      let worst = 0
      for (let k = 1; k < cache.length; k++) if (nextUse(cache[k]) > nextUse(cache[worst])) worst = k
      cache.splice(worst, 1)
    }
    cache.push(x)
  })
  return hits
}
