/**
 * stepper -- a trace replayed one access at a time, with everything a teacher's answer key
 * shows: hit or miss, the victim and the policy's reason for it, the frames afterwards in
 * frame order, and the policy's own state.
 *
 * It drives the engine's one miss path (FrameMap, as replay() does: the same page table, free
 * frames and Replacer, so its hits are replay()'s), with a frame holder that notes the victim
 * and asks the policy why (Replacer.why) before the frame is emptied. Steps count from 1, and
 * the stepper fills in what only a step counter knows: when LRU's victim was last used and when
 * FIFO's came in. OPT is a Replacer here too (OptReplacer below): it is told the index of the
 * access being made and looks ahead in the trace, so a step of OPT reads like a step of any
 * policy. Its choice is the fast replayOpt's exactly: the largest next use, where a page never
 * used again after access i counts as n + i (so the most recently used of those goes first).
 *
 * This costs an object per step and a describe() per step: it is for answer keys, divergence
 * lists and the REPL's live play, not for the hit-ratio report (replay() and replayOpt()).
 *
 *   const s = new TraceStepper(pgnos, 'clock', 3)
 *   for (let row = s.next(); row !== null; row = s.next()) ...
 */
import {type FrameHolder, FrameMap, isPolicyName, MPoolError, NO_FRAME, POLICIES, POLICY_NAMES, type PolicyName, type Replacer, type VictimReason, widened} from '../pool/index.js'
import type {ReplayInput, Series} from './simulator.js'

/** One access of a stepped replay. */
export interface StepRow {
  /** 1 for the first access */
  step: number
  pgno: number
  hit: boolean
  /** the frame that holds the page after the access */
  frame: number
  /** the page given up to make room, its frame and the policy's reason; null on a hit or into a free frame */
  victim: {pgno: number; frame: number; why: VictimReason | null} | null
  /** the page in each frame after the access, in frame order (null: empty), for every frame the replay may use */
  frames: (number | null)[]
  /** the policy's own state after the access (Replacer.describe(), and for every policy its eviction order as `order`, frames) */
  state: Record<string, unknown>
}

/** What a stepped replay counted, with its steps. */
export interface StepsResult {
  policy: Series
  maxcache: number
  hits: number
  misses: number
  accesses: number
  steps: StepRow[]
}

/** StepFrames -- frames without bytes that remember the last victim and why it was chosen. */
class StepFrames implements FrameHolder {
  victim = NO_FRAME
  victimPgno = -1
  why: VictimReason | null = null
  replacer: Replacer | null = null
  map: FrameMap | null = null
  readonly pins: Int32Array

  constructor(frames: number) {
    this.pins = new Int32Array(frames)
  }

  added(): void {}

  evict(frame: number, incoming: number): void {
    this.victim = frame
    this.victimPgno = this.map!.pgnoOf[frame]
    this.why = this.replacer?.why?.(frame, this.pins, incoming) ?? null
  }

  full(incoming: number): number {
    throw new Error(`the replacer gave no victim for page ${incoming} with nothing pinned`)
  }
}

/**
 * OptReplacer -- Belady's OPT as a Replacer over a known trace: before each access the stepper
 * says which access it is (at(i)); each frame remembers the next use of its page.
 */
export class OptReplacer implements Replacer {
  // FrameMap takes a Replacer, whose name is a pool's policy; OPT can never be a pool's (it needs
  // the future), and nothing on the replay path reads the name, so it is given as the type wants
  readonly name = 'opt' as unknown as PolicyName
  private readonly nextUse: Int32Array // for access i: index of the next access to its page, or n + i
  private key: Float64Array // frame -> next use of its page (as nextUse), -1 when empty
  private now = 0

  constructor(pgnos: Uint32Array, capacity: number) {
    const n = pgnos.length
    this.nextUse = new Int32Array(n)
    const later = new Map<number, number>()
    for (let i = n - 1; i >= 0; i--) {
      const j = later.get(pgnos[i])
      this.nextUse[i] = j === undefined ? n + i : j
      later.set(pgnos[i], i)
    }
    this.key = new Float64Array(Math.max(capacity, 1)).fill(-1)
  }

  /** at -- access i is the one being made. */
  at(i: number): void {
    this.now = i
  }

  grow(capacity: number): void {
    if (capacity > this.key.length) this.key = widened(this.key, capacity, -1)
  }

  admit(frame: number): void {
    this.key[frame] = this.nextUse[this.now]
  }

  access(frame: number): void {
    this.key[frame] = this.nextUse[this.now]
  }

  victim(pins: Int32Array): number {
    let best = NO_FRAME
    for (let f = 0; f < this.key.length; f++) {
      if (this.key[f] >= 0 && pins[f] === 0 && (best === NO_FRAME || this.key[f] > this.key[best])) best = f
    }
    return best
  }

  why(victim: number): VictimReason {
    const k = this.key[victim]
    return {policy: 'opt', frame: victim, nextUse: k < this.nextUse.length ? k + 1 : null}
  }

  remove(frame: number): void {
    this.key[frame] = -1
  }

  order(): number[] {
    const frames: number[] = []
    for (let f = 0; f < this.key.length; f++) if (this.key[f] >= 0) frames.push(f)
    return frames.sort((a, b) => this.key[b] - this.key[a])
  }

  /** describe -- each occupied frame's next use as a step (null: never again). */
  describe(): Record<string, unknown> {
    const n = this.nextUse.length
    const next: {frame: number; nextUse: number | null}[] = []
    for (let f = 0; f < this.key.length; f++) if (this.key[f] >= 0) next.push({frame: f, nextUse: this.key[f] < n ? this.key[f] + 1 : null})
    return {policy: 'opt', next}
  }
}

/** TraceStepper -- one access at a time (see the header). */
export class TraceStepper {
  readonly series: Series
  readonly maxcache: number
  hits = 0
  misses = 0
  /** accesses made so far */
  done = 0
  private readonly pgnos: Uint32Array
  private readonly map: FrameMap
  private readonly holder: StepFrames
  private readonly replacer: Replacer
  private readonly opt: OptReplacer | null
  private readonly frameCount: number // frames the replay may use: min(maxcache, accesses)
  private lastUse: number[] = [] // frame -> step of its page's last use
  private cameIn: number[] = [] // frame -> step its page came in

  /** `detail` false leaves out each row's frames and state (a divergence list needs only hits). */
  constructor(trace: ReplayInput, series: Series, maxcache: number, private readonly detail = true) {
    if (!Number.isInteger(maxcache) || maxcache < 1) throw new MPoolError('EINVAL', `maxcache must be a positive integer, got ${maxcache}`)
    if (series !== 'opt' && !isPolicyName(series)) throw new MPoolError('EINVAL', `unknown policy ${String(series)}; choose one of ${POLICY_NAMES.join(', ')} or opt`)
    this.pgnos = trace instanceof Uint32Array ? trace : trace.pgnos
    this.series = series
    this.maxcache = maxcache
    const frames = Math.max(1, Math.min(maxcache, this.pgnos.length))
    this.frameCount = frames
    this.opt = series === 'opt' ? new OptReplacer(this.pgnos, frames) : null
    this.replacer = this.opt ?? POLICIES[series as Exclude<Series, 'opt'>](frames, maxcache)
    this.holder = new StepFrames(frames)
    this.holder.replacer = detail ? this.replacer : null // no reasons asked for when no detail is
    this.map = new FrameMap(this.replacer, frames, this.holder)
    this.holder.map = this.map
  }

  /** length -- accesses in the trace. */
  get length(): number {
    return this.pgnos.length
  }

  /** next -- make the next access and tell it; null once the trace is done. */
  next(): StepRow | null {
    if (this.done === this.pgnos.length) return null
    const i = this.done++
    const step = i + 1
    const pgno = this.pgnos[i]
    this.opt?.at(i)
    const map = this.map
    let frame = map.lookup(pgno)
    let victim: StepRow['victim'] = null
    const hit = frame !== NO_FRAME
    if (hit) {
      map.touch(frame)
      this.hits++
    } else {
      this.misses++
      this.holder.victim = NO_FRAME
      frame = map.claim(pgno, this.holder.pins)
      if (this.holder.victim !== NO_FRAME) victim = {pgno: this.holder.victimPgno, frame, why: this.annotated(this.holder.why, frame)}
      map.install(frame, pgno)
      this.cameIn[frame] = step
    }
    this.lastUse[frame] = step
    if (!this.detail) return {step, pgno, hit, frame, victim, frames: [], state: {}}
    return {step, pgno, hit, frame, victim, frames: this.frames(), state: {...this.replacer.describe(), order: this.replacer.order()}}
  }

  /** rest -- every step left, in order. */
  rest(): StepRow[] {
    const rows: StepRow[] = []
    for (let row = this.next(); row !== null; row = this.next()) rows.push(row)
    return rows
  }

  /** annotated -- the policy's reason with the steps only the stepper counts (LRU: last used; FIFO: came in). */
  private annotated(why: VictimReason | null, frame: number): VictimReason | null {
    if (why === null) return null
    if (why.policy === 'lru') return {...why, lastUsed: this.lastUse[frame]}
    if (why.policy === 'fifo') return {...why, cameIn: this.cameIn[frame]}
    return why
  }

  private frames(): (number | null)[] {
    const out: (number | null)[] = []
    for (let f = 0; f < this.frameCount; f++) out.push(f < this.map.frames && this.map.held(f) ? this.map.pgnoOf[f] : null)
    return out
  }
}

/** A step where the policies compared did not all agree: who hit and who missed. */
export interface Divergence {
  step: number
  pgno: number
  hit: Series[]
  miss: Series[]
}

/**
 * divergences -- the steps of `trace` at which, with `maxcache` frames, some of `series` hit
 * and the others miss, in order (the moments a class should stop and look).
 */
export function divergences(trace: ReplayInput, series: readonly Series[], maxcache: number): Divergence[] {
  const steppers = series.map((s) => new TraceStepper(trace, s, maxcache, false))
  const out: Divergence[] = []
  for (;;) {
    const rows = steppers.map((s) => s.next())
    if (rows[0] === null || rows[0] === undefined) return out
    const hit = series.filter((_, i) => rows[i]!.hit)
    if (hit.length !== 0 && hit.length !== series.length) {
      out.push({step: rows[0].step, pgno: rows[0].pgno, hit, miss: series.filter((_, i) => !rows[i]!.hit)})
    }
  }
}

/** stepsOf -- the whole trace stepped through `series` with `maxcache` frames: the counts and every row. */
export function stepsOf(trace: ReplayInput, series: Series, maxcache: number): StepsResult {
  const stepper = new TraceStepper(trace, series, maxcache)
  const steps = stepper.rest()
  return {policy: series, maxcache, hits: stepper.hits, misses: stepper.misses, accesses: stepper.length, steps}
}
