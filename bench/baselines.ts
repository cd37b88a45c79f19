/*
 * baselines -- the plain code each engine case is measured against: what a careful person
 * would write in a hurry to do the same work with no pool at all.
 *
 *  - PlainLru: a Map from page number to a node object, the nodes in a doubly linked list,
 *    least recently used at the head. get looks the page up, moves it to the tail and counts a
 *    pin; put(page) finds the node by the Buffer (as mpool_put finds a page by its address)
 *    and takes the pin off. The same lookups and the same checks the contract asks for (a page
 *    not cached, a put of a page not pinned), nothing more: no counters, no events.
 *  - RecordingIO: a PageIO that does the real I/O and writes down each call, so that the evict
 *    case's baseline can replay exactly the reads and writes the pool made, as bare fs calls,
 *    on the same buffers (the pool's frames) or through one buffer.
 */
import fs from 'node:fs'
import {FileIO, type PageIO} from '../src/pool/index.js'

class LruNode {
  prev: LruNode | null = null
  next: LruNode | null = null
  pins = 0
  constructor(
    readonly pgno: number,
    readonly page: Buffer,
  ) {}
}

/** A hit-only page cache: a Map and a linked list, every page loaded up front. */
export class PlainLru {
  private readonly byPgno = new Map<number, LruNode>()
  private readonly byPage = new Map<Buffer, LruNode>()
  private head: LruNode | null = null // least recently used
  private tail: LruNode | null = null // most recently used

  /** load -- page `pgno` with these bytes, most recently used, unpinned. */
  load(pgno: number, page: Buffer): void {
    const node = new LruNode(pgno, page)
    this.byPgno.set(pgno, node)
    this.byPage.set(page, node)
    this.append(node)
  }

  /** get -- the cached page, moved to the most recent end and pinned once more. */
  get(pgno: number): Buffer {
    const node = this.byPgno.get(pgno)
    if (node === undefined) throw new Error(`page ${pgno} is not cached`)
    if (node !== this.tail) {
      this.unlink(node)
      this.append(node)
    }
    node.pins++
    return node.page
  }

  /** put -- one pin off the page get returned. */
  put(page: Buffer): void {
    const node = this.byPage.get(page)
    if (node === undefined || node.pins === 0) throw new Error('put of a page that is not pinned')
    node.pins--
  }

  private append(node: LruNode): void {
    node.prev = this.tail
    node.next = null
    if (this.tail === null) this.head = node
    else this.tail.next = node
    this.tail = node
  }

  private unlink(node: LruNode): void {
    if (node.prev === null) this.head = node.next
    else node.prev.next = node.next
    if (node.next === null) this.tail = node.prev
    else node.next.prev = node.prev
    node.prev = null
    node.next = null
  }
}

/** One I/O call the pool made: the buffer it read into or wrote from, as it passed it. */
export type IoCall =
  | {kind: 'read'; buffer: Uint8Array; offset: number; length: number; position: number}
  | {kind: 'readv'; buffers: readonly Uint8Array[]; position: number}
  | {kind: 'write'; buffer: Uint8Array; position: number}
  | {kind: 'writev'; buffers: readonly Uint8Array[]; position: number}

/** A PageIO over a real fd that does each call and records it, buffers and all. */
export class RecordingIO implements PageIO {
  readonly calls: IoCall[] = []
  private readonly file: FileIO

  constructor(fd: number) {
    this.file = new FileIO(fd)
  }

  read(buffer: Uint8Array, offset: number, length: number, position: number): number {
    this.calls.push({kind: 'read', buffer, offset, length, position})
    return this.file.read(buffer, offset, length, position)
  }

  readv(buffers: readonly Uint8Array[], position: number): number {
    this.calls.push({kind: 'readv', buffers: [...buffers], position})
    return this.file.readv(buffers, position)
  }

  write(buffer: Uint8Array, position: number): number {
    this.calls.push({kind: 'write', buffer, position})
    return this.file.write(buffer, position)
  }

  writev(buffers: readonly Uint8Array[], position: number): number {
    this.calls.push({kind: 'writev', buffers: [...buffers], position})
    return this.file.writev(buffers, position)
  }

  flush(): void {
    this.file.flush()
  }

  size(): number {
    return this.file.size()
  }

  isRegularFile(): boolean {
    return this.file.isRegularFile()
  }
}

/**
 * replayIo -- the recorded calls again as bare fs calls on `fd`: into and from the very buffers
 * the pool used (its frames), or, given `one`, all through that one buffer.
 */
export function replayIo(fd: number, calls: readonly IoCall[], one?: Buffer): void {
  for (let i = 0; i < calls.length; i++) {
    const call = calls[i]
    if (call.kind === 'read') fs.readSync(fd, one ?? call.buffer, call.offset, call.length, call.position)
    else if (call.kind === 'readv') fs.readvSync(fd, one === undefined ? call.buffers : call.buffers.map(() => one), call.position)
    else if (call.kind === 'write') fs.writeSync(fd, one ?? call.buffer, 0, call.buffer.length, call.position)
    else fs.writevSync(fd, one === undefined ? call.buffers : call.buffers.map(() => one), call.position)
  }
}
