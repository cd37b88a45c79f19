/**
 * recorder -- writes every page access of a pool to a trace file (`mpool open --record`).
 *
 * An access is a pin (a get or a new) and the put that ends it; its line says the page and
 * whether that put dirtied it. The line can only be written at the put, yet lines must keep
 * the order of the pins, since that order alone decides hits and misses in a replay: open
 * accesses wait in a queue and leave it from the front as they end. An access still open when
 * recording stops (a page still pinned at close) is written as it is, clean. A page made by
 * new is an access like any other: a replay counts it as a miss, where the pool's stats count
 * it under pagenew, so a replay's misses equal the pool's cachemiss + pagenew.
 */
import type {PoolEvent} from '../pool/index.js'
import type {MPool} from '../pool/index.js'
import {createTrace} from './trace-files.js'
import type {TraceWriter} from './trace.js'

export interface Recorder {
  /** accesses written so far */
  readonly records: number
  /** writes out the accesses still open, stops listening and closes the file */
  close(): void
}

/**
 * startRecorder -- record every access of `pool` into a new trace file at `file`, until close or
 * the pool closes. The file is made exclusively (createTrace): one that is there is refused
 * unless `force`, and a symlink is never followed.
 */
export function startRecorder(pool: MPool, file: string, options: {force?: boolean} = {}): Recorder {
  const writer = createTrace(file, options)
  writer.comment(`recorded from pool ${pool.key ?? '(private)'}, pagesize ${pool.pagesize}, policy ${pool.stats().policy}`)
  const queue = new AccessQueue(writer)
  let stop: (() => void) | null = null
  const close = () => {
    if (stop === null) return
    stop()
    stop = null
    queue.flushAll()
    writer.close()
  }
  stop = pool.on((event: PoolEvent) => {
    switch (event.type) {
      case 'pin':
        queue.open(event.pgno)
        break
      case 'unpin':
        queue.end(event.pgno, event.dirtied)
        break
      case 'delete':
        queue.end(event.pgno, false)
        break
      case 'close':
        close()
        break
    }
  })
  return {
    get records() {
      return writer.records
    },
    close,
  }
}

/* AccessQueue -- accesses in pin order; each leaves from the front once it and all before it have ended. */
class AccessQueue {
  private pgnos: number[] = []
  private dirty: boolean[] = []
  private ended: boolean[] = []
  private head = 0
  /** per page, the queue positions of its open accesses, oldest first */
  private readonly openByPage = new Map<number, number[]>()

  constructor(private readonly writer: TraceWriter) {}

  open(pgno: number): void {
    const at = this.pgnos.length
    this.pgnos.push(pgno)
    this.dirty.push(false)
    this.ended.push(false)
    const list = this.openByPage.get(pgno)
    if (list === undefined) this.openByPage.set(pgno, [at])
    else list.push(at)
  }

  end(pgno: number, dirtied: boolean): void {
    const list = this.openByPage.get(pgno)
    const at = list?.shift()
    if (at === undefined) return // pinned before recording began
    if (list!.length === 0) this.openByPage.delete(pgno)
    this.dirty[at] = dirtied
    this.ended[at] = true
    this.drain(false)
  }

  flushAll(): void {
    this.drain(true)
    this.writer.flush()
  }

  private drain(all: boolean): void {
    while (this.head < this.pgnos.length && (all || this.ended[this.head])) {
      this.writer.record(this.pgnos[this.head], this.dirty[this.head])
      this.head++
    }
    if (this.head === this.pgnos.length) {
      // Everything written: start the arrays afresh rather than let them grow for ever.
      this.pgnos = []
      this.dirty = []
      this.ended = []
      this.head = 0
      this.openByPage.clear()
    }
  }
}
