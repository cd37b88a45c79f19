/**
 * generators -- synthetic page-access traces, deterministic from their seed.
 *
 *   seq       0, 1, ..., pages-1: one scan (a length past pages is refused: that is loop)
 *   loop      the same scan, repeated: LRU's worst case once pages > the cache
 *   zipf      independent draws, P(rank r) ∝ 1/r (s = 1), ranks scattered over the pages
 *   scan-mix  a hot set of ~10% of the pages drawn uniformly, and every so often a long
 *             sequential run over the cold pages, each touched once per pass
 *
 * Randomness comes from prng.ts (xoshiro128**, written out so that a trace never changes
 * with a dependency's version). The same kind, options and seed always give the same trace.
 */
import {MPoolError} from '../pool/index.js'
import {Xoshiro128} from './prng.js'
import {MAX_TRACE_PGNO as MAX_PGNO, type Trace} from './trace.js'

export type TraceKind = 'seq' | 'loop' | 'zipf' | 'scan-mix'

export const TRACE_KINDS: readonly TraceKind[] = ['seq', 'loop', 'zipf', 'scan-mix']

export interface TraceOptions {
  /** Distinct pages the trace draws from: pgnos 0..pages-1. */
  pages: number
  /** Accesses (default: pages for seq, 10 × pages for the others). */
  length?: number
  /** Seed of the generator (default 1): the same seed gives the same trace. */
  seed?: number
  /** Fraction of accesses marked dirty, 0..1 (default 0). */
  dirty?: number
  /** zipf: the exponent s (default 1). */
  s?: number
  /** scan-mix: pages in the hot set (default 10% of pages, at least 1). */
  hot?: number
  /** scan-mix: hot accesses between two scans (default 8 × hot, so 80% of accesses are hot). */
  hotRun?: number
  /** scan-mix: pages per scan (default 2 × hot, at most the cold pages). */
  scanRun?: number
}

/**
 * generateTrace -- a synthetic trace of one kind, deterministic from `seed`.
 *
 * scan-mix puts the hot set at pgnos 0..hot-1 and scans hot..pages-1 in order, picking up
 * where the last scan stopped: a cache about the size of the hot set keeps it under LRU-K
 * or ARC (a page scanned once never looks hot), while each scan flushes it out of LRU.
 */
export function generateTrace(kind: TraceKind, options: TraceOptions): Trace {
  const pages = options.pages
  if (!Number.isInteger(pages) || pages < 1 || pages > MAX_PGNO + 1) {
    throw new MPoolError('EINVAL', `pages must be an integer in 1..2^32, got ${pages}`)
  }
  const length = options.length ?? (kind === 'seq' ? pages : 10 * pages)
  if (!Number.isInteger(length) || length < 0 || length > 0x7fff_ffff) {
    throw new MPoolError('EINVAL', `length must be a non-negative integer, got ${length}`)
  }
  if (kind === 'seq' && length > pages) {
    throw new MPoolError('EINVAL', `seq is one scan of the ${pages} pages, so at most ${pages} accesses, not ${length}; loop repeats the scan`)
  }
  const dirtyRatio = options.dirty ?? 0
  if (!(dirtyRatio >= 0 && dirtyRatio <= 1)) throw new MPoolError('EINVAL', `dirty must be in 0..1, got ${dirtyRatio}`)
  const rng = new Xoshiro128(options.seed ?? 1)
  const pgnos = new Uint32Array(length)
  switch (kind) {
    case 'seq':
    case 'loop':
      for (let i = 0; i < length; i++) pgnos[i] = i % pages
      break
    case 'zipf': {
      const zipf = new Zipf(pages, options.s ?? 1)
      const perm = permutation(pages, rng)
      for (let i = 0; i < length; i++) pgnos[i] = perm[zipf.draw(rng)]
      break
    }
    case 'scan-mix':
      scanMix(pgnos, pages, options, rng)
      break
    default:
      throw new MPoolError('EINVAL', `unknown trace kind ${String(kind)}; use one of ${TRACE_KINDS.join(', ')}`)
  }
  const dirty = new Uint8Array(length)
  if (dirtyRatio > 0) for (let i = 0; i < length; i++) dirty[i] = rng.next() < dirtyRatio ? 1 : 0
  return {pgnos, dirty}
}

function scanMix(out: Uint32Array, pages: number, options: TraceOptions, rng: Xoshiro128): void {
  const hot = Math.min(pages, Math.max(1, options.hot ?? Math.round(pages / 10)))
  const cold = pages - hot
  const hotRun = Math.max(1, options.hotRun ?? 8 * hot)
  const scanRun = cold === 0 ? 0 : Math.min(cold, Math.max(1, options.scanRun ?? 2 * hot))
  let cursor = 0 // next cold page to scan, 0..cold-1
  let i = 0
  while (i < out.length) {
    for (let h = 0; h < hotRun && i < out.length; h++) out[i++] = rng.below(hot)
    for (let s = 0; s < scanRun && i < out.length; s++) {
      out[i++] = hot + cursor
      cursor = cursor + 1 === cold ? 0 : cursor + 1
    }
  }
}

/** permutation -- 0..n-1 shuffled (Fisher-Yates). */
export function permutation(n: number, rng: Xoshiro128): Uint32Array {
  const p = new Uint32Array(n)
  for (let i = 0; i < n; i++) p[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1)
    const t = p[i]
    p[i] = p[j]
    p[j] = t
  }
  return p
}

/** Zipf -- draws ranks 0..n-1 with P(r) ∝ 1/(r+1)^s by binary search of the cumulative table. */
export class Zipf {
  private cdf: Float64Array

  constructor(n: number, s: number) {
    this.cdf = new Float64Array(n)
    let sum = 0
    for (let r = 0; r < n; r++) {
      sum += 1 / Math.pow(r + 1, s)
      this.cdf[r] = sum
    }
    for (let r = 0; r < n; r++) this.cdf[r] /= sum
  }

  draw(rng: Xoshiro128): number {
    const u = rng.next()
    const cdf = this.cdf
    let lo = 0
    let hi = cdf.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cdf[mid] > u) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}
