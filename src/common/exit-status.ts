/**
 * exit-status -- what went wrong in any front end, as an exit status and one line of text.
 *
 * Exit statuses are part of the interface (README, "Exit status"); each class of failure has
 * its own, so scripts can branch on them:
 *
 *   0  done
 *   1  an unexpected internal error (a bug: the one line says so; DEBUG=mpool shows the stack)
 *   2  usage: a missing, unknown or malformed argument or flag, a bad key, bad hex
 *   3  no pool: no such pool, none open, several open and none chosen, the pool went away,
 *      a closed handle (ECLOSED), or its server did not answer within the deadline
 *      (ETIMEDOUT: stopped or stuck; the line names its pid)
 *   4  the pool refused the call (EINVAL): a page past the end, a put of a page not pinned,
 *      bytes that do not fit in the page
 *   5  the pool is busy (EBUSY): every frame pinned under --hard-limit, delete of a page pinned
 *      more than once
 *   6  the file: missing, a directory, not a regular file, no permission, a partial page,
 *      changed under the pool by another hand (ESTALE: deleted, replaced, cut or appended to),
 *      a file that exists where a new one is to be made without --force (EEXIST)
 *      (ENOENT, EISDIR, ESPIPE, EACCES, EFTYPE ...)
 *   7  an I/O error reading or writing the file (EIO, ENOSPC, ...)
 *
 * ECLOSED is the one code for "this handle is closed": a closed MPool handle and a closed
 * TraceWriter both say it (an MPool handle said EINVAL once). A closed handle is not a bad
 * argument to a live pool (4): the thing it named is gone, as a pool whose server went away
 * is, so it is exit 3, and the remedy is the same: open it again.
 *
 * Policy: every error leaves as exactly one line (newlines in a message become "; "), never a
 * stack trace, with any echoed input clipped to MAX_ECHO characters; an error the shell did not
 * expect is still one line, marked as internal.
 */

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  noPool: 3,
  refused: 4,
  busy: 5,
  file: 6,
  io: 7,
} as const

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT]

/** Codes the shell itself raises, beside the engine's errno-style ones. */
export type ShellErrorCode = 'EUSAGE' | 'ENOPOOL' | (string & {})

/** An error raised by the shell or the verb layer: a code, an exit status and a one-line message. */
export class ShellError extends Error {
  readonly code: ShellErrorCode
  readonly exit: ExitStatus

  constructor(code: ShellErrorCode, exit: ExitStatus, message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'ShellError'
    this.code = code
    this.exit = exit
  }
}

/** usageError -- a bad command line: exit 2. */
export function usageError(message: string): ShellError {
  return new ShellError('EUSAGE', EXIT.usage, message)
}

const FILE_CODES = new Set(['EFBIG', 'EEXIST', 'ESTALE', 'ENOENT', 'EISDIR', 'ENOTDIR', 'ESPIPE', 'ENXIO', 'EACCES', 'EPERM', 'EFTYPE', 'ELOOP', 'ENAMETOOLONG', 'EROFS', 'ETXTBSY'])
const POOL_CODES = new Set(['ENOPOOL', 'EAMBIGUOUS', 'ECLOSED', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EPROTO', 'ETIMEDOUT'])

/** The shape an error is reported in: on stderr as `message`, in --json as `{error: Described}`. */
export interface Described {
  code: string
  exit: ExitStatus
  message: string
}

/** Echoed input longer than this is clipped: an error stays one short line, whatever was typed. */
export const MAX_ECHO = 200

/**
 * clipEchoes -- every run of more than MAX_ECHO characters without a space (a 1 MB argument
 * quoted back in an error) cut to its start, with how much was left out.
 */
export function clipEchoes(text: string): string {
  return text.replace(new RegExp(`\\S{${MAX_ECHO + 1},}`, 'g'), (run) => `${run.slice(0, MAX_ECHO - 40)}...(${run.length} characters)`)
}

/** oneLine -- a message folded onto one line: trimmed lines joined by "; ", oclif's help hint dropped, echoed input clipped. */
export function oneLine(message: string): string {
  return clipEchoes(message)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^See more help with --help$/.test(line))
    .join('; ')
    .replace(/^Parsing --?[\w-]+; /, '') // oclif's prefix on an error thrown by a flag's parse function
}

function isOclifParseError(err: Error): boolean {
  const oclif = (err as {oclif?: {exit?: number}}).oclif
  const parse = (err as {parse?: unknown}).parse
  return parse !== undefined || (oclif !== undefined && oclif.exit === 2)
}

/** exitOfCode -- the exit status of an errno-style code: 4 for EINVAL, 5 EBUSY, 3 a pool's, 6 a file's, else 7 (I/O). */
export function exitOfCode(code: string): ExitStatus {
  if (code === 'EUSAGE') return EXIT.usage
  if (code === 'EINVAL') return EXIT.refused
  if (code === 'EBUSY') return EXIT.busy
  if (POOL_CODES.has(code)) return EXIT.noPool
  if (FILE_CODES.has(code)) return EXIT.file
  return EXIT.io
}

/**
 * describeError -- the exit status, code and one-line message for any thrown value: shell errors
 * carry their own; oclif's parse errors are usage; engine and fs errors go by their code.
 */
export function describeError(err: unknown): Described {
  if (err instanceof ShellError) return {code: err.code, exit: err.exit, message: oneLine(err.message)}
  if (!(err instanceof Error)) return {code: 'EINTERNAL', exit: EXIT.internal, message: `internal error: ${oneLine(String(err))}`}
  if (isOclifParseError(err)) return {code: 'EUSAGE', exit: EXIT.usage, message: usageMessage(err)}
  const code = (err as {code?: unknown}).code
  if (typeof code === 'string') {
    // EUSAGE: a verb line the REPL could not parse
    if (code === 'EUSAGE' || /^E[A-Z0-9]+$/.test(code)) return {code, exit: exitOfCode(code), message: oneLine(err.message)}
  }
  return {code: 'EINTERNAL', exit: EXIT.internal, message: `internal error (a bug, please report it): ${oneLine(err.message || err.name)}`}
}

/** usageMessage -- oclif's parse messages, made one line and told in this shell's words. */
function usageMessage(err: Error): string {
  const lines = err.message.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0 && !/^See more help with --help$/.test(line))
  const first = lines[0] ?? ''
  // "Missing 1 required arg:" then "pgno  page number ...": name what is missing.
  if (/^Missing \d+ required args?:$/.test(first)) {
    const names = lines.slice(1).map((line) => line.split(/\s{2,}/)[0]?.toUpperCase())
    return `missing ${names.join(' and ')}: ${lines.slice(1).map((line) => line.replace(/^\S+\s{2,}/, '')).join('; ')}`
  }
  // "The following errors occurred:" then one line per broken rule (often the same rule twice).
  if (/^The following errors occurred:$/.test(first)) return lines.slice(1, 2).join('')
  const negative = /^Nonexistent flags?: (-\d+)/.exec(first)
  if (negative !== null) return `page numbers and counts are 0 or more, not ${negative[1]}`
  return oneLine(err.message)
}
