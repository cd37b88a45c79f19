/*
 * lru -- least recently used, BSD mpool's only policy.
 *
 * An intrusive doubly linked list of frame indices in two Int32Arrays: head is the least
 * recently used frame, tail the most recent. Recency is set when a page is read or created
 * and on every hit (BSD moves the page to the tail in mpool_get, not in mpool_put). The
 * victim is the first unpinned frame from the head: BSD walks the same list the same way.
 * Every operation but victim() is O(1) and allocates nothing.
 */
import type {Replacer} from '../replacer.js'

const NIL = -1

export class LruReplacer implements Replacer {
  readonly name = 'lru' as const
  private prev: Int32Array
  private next: Int32Array
  private head = NIL // least recently used
  private tail = NIL // most recently used
  private count = 0

  constructor(capacity: number) {
    this.prev = new Int32Array(Math.max(capacity, 1)).fill(NIL)
    this.next = new Int32Array(Math.max(capacity, 1)).fill(NIL)
  }

  grow(capacity: number): void {
    if (capacity <= this.prev.length) return
    const size = Math.max(capacity, this.prev.length * 2)
    const prev = new Int32Array(size).fill(NIL)
    const next = new Int32Array(size).fill(NIL)
    prev.set(this.prev)
    next.set(this.next)
    this.prev = prev
    this.next = next
  }

  admit(frame: number, _pgno: number): void {
    this.append(frame)
    this.count++
  }

  access(frame: number): void {
    if (frame === this.tail) return
    this.unlink(frame)
    this.append(frame)
  }

  victim(pins: Int32Array, _incoming: number): number {
    for (let f = this.head; f !== NIL; f = this.next[f]) {
      if (pins[f] === 0) return f
    }
    return NIL
  }

  remove(frame: number, _evicted: boolean): void {
    this.unlink(frame)
    this.count--
  }

  order(): number[] {
    const out: number[] = []
    for (let f = this.head; f !== NIL; f = this.next[f]) out.push(f)
    return out
  }

  describe(): Record<string, unknown> {
    return {policy: 'lru', frames: this.count}
  }

  private append(frame: number): void {
    this.prev[frame] = this.tail
    this.next[frame] = NIL
    if (this.tail === NIL) this.head = frame
    else this.next[this.tail] = frame
    this.tail = frame
  }

  private unlink(frame: number): void {
    const p = this.prev[frame]
    const n = this.next[frame]
    if (p === NIL) this.head = n
    else this.next[p] = n
    if (n === NIL) this.tail = p
    else this.prev[n] = p
    this.prev[frame] = NIL
    this.next[frame] = NIL
  }
}
