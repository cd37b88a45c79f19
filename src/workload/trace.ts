/*
 * trace -- a page-access trace: the format, a buffered writer and seeded generators.
 *
 * A trace is a text file with one page access per line, in order:
 *
 *   # mpool trace v1          the header, a comment; a header of another version is refused
 *   12                        page 12 was asked for
 *   12 d                      page 12 was asked for and dirtied (put back with MPOOL_DIRTY)
 *   # anything                comments and blank lines are ignored
 *
 * Page numbers are decimal, 0..2^32-1 (a pgno_t). Fields are separated by spaces or tabs;
 * nothing else may follow. In memory a trace is two parallel typed arrays, so a replay of
 * millions of accesses touches no objects.
 *
 * The generators are deterministic from their seed (xoshiro128** seeded through splitmix32,
 * written out below so that a trace never changes with a dependency's version):
 *
 *   seq       0, 1, ..., pages-1, again from 0 if length asks for more
 *   loop      the same scan, repeated: LRU's worst case once pages > the cache
 *   zipf      independent draws, P(rank r) ∝ 1/r (s = 1), ranks scattered over the pages
 *   scan-mix  a hot set of ~10% of the pages drawn uniformly, and every so often a long
 *             sequential run over the cold pages, each touched once per pass
 */
import fs from 'node:fs'
import {MPoolError} from '../pool/index.js'

/** A trace in memory: `pgnos[i]` is the i-th access, `dirty[i]` is 1 if it dirtied the page. */
export interface Trace {
  pgnos: Uint32Array
  dirty: Uint8Array
}

export const TRACE_HEADER = '# mpool trace v1'

/** A line of a trace file that is not an access, a comment or blank; `line` counts from 1. */
export class TraceError extends MPoolError {
  readonly line: number

  constructor(line: number, message: string) {
    super('EINVAL', `trace line ${line}: ${message}`)
    this.name = 'TraceError'
    this.line = line
  }
}

const MAX_PGNO = 0xffff_ffff
const C_0 = 48
const C_9 = 57
const C_SPACE = 32
const C_TAB = 9
const C_CR = 13
const C_LF = 10
const C_HASH = 35
const C_D = 100

/** parseTrace -- the accesses of a trace file's text; throws TraceError naming the first bad line. */
export function parseTrace(text: string): Trace {
  let pgnos = new Uint32Array(1024)
  let dirty = new Uint8Array(1024)
  let n = 0
  const len = text.length
  let line = 0
  let i = 0
  while (i < len) {
    line++
    let end = text.indexOf('\n', i)
    if (end === -1) end = len
    let j = i
    const start = i
    i = end + 1
    let stop = end
    if (stop > j && text.charCodeAt(stop - 1) === C_CR) stop--
    while (j < stop && isBlank(text.charCodeAt(j))) j++
    if (j === stop) continue
    if (text.charCodeAt(j) === C_HASH) {
      if (line === 1) checkHeader(text.slice(j, stop))
      continue
    }
    let pgno = 0
    const digits = j
    while (j < stop) {
      const ch = text.charCodeAt(j)
      if (ch < C_0 || ch > C_9) break
      pgno = pgno * 10 + (ch - C_0)
      j++
    }
    if (j === digits) throw badLine(text, start, stop, line, 'no page number')
    if (pgno > MAX_PGNO) throw badLine(text, start, stop, line, 'page number past 2^32-1')
    let d = 0
    if (j < stop) {
      if (!isBlank(text.charCodeAt(j))) throw badLine(text, start, stop, line, 'not a decimal page number')
      while (j < stop && isBlank(text.charCodeAt(j))) j++
      if (j < stop) {
        if (text.charCodeAt(j) !== C_D) throw badLine(text, start, stop, line, 'unknown flag')
        d = 1
        j++
        while (j < stop && isBlank(text.charCodeAt(j))) j++
        if (j < stop) throw badLine(text, start, stop, line, 'extra text after the flag')
      }
    }
    if (n === pgnos.length) {
      const p = new Uint32Array(n * 2)
      p.set(pgnos)
      pgnos = p
      const q = new Uint8Array(n * 2)
      q.set(dirty)
      dirty = q
    }
    pgnos[n] = pgno
    dirty[n] = d
    n++
  }
  return {pgnos: pgnos.slice(0, n), dirty: dirty.slice(0, n)}
}

/* badLine -- the error for one bad line: the line quoted (clipped to 40 characters), or, for a file that is not text at all, that. */
function badLine(text: string, start: number, stop: number, line: number, why: string): TraceError {
  const shown = text.slice(start, stop)
  if (/[^\x20-\x7e\t]/.test(shown)) {
    return new TraceError(line, 'binary bytes, not a trace: a trace is text, headed "# mpool trace v1", one access a line ("<pgno>" or "<pgno> d")')
  }
  const clipped = shown.length > 40 ? `${shown.slice(0, 40)}...` : shown
  return new TraceError(line, `${why}: ${JSON.stringify(clipped)} (expected "<pgno>" or "<pgno> d")`)
}

function isBlank(ch: number): boolean {
  return ch === C_SPACE || ch === C_TAB
}

function checkHeader(comment: string): void {
  const m = /^#\s*mpool trace v(\S*)/.exec(comment)
  if (m && m[1] !== '1') throw new TraceError(1, `this is a version ${m[1]} trace; only version 1 can be read`)
}

/** readTrace -- parseTrace of a file. */
export function readTrace(path: string): Trace {
  return parseTrace(fs.readFileSync(path, 'latin1'))
}

/** formatTraceLine -- one access as a line, without the newline: `"12"` or `"12 d"`. */
export function formatTraceLine(pgno: number, dirty = false): string {
  checkPgno(pgno)
  return dirty ? `${pgno} d` : String(pgno)
}

/** formatTrace -- a whole trace file: the header, then one line per access, newline-terminated. */
export function formatTrace(trace: Trace): string {
  const lines = [TRACE_HEADER]
  for (let i = 0; i < trace.pgnos.length; i++) lines.push(formatTraceLine(trace.pgnos[i], trace.dirty[i] === 1))
  return lines.join('\n') + '\n'
}

function checkPgno(pgno: number): void {
  if (!Number.isInteger(pgno) || pgno < 0 || pgno > MAX_PGNO) {
    throw new MPoolError('EINVAL', `a trace page number must be an integer in 0..2^32-1, got ${pgno}`)
  }
}

export interface TraceWriterOptions {
  /** Write the `# mpool trace v1` header first (default true; false to append to a trace). */
  header?: boolean
  /** Bytes buffered before a write (default 64 KiB). */
  bufferSize?: number
}

/**
 * TraceWriter -- appends accesses to a file descriptor, buffered, without a string per access.
 *
 * The fd stays the caller's unless the writer opened it (`TraceWriter.open`): close() flushes
 * and, only then, closes it. Writes go at the fd's current position (use an O_APPEND fd to
 * append to an existing trace).
 */
export class TraceWriter {
  private buf: Buffer
  private used = 0
  private closed = false
  /** accesses recorded so far */
  records = 0

  constructor(
    readonly fd: number,
    options: TraceWriterOptions = {},
    private readonly ownsFd = false,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(options.bufferSize ?? 65536, 32))
    if (options.header !== false) this.text(TRACE_HEADER + '\n')
  }

  /** open -- a writer on a new file at `path` (truncated), which close() will close. */
  static open(path: string, options: TraceWriterOptions = {}): TraceWriter {
    return new TraceWriter(fs.openSync(path, 'w'), options, true)
  }

  /** record -- one access: `pgno`, dirtied or not. */
  record(pgno: number, dirty = false): void {
    if (this.closed) throw closedWriter()
    checkPgno(pgno)
    if (this.buf.length - this.used < 13) this.flush() // 10 digits, " d", "\n"
    const buf = this.buf
    let end = this.used
    // digits, written backwards into place
    let digits = 1
    for (let v = pgno; v >= 10; v = Math.floor(v / 10)) digits++
    let at = end + digits
    let v = pgno
    do {
      buf[--at] = C_0 + (v % 10)
      v = Math.floor(v / 10)
    } while (v > 0)
    end += digits
    if (dirty) {
      buf[end++] = C_SPACE
      buf[end++] = C_D
    }
    buf[end++] = C_LF
    this.used = end
    this.records++
  }

  /** comment -- a `# ...` line (no newlines inside). */
  comment(text: string): void {
    if (/[\r\n]/.test(text)) throw new MPoolError('EINVAL', 'a trace comment must be one line')
    if (this.closed) throw closedWriter()
    this.text(`# ${text}\n`)
  }

  /** flush -- write out what is buffered. */
  flush(): void {
    let off = 0
    while (off < this.used) off += fs.writeSync(this.fd, this.buf, off, this.used - off)
    this.used = 0
  }

  /**
   * close -- flush, and close the fd if this writer opened it, even when the flush fails (its
   * error is thrown after). Closing twice is harmless.
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    try {
      this.flush()
    } finally {
      if (this.ownsFd) fs.closeSync(this.fd)
    }
  }

  private text(s: string): void {
    const bytes = Buffer.from(s, 'utf8')
    if (bytes.length > this.buf.length - this.used) this.flush()
    if (bytes.length > this.buf.length) {
      fs.writeSync(this.fd, bytes)
      return
    }
    this.used += bytes.copy(this.buf, this.used)
  }
}

function closedWriter(): MPoolError {
  return new MPoolError('ECLOSED', 'this trace writer is closed; open a new one to record more')
}

// ---------------------------------------------------------------------------------------
// Generators

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
function permutation(n: number, rng: Xoshiro128): Uint32Array {
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
class Zipf {
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

/** Xoshiro128 -- xoshiro128** (Blackman & Vigna), state seeded from one integer by splitmix32. */
export class Xoshiro128 {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let x = seed >>> 0
    const split = (): number => {
      x = (x + 0x9e3779b9) | 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = split()
    this.b = split()
    this.c = split()
    this.d = split()
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** nextUint32 -- 32 random bits. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** next -- a float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** below -- an integer in [0, n), n <= 2^32, without modulo bias worth measuring (53-bit float scaling). */
  below(n: number): number {
    return Math.floor(((this.nextUint32() * 2097152 + (this.nextUint32() >>> 11)) / 9007199254740992) * n)
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
