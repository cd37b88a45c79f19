/**
 * read-ahead -- a trace through the real engine with read-ahead on, to count what it saves.
 *
 * The simulator (simulator.ts) has no file, so it cannot tell reads from misses: every miss is
 * one read. With read-ahead a miss may be served by an earlier read of several pages, so the
 * replay runs the trace through an MPool itself (the same policy, maxcache and readahead a
 * pool would have), each access a get and a put, over a BlankDisk: a PageIO whose file holds
 * as many one-byte pages as the trace touches and reads as zeros. Nothing is written (the
 * trace's dirty marks change no decision of any policy, as in the simulator), and no real file
 * is made: the engine's own counters say the hits, the misses and the reads.
 *
 *   hits   cachehit: gets that found the page cached by demand (a page read ahead and then got
 *          counts as a miss, as the pool counts it: the policy missed it)
 *   reads  pageread: reads made, one per miss without read-ahead, one per run with it
 */
import {MPool, type PageIO, type PolicyName} from '../pool/index.js'
import type {ReplayResult} from './simulator.js'
import type {Trace} from './trace.js'

/** A replay result with the reads it took. */
export interface ReadAheadResult extends ReplayResult {
  readahead: number
  /** reads from the file: misses that were not served by a read-ahead, each one read */
  reads: number
  /** pages read ahead, and how many of them a get asked for */
  prefetch: number
  prefetchhit: number
}

/** BlankDisk -- a PageIO over nothing: `size` bytes that read as zeros; writes are taken and dropped. */
export class BlankDisk implements PageIO {
  constructor(private readonly bytes: number) {}

  read(buffer: Uint8Array, offset: number, length: number, position: number): number {
    const n = Math.max(0, Math.min(length, this.bytes - position))
    buffer.fill(0, offset, offset + n)
    return n
  }

  readv(buffers: readonly Uint8Array[], position: number): number {
    let n = 0
    for (const b of buffers) {
      const got = this.read(b, 0, b.length, position + n)
      n += got
      if (got < b.length) break
    }
    return n
  }

  write(buffer: Uint8Array): number {
    return buffer.length
  }

  writev(buffers: readonly Uint8Array[]): number {
    return buffers.reduce((sum, b) => sum + b.length, 0)
  }

  flush(): void {}

  size(): number {
    return this.bytes
  }

  isRegularFile(): boolean {
    return true
  }
}

/** replayReadAhead -- `trace` through a pool of `policy`, `maxcache` frames and read-ahead `readahead`: its hits and its reads. */
export function replayReadAhead(trace: Trace | Uint32Array, policy: PolicyName, maxcache: number, readahead: number): ReadAheadResult {
  const pgnos = trace instanceof Uint32Array ? trace : trace.pgnos
  let pages = 0
  for (let i = 0; i < pgnos.length; i++) if (pgnos[i] >= pages) pages = pgnos[i] + 1
  const pool = MPool.open(null, -1, 1, maxcache, {io: new BlankDisk(pages), policy, readahead})
  try {
    for (let i = 0; i < pgnos.length; i++) pool.put(pool.get(pgnos[i]))
    const s = pool.stats()
    const accesses = pgnos.length
    return {
      policy, maxcache, hits: s.cachehit, misses: s.cachemiss, accesses, hitRatio: accesses === 0 ? 0 : s.cachehit / accesses,
      readahead, reads: s.pageread, prefetch: s.prefetch, prefetchhit: s.prefetchhit,
    }
  } finally {
    pool.close()
  }
}
