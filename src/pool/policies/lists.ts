/**
 * lists -- doubly linked lists of small integers (frames, ghost slots) kept in typed arrays.
 *
 * A node's links are prev[node] and next[node], in arrays the policy owns (and widens as it
 * grows); a ListSet keeps the head (least recent), tail (most recent) and length of each list
 * by its id, so that several lists share one pair of link arrays: ARC's T1 and T2, or B1 and
 * B2. Nothing allocates. (LRU keeps its one list's links interleaved in a single array, for the
 * hit path's cache lines, and so links its own.)
 */

export const NIL = -1

export class ListSet {
  readonly head: Int32Array
  readonly tail: Int32Array
  readonly size: Int32Array

  constructor(lists: number) {
    this.head = new Int32Array(lists).fill(NIL)
    this.tail = new Int32Array(lists).fill(NIL)
    this.size = new Int32Array(lists)
  }

  /** append -- `node` becomes the most recent of `list`. */
  append(list: number, node: number, prev: Int32Array, next: Int32Array): void {
    const t = this.tail[list]
    prev[node] = t
    next[node] = NIL
    if (t === NIL) this.head[list] = node
    else next[t] = node
    this.tail[list] = node
    this.size[list]++
  }

  /** unlink -- `node` leaves `list`; its links are cleared. */
  unlink(list: number, node: number, prev: Int32Array, next: Int32Array): void {
    const p = prev[node]
    const n = next[node]
    if (p === NIL) this.head[list] = n
    else next[p] = n
    if (n === NIL) this.tail[list] = p
    else prev[n] = p
    prev[node] = NIL
    next[node] = NIL
    this.size[list]--
  }
}
