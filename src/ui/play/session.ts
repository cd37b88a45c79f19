/**
 * session -- a trace played live: one stepper per policy in lockstep, the steps where they
 * disagree, OPT's ceiling, and the last steps told.
 *
 *   seek(n)   every policy at step n: forward one access at a time, or (n below where they
 *             are) from a fresh start, so any step is reached by the same path replay takes
 *
 * Policy, in a sentence each:
 *  - Every policy runs the same trace with the same maxcache through TraceStepper (the
 *    engine's miss path, src/workload/stepper.ts), so each one's hits after n steps are
 *    `replay`'s on n accesses. A page is dirty from an access marked `d` until it leaves: a
 *    dirty victim is counted as written back, as the pool would write it (nothing is written:
 *    live play touches no file).
 *  - A divergence is a step at which at least one policy hits and another misses. They are
 *    found once, up front, by a run of every policy over the whole trace.
 *  - OPT's hits are its hits on the accesses so far (Belady on the prefix): no policy can have
 *    more at that step, so it is the ceiling drawn beside them.
 *  - The log keeps the last LOG_STEPS steps, each with every policy's record.
 * Nothing here knows React or the terminal.
 */
import type {PolicyName, VictimReason} from '../../pool/index.js'
import {distinctPages} from '../../replay/options.js'
import {replayOpt} from '../../workload/simulator.js'
import {type StepRow, TraceStepper} from '../../workload/stepper.js'
import type {Trace} from '../../workload/trace.js'

/** What one policy did on one access, as live play tells it. */
export interface PlayRecord {
  /** 1 for the trace's first access */
  step: number
  pgno: number
  /** the access dirtied the page (`N d` in the trace) */
  dirty: boolean
  hit: boolean
  /** the frame that holds the page after the access */
  frame: number
  /** the page a miss evicted (dirty: written back first), or null */
  victim: {pgno: number; frame: number; dirty: boolean} | null
  /** the policy's reason for that victim */
  reason: VictimReason | null
}

/** A cached page as the grid draws it, in the policy's eviction order; nothing is pinned. */
export interface LaneFrame {
  frame: number
  pgno: number
  pins: number
  dirty: boolean
}

/**
 * Lane -- one policy's play: the stepper (hits, victims, reasons), and what only a play with
 * dirty accesses counts: which frames are dirty, and the dirty victims written back.
 */
export class Lane {
  readonly stepper: TraceStepper
  evictions = 0
  writebacks = 0
  private readonly dirty: Uint8Array
  private last: StepRow | null = null

  constructor(
    private readonly trace: Trace,
    readonly policy: PolicyName,
    maxcache: number,
  ) {
    this.stepper = new TraceStepper(trace, policy, maxcache)
    this.dirty = new Uint8Array(Math.max(1, Math.min(maxcache, trace.pgnos.length)))
  }

  get hits(): number {
    return this.stepper.hits
  }

  get misses(): number {
    return this.stepper.misses
  }

  get done(): number {
    return this.stepper.done
  }

  /** step -- the next access: the stepper's row, with the victim's write-back and the page's dirtying. */
  step(): PlayRecord {
    const row = this.stepper.next()
    if (row === null) throw new Error(`the trace has ${this.trace.pgnos.length} accesses: none is left to step`)
    const dirtied = this.trace.dirty[row.step - 1] === 1
    let victim: PlayRecord['victim'] = null
    if (row.victim !== null) {
      const dirty = this.dirty[row.victim.frame] === 1
      victim = {pgno: row.victim.pgno, frame: row.victim.frame, dirty}
      this.evictions++
      if (dirty) this.writebacks++
    }
    if (!row.hit) this.dirty[row.frame] = 0
    if (dirtied) this.dirty[row.frame] = 1
    this.last = row
    return {step: row.step, pgno: row.pgno, dirty: dirtied, hit: row.hit, frame: row.frame, victim, reason: row.victim?.why ?? null}
  }

  /** frames -- the cached pages, the next victim first. */
  frames(): LaneFrame[] {
    const row = this.last
    if (row === null) return []
    const order = (row.state.order as number[] | undefined) ?? []
    return order.map((frame) => ({frame, pgno: row.frames[frame] ?? -1, pins: 0, dirty: this.dirty[frame] === 1}))
  }
}

/** How many past steps the log keeps. */
export const LOG_STEPS = 64

/** One step, as every policy took it. */
export interface SteppedAccess {
  step: number
  /** one record per policy, in the session's policy order */
  records: PlayRecord[]
  /** some policy hit and another missed */
  divergent: boolean
}

export class PlaySession {
  steppers: Lane[]
  /** the steps (from 1) where the policies disagree, in order */
  readonly divergences: number[]
  log: SteppedAccess[] = []
  /** the distinct pages the trace touches */
  readonly pages: number
  private readonly divergent: Uint8Array
  private optAt = -1
  private optHits = 0

  constructor(
    readonly trace: Trace,
    readonly policies: readonly PolicyName[],
    readonly maxcache: number,
  ) {
    this.steppers = this.fresh()
    this.pages = distinctPages(trace.pgnos)
    this.divergent = new Uint8Array(trace.pgnos.length + 1)
    this.divergences = []
    if (policies.length > 1) {
      const runs = this.fresh()
      for (let step = 1; step <= this.total; step++) {
        let hits = 0
        for (const run of runs) if (run.step().hit) hits++
        if (hits > 0 && hits < runs.length) {
          this.divergent[step] = 1
          this.divergences.push(step)
        }
      }
    }
  }

  get total(): number {
    return this.trace.pgnos.length
  }

  /** at -- the step every policy has done. */
  get at(): number {
    return this.steppers[0].done
  }

  /** seek -- every policy to `step` (clamped to 0..total). */
  seek(step: number): void {
    const target = Math.max(0, Math.min(this.total, step))
    if (target < this.at) {
      this.steppers = this.fresh()
      this.log = []
    }
    while (this.at < target) {
      const records = this.steppers.map((s) => s.step())
      const n = records[0].step
      this.log.push({step: n, records, divergent: this.divergent[n] === 1})
      if (this.log.length > LOG_STEPS) this.log.shift()
    }
  }

  /** nextDivergence -- the first divergent step after `step`, or null. */
  nextDivergence(step: number): number | null {
    let lo = 0
    let hi = this.divergences.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.divergences[mid] <= step) lo = mid + 1
      else hi = mid
    }
    return lo < this.divergences.length ? this.divergences[lo] : null
  }

  /** opt -- Belady's OPT's hits on the accesses so far: the ceiling at this step. */
  opt(): number {
    if (this.optAt !== this.at) {
      this.optHits = replayOpt(this.trace.pgnos.subarray(0, this.at), this.maxcache).hits
      this.optAt = this.at
    }
    return this.optHits
  }

  private fresh(): Lane[] {
    return this.policies.map((p) => new Lane(this.trace, p, this.maxcache))
  }
}
