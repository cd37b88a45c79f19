/**
 * fifo -- first in, first out: the page that came in longest ago goes first.
 *
 * The frames are one queue in the order their pages came in (admit); a hit changes nothing,
 * which is the whole point of the policy and of its lesson: FIFO is the policy of Belady's
 * anomaly (on 1 2 3 4 1 2 5 1 2 3 4 5 it makes 9 faults with 3 frames but 10 with 4), which no
 * stack algorithm such as LRU or OPT can show. The victim is the first unpinned frame from the
 * head. admit, access and remove are O(1) and allocate nothing.
 */
import type {Replacer} from '../replacer.js'
import {widened} from '../typed.js'
import {ListSet, NIL} from './lists.js'
import type {FifoReason} from './reasons.js'

export class FifoReplacer implements Replacer {
  readonly name = 'fifo' as const
  private prev: Int32Array
  private next: Int32Array
  private readonly queue = new ListSet(1) // list 0: head came in first, tail last
  private inQueue: Uint8Array // 1 while the frame holds a page

  constructor(capacity: number) {
    const n = Math.max(capacity, 1)
    this.prev = new Int32Array(n).fill(NIL)
    this.next = new Int32Array(n).fill(NIL)
    this.inQueue = new Uint8Array(n)
  }

  grow(capacity: number): void {
    if (capacity <= this.inQueue.length) return
    const n = Math.max(capacity, this.inQueue.length * 2)
    this.prev = widened(this.prev, n, NIL)
    this.next = widened(this.next, n, NIL)
    this.inQueue = widened(this.inQueue, n)
  }

  admit(frame: number, _pgno: number): void {
    if (this.inQueue[frame] === 1) this.remove(frame, false)
    this.queue.append(0, frame, this.prev, this.next)
    this.inQueue[frame] = 1
  }

  access(_frame: number): void {
    // a hit does not change the order: first in is first out however often it is used
  }

  victim(pins: Int32Array, _incoming: number): number {
    for (let f = this.queue.head[0]; f !== NIL; f = this.next[f]) {
      if (pins[f] === 0) return f
    }
    return NIL
  }

  remove(frame: number, _evicted: boolean): void {
    if (this.inQueue[frame] === 0) return
    this.queue.unlink(0, frame, this.prev, this.next)
    this.inQueue[frame] = 0
  }

  order(): number[] {
    const out: number[] = []
    for (let f = this.queue.head[0]; f !== NIL; f = this.next[f]) out.push(f)
    return out
  }

  /** why -- the victim came in before every other unpinned frame (pinned ones older than it are named). */
  why(victim: number, pins: Int32Array, _incoming: number): FifoReason {
    const passed: number[] = []
    for (let f = this.queue.head[0]; f !== NIL && f !== victim; f = this.next[f]) if (pins[f] !== 0) passed.push(f)
    return {policy: 'fifo', frame: victim, passed, queue: this.order()}
  }

  describe(): Record<string, unknown> {
    return {policy: 'fifo', frames: this.queue.size[0], queue: this.order()}
  }
}
