/**
 * clock -- PostgreSQL's clock sweep (freelist.c, StrategyGetBuffer).
 *
 * Every frame has a usage count. Reading a page in sets it to 1 and every hit adds 1, capped
 * at 5 (BM_MAX_USAGE_COUNT): a page earns up to five sweeps of grace by being used. To find
 * a victim the hand goes round the frames in order: a pinned frame is passed over, an
 * unpinned frame with a count above 0 loses one and is passed over, and the first unpinned
 * frame found at 0 is the victim. The hand stops just past it, so the next sweep starts
 * where this one ended.
 *
 *        hand
 *         v
 *   [2] [0*] [1] [5] [0]      * pinned: skipped, its count untouched
 *
 * PostgreSQL bounds the sweep with a "trycounter": it is reset to the number of frames at
 * every decrement and falls by one at every pinned or empty frame; when it reaches 0 there
 * is no unpinned frame and the sweep gives up (here: returns -1). A sweep therefore ends
 * within six turns when any unpinned frame exists (five decrements bring any count to 0)
 * and within one turn when none does; a hard cap of seven turns is kept as a belt.
 * admit() and access() are O(1) and allocate nothing.
 */
import type {Replacer} from '../replacer.js'
import type {ClockReason} from './reasons.js'
import {widened} from '../typed.js'

/** BM_MAX_USAGE_COUNT: the most grace a page can earn. */
export const CLOCK_MAX_USAGE = 5

const EMPTY = -1 // usage[f] of a frame that holds no page

export class ClockReplacer implements Replacer {
  readonly name = 'clock' as const
  private usage: Int8Array // usage count per frame, EMPTY when the frame holds no page
  private capacity: number // frames 0..capacity-1 are on the clock face
  private hand = 0 // the next frame the sweep looks at
  private count = 0 // frames holding a page
  private sweepFrom = 0 // where the last sweep began, and how many frames it looked at: for why()
  private sweepLength = 0

  constructor(capacity: number) {
    this.capacity = Math.max(capacity, 0)
    this.usage = new Int8Array(Math.max(capacity, 1)).fill(EMPTY)
  }

  grow(capacity: number): void {
    if (capacity <= this.capacity) return
    if (capacity > this.usage.length) {
      this.usage = widened(this.usage, Math.max(capacity, this.usage.length * 2), EMPTY)
    }
    this.capacity = capacity
  }

  admit(frame: number, _pgno: number): void {
    if (this.usage[frame] === EMPTY) this.count++
    this.usage[frame] = 1
  }

  access(frame: number): void {
    if (this.usage[frame] < CLOCK_MAX_USAGE) this.usage[frame]++
  }

  /** victim -- sweep from the hand; -1 when every occupied frame is pinned (or none is occupied). */
  victim(pins: Int32Array, _incoming: number): number {
    const n = this.capacity
    if (this.count === 0 || n === 0) return -1
    const usage = this.usage
    let hand = this.hand
    let trycounter = n
    this.sweepFrom = hand
    for (let steps = 7 * n; steps > 0; steps--) {
      const f = hand
      hand = hand + 1 === n ? 0 : hand + 1
      const u = usage[f]
      if (u !== EMPTY && pins[f] === 0) {
        if (u === 0) {
          this.hand = hand
          this.sweepLength = 7 * n - steps + 1
          return f
        }
        usage[f] = u - 1
        trycounter = n
      } else if (--trycounter === 0) {
        break
      }
    }
    this.hand = hand
    return -1
  }

  /**
   * why -- the last sweep retold: from where it began, every frame the hand looked at up to the
   * victim; an unpinned one lost a count each time it was passed (counts now + passes = before).
   */
  why(victim: number, pins: Int32Array, _incoming: number): ClockReason {
    const n = this.capacity
    const passes = new Map<number, number>() // frame -> times its count was cut, in first-met order
    const passed = new Set<number>()
    for (let i = 0, f = this.sweepFrom; i < this.sweepLength - 1; i++, f = f + 1 === n ? 0 : f + 1) {
      if (this.usage[f] === EMPTY) continue
      if (pins[f] !== 0) passed.add(f)
      else passes.set(f, (passes.get(f) ?? 0) + 1)
    }
    const cut = [...passes].map(([frame, times]) => ({frame, from: this.usage[frame] + times, to: this.usage[frame]}))
    return {policy: 'clock', frame: victim, from: this.sweepFrom, cut, passed: [...passed], turns: Math.floor((this.sweepLength - 1) / n)}
  }

  remove(frame: number, _evicted: boolean): void {
    if (this.usage[frame] === EMPTY) return
    this.usage[frame] = EMPTY
    this.count--
  }

  /**
   * order -- the frames in the order the sweep would take them, pins aside: a frame with
   * count u at distance d past the hand is reached at zero after u full turns plus d steps.
   */
  order(): number[] {
    const n = this.capacity
    const out: number[] = []
    for (let u = 0; u <= CLOCK_MAX_USAGE; u++) {
      for (let d = 0; d < n; d++) {
        const f = (this.hand + d) % n
        if (this.usage[f] === u) out.push(f)
      }
    }
    return out
  }

  describe(): Record<string, unknown> {
    const usage: (number | null)[] = []
    for (let f = 0; f < this.capacity; f++) usage.push(this.usage[f] === EMPTY ? null : this.usage[f])
    return {policy: 'clock', frames: this.count, hand: this.hand, maxUsage: CLOCK_MAX_USAGE, usage}
  }
}
