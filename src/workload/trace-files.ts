/**
 * trace-files -- trace files as the shell reads and writes them: errors in one line, with
 * the file's name and the shell's exit status for a file (6), and nothing half-written.
 *
 * Policy, each in a sentence:
 *  - A trace is read whole (the engine's parseTrace); a file larger than MAX_TRACE_BYTES is
 *    refused up front, since its text would not fit in one JavaScript string.
 *  - A bad line is reported with the file's name and the line's number.
 *  - A trace written to a file goes to a temporary file beside it, renamed into place only
 *    when complete: an error (a full disk) leaves the old file, or none, never half a trace.
 *  - A trace written to stdout is sent in chunks that wait for the reader (a pipe to `head`
 *    that closes early ends the command quietly, through the shell's EPIPE rule).
 */
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {EXIT, ShellError} from '../common/exit-status.js'
import {formatTraceLine, readTrace, type Trace, TRACE_HEADER, TraceError, TraceWriter} from './trace.js'

/** The largest trace file read: V8 strings stop a little past 512 MiB. */
export const MAX_TRACE_BYTES = 500 * 2 ** 20

/** Why a file could not be used, in words, by errno code. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
}

/** fileError -- an fs error as a one-line shell error about `file` (exit 6, or 7 for I/O). */
export function fileError(err: unknown, doing: string, file: string, hint = ''): ShellError {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
  const reason = REASONS[code] ?? (err as Error).message
  const exit = code in REASONS && code !== 'ENOSPC' ? EXIT.file : EXIT.io
  return new ShellError(code, exit, `cannot ${doing} ${file}: ${reason}${hint}`, {cause: err})
}

/**
 * createTrace -- a TraceWriter on a new file at `file`, made with O_CREAT|O_EXCL|O_NOFOLLOW:
 * it never truncates a file that is there and never follows a symlink someone planted (in
 * /tmp, say) to a file of yours. `force` replaces what is there: the name is unlinked first (a
 * symlink itself, never its target) and made afresh, still exclusively, so a name planted again
 * in between is refused, not followed.
 *
 * @throws ShellError EEXIST (exit 6) if `file` exists and `force` is not given; the fs error as
 *   fileError gives it otherwise.
 */
export function createTrace(file: string, options: {force?: boolean} = {}): TraceWriter {
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW
  let st: fs.Stats | null = null
  try {
    st = fs.lstatSync(file)
  } catch {
    // nothing there: the usual case
  }
  if (st?.isDirectory()) throw fileError(Object.assign(new Error('is a directory'), {code: 'EISDIR'}), 'write trace', file)
  if (st !== null && options.force === true) fs.rmSync(file, {force: true})
  let fd: number
  try {
    fd = fs.openSync(file, flags, 0o666)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(file)
    throw fileError(err, 'write trace', file)
  }
  return new TraceWriter(fd, {}, true)
}

/** existsError -- the refusal to write over a file that is there. */
function existsError(file: string): ShellError {
  return new ShellError('EEXIST', EXIT.file, `cannot write trace ${file}: it exists; give --force to replace it, or name a new file`)
}

/** loadTrace -- the trace in `file`, or a ShellError naming the file (and the line, for a bad line). */
export function loadTrace(file: string): Trace {
  const hint = (code: string | undefined) => (code === 'ENOENT' ? '; make one with `mpool trace gen` or `mpool open FILE --record TRACE`' : '')
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch (err) {
    throw fileError(err, 'read trace', file, hint((err as NodeJS.ErrnoException).code))
  }
  if (stat.isDirectory()) throw new ShellError('EISDIR', EXIT.file, `cannot read trace ${file}: it is a directory`)
  // A FIFO (or a device) would hang the read or never end: only a regular file is a trace.
  if (!stat.isFile()) throw new ShellError('ESPIPE', EXIT.file, `cannot read trace ${file}: it is not a regular file (a pipe, socket or device); give a trace file`)
  if (stat.size > MAX_TRACE_BYTES) {
    throw new ShellError('EFBIG', EXIT.file, `trace ${file} is ${Math.round(stat.size / 2 ** 20)} MiB; at most ${MAX_TRACE_BYTES / 2 ** 20} MiB can be replayed: split it`)
  }
  try {
    return readTrace(file)
  } catch (err) {
    if (err instanceof TraceError) {
      const why = err.message.replace(/^trace line \d+: /, '')
      throw new ShellError('EFTYPE', EXIT.file, `trace ${file} line ${err.line}: ${why}`, {cause: err})
    }
    throw fileError(err, 'read trace', file)
  }
}

/**
 * writeTraceFile -- `trace` into `file`, a `# comment` after the header; complete or not at all.
 * An existing `file` is refused unless `force`. The trace is written to a temporary file beside
 * `file` under an unpredictable name, made exclusively (createTrace), then renamed over `file`:
 * no one can plant a symlink where it will be written.
 */
export function writeTraceFile(file: string, trace: Trace, comment: string, options: {force?: boolean} = {}): void {
  let existing: fs.Stats | undefined
  try {
    existing = fs.lstatSync(file)
  } catch {
    // nothing there yet: the usual case
  }
  if (existing?.isDirectory()) throw new ShellError('EISDIR', EXIT.file, `cannot write trace ${file}: it is a directory; name a file`)
  if (existing !== undefined && options.force !== true) throw existsError(file)
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(12).toString('hex')}.tmp`)
  let writer: TraceWriter | undefined
  try {
    writer = createTrace(temp)
    writer.comment(comment)
    const {pgnos, dirty} = trace
    for (let i = 0; i < pgnos.length; i++) writer.record(pgnos[i], dirty[i] === 1)
    writer.close()
    fs.renameSync(temp, file)
  } catch (err) {
    try {
      writer?.close()
    } catch {
      // the write that failed fails again: the temporary file goes anyway
    }
    fs.rmSync(temp, {force: true})
    throw fileError(err, 'write trace', file)
  }
}

/** writeTraceStream -- `trace` as text on `stream` (stdout), a `# comment` after the header, waiting for a slow reader. */
export async function writeTraceStream(stream: NodeJS.WritableStream, trace: Trace, comment: string): Promise<void> {
  const {pgnos, dirty} = trace
  let chunk = `${TRACE_HEADER}\n# ${comment}\n`
  const CHUNK = 1 << 16
  for (let i = 0; i < pgnos.length; i++) {
    chunk += `${formatTraceLine(pgnos[i], dirty[i] === 1)}\n`
    if (chunk.length >= CHUNK) {
      await write(stream, chunk)
      chunk = ''
    }
  }
  if (chunk.length > 0) await write(stream, chunk)
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = stream.write(text, (err) => (err ? reject(err) : undefined))
    if (ok) resolve()
    else stream.once('drain', resolve)
  })
}
