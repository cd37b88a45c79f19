/**
 * errors -- the one error class the engine throws.
 *
 * mpool(3) reports failure as NULL or -1 with errno set. We throw instead, but keep the
 * errno-style code so that callers (and the shell's exit statuses) can branch on it:
 *
 *   EINVAL  a bad argument: pagesize, maxcache, page number, a put of a page not pinned
 *   ESPIPE  the file is not a regular file (BSD's check in mpool_open)
 *   EFTYPE  a partial page read: the file ends inside the page
 *   EBUSY   every frame is pinned and the pool may not grow (the hardLimit option)
 *   ECLOSED a call on a handle that was closed (src/common/exit-status.ts says why not EINVAL)
 *   other   whatever node:fs gave for an I/O failure (EBADF, ENOSPC, EIO, ...)
 *
 * The message is one sentence that says what was wrong and what to do.
 */

export type MPoolErrorCode = 'EINVAL' | 'ESPIPE' | 'EFTYPE' | 'EBUSY' | 'ECLOSED' | (string & {})

export class MPoolError extends Error {
  /** errno-style code, e.g. `EINVAL`; I/O errors keep the code `node:fs` gave. */
  readonly code: MPoolErrorCode
  /** the page the failed call was about, where there is one */
  readonly pgno: number | undefined

  constructor(code: MPoolErrorCode, message: string, pgno?: number, options?: {cause?: unknown}) {
    super(message, options)
    this.name = 'MPoolError'
    this.code = code
    this.pgno = pgno
  }
}

/** ioError -- wrap a node:fs failure, keeping its code, naming the page and the offset. */
export function ioError(err: unknown, what: string, pgno?: number): MPoolError {
  const code = (err as NodeJS.ErrnoException)?.code ?? 'EIO'
  const reason = (err as Error)?.message ?? String(err)
  return new MPoolError(code, `${what} failed (${code}): ${reason}`, pgno, {cause: err})
}
