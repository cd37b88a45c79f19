/**
 * file-errors -- why a file could not be opened or read, from node:fs's error, in one sentence
 * that says what to do. The pool server opening a pool's file and `dump --file` reading a page
 * file both tell their user this way, so the same failure reads the same everywhere.
 *
 * Policy: the code is node's own (ENOENT, EACCES ...), except that a FIFO or socket nobody
 * holds (ENXIO from a non-blocking open) is ESPIPE, "not a regular file", as mpool(3) says it.
 */

/** What the opener wanted: to read the file, or to read and write it (a pool's file). */
export type FileAccess = 'read' | 'read and write'

/**
 * fileProblem -- the code and one-line message for `err`, raised opening or reading `file`.
 * `ifMissing` is what to tell a user whose file does not exist (e.g. "pass --create to make it").
 */
export function fileProblem(err: unknown, file: string, options: {access: FileAccess; ifMissing: string}): {code: string; message: string} {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
  const verb = options.access === 'read' ? 'read' : 'open'
  switch (code) {
    case 'ENOENT':
      return {code, message: `${file} does not exist; ${options.ifMissing}`}
    case 'EISDIR':
      return {code, message: `${file} is a directory; give a file of pages`}
    case 'EACCES':
    case 'EPERM':
      return {code, message: `no permission to ${verb} ${file}${options.access === 'read' ? '' : ' for reading and writing'}`}
    case 'ENXIO':
      return {code: 'ESPIPE', message: `${file} is not a regular file (a FIFO or socket with nobody on the other end); give a file of pages`}
    default:
      return {code, message: `cannot ${verb} ${file} (${code}): ${(err as Error).message}`}
  }
}
