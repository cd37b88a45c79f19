/**
 * lru -- least recently used, BSD mpool's only policy.
 *
 * An intrusive doubly linked list of frame indices in one Int32Array, each frame's prev and
 * next side by side (a move touches one cache line a frame): head is the least recently used
 * frame, tail the most recent. Recency is set when a page is read or created and on every hit
 * (BSD moves the page to the tail in mpool_get, not in mpool_put). The victim is the first
 * unpinned frame from the head: BSD walks the same list the same way. Every operation but
 * victim() is O(1) and allocates nothing.
 */
import type {Replacer} from '../replacer.js'
import type {LruReason} from './reasons.js'
import {widened} from '../typed.js'

const NIL = -1

export class LruReplacer implements Replacer {
  readonly name = 'lru' as const
  /** links[2f] is frame f's previous (less recent) frame, links[2f + 1] its next: one cache line holds both */
  private links: Int32Array
  private head = NIL // least recently used
  private tail = NIL // most recently used
  private count = 0

  constructor(capacity: number) {
    this.links = new Int32Array(2 * Math.max(capacity, 1)).fill(NIL)
  }

  grow(capacity: number): void {
    if (2 * capacity <= this.links.length) return
    this.links = widened(this.links, Math.max(2 * capacity, this.links.length * 2), NIL)
  }

  admit(frame: number, _pgno: number): void {
    this.append(frame)
    this.count++
  }

  /** prefetched -- a page read ahead goes to the head, the least recent end: it is the next victim until somebody gets it. */
  prefetched(frame: number, _pgno: number): void {
    const links = this.links
    links[2 * frame] = NIL
    links[2 * frame + 1] = this.head
    if (this.head === NIL) this.tail = frame
    else links[2 * this.head] = frame
    this.head = frame
    this.count++
  }

  access(frame: number): void {
    if (frame === this.tail) return
    this.unlink(frame)
    this.append(frame)
  }

  victim(pins: Int32Array, _incoming: number): number {
    const links = this.links
    for (let f = this.head; f !== NIL; f = links[2 * f + 1]) {
      if (pins[f] === 0) return f
    }
    return NIL
  }

  remove(frame: number, _evicted: boolean): void {
    this.unlink(frame)
    this.count--
  }

  /** why -- the victim is the least recently used unpinned frame; pinned frames before it were passed. */
  why(victim: number, pins: Int32Array, _incoming: number): LruReason {
    const passed: number[] = []
    for (let f = this.head; f !== NIL && f !== victim; f = this.links[2 * f + 1]) if (pins[f] !== 0) passed.push(f)
    return {policy: 'lru', frame: victim, passed}
  }

  order(): number[] {
    const out: number[] = []
    for (let f = this.head; f !== NIL; f = this.links[2 * f + 1]) out.push(f)
    return out
  }

  describe(): Record<string, unknown> {
    return {policy: 'lru', frames: this.count}
  }

  private append(frame: number): void {
    const links = this.links
    links[2 * frame] = this.tail
    links[2 * frame + 1] = NIL
    if (this.tail === NIL) this.head = frame
    else links[2 * this.tail + 1] = frame
    this.tail = frame
  }

  private unlink(frame: number): void {
    const links = this.links
    const p = links[2 * frame]
    const n = links[2 * frame + 1]
    if (p === NIL) this.head = n
    else links[2 * p + 1] = n
    if (n === NIL) this.tail = p
    else links[2 * n] = p
    links[2 * frame] = NIL
    links[2 * frame + 1] = NIL
  }
}
