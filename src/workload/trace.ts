/**
 * trace -- a page-access trace: the file format, its parser and a buffered writer.
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
 * millions of accesses touches no objects. The generators that make traces are in
 * generators.ts; the shell's reading and writing of trace files (errors naming the file,
 * nothing half-written) is in trace-files.ts.
 */
import fs from 'node:fs'
import {MPoolError, widened} from '../pool/index.js'

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

/** The largest page number a trace holds: a pgno_t is 32 bits. */
export const MAX_TRACE_PGNO = 0xffff_ffff
const MAX_PGNO = MAX_TRACE_PGNO
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
      pgnos = widened(pgnos, n * 2)
      dirty = widened(dirty, n * 2)
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
