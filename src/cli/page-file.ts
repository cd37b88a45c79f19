/*
 * page-file -- one page of a file read straight from the disk, with no pool at all.
 *
 * `mpool dump PGNO --file F --pagesize N` looks at any page file (a SQLite database, a pool's
 * file while nobody has it open) in one fast step: open read-only, check it is a regular file,
 * read one page with the engine's own positioned readFully, close. The checks and messages match the engine's:
 * a page past the end is EINVAL, a partial last page is reported and never shown as a page.
 */
import fs from 'node:fs'
import {EXIT, exitOfCode, ShellError} from '../common/exit-status.js'
import {fileProblem} from '../common/file-errors.js'
import {FileIO, readFully} from '../pool/index.js'

/** What a page file holds, by pagesize. */
export interface PageFileInfo {
  file: string
  size: number
  pagesize: number
  npages: number
  /** bytes of a partial last page */
  trailing: number
}

function fileError(err: unknown, file: string): ShellError {
  const {code, message} = fileProblem(err, file, {access: 'read', ifMissing: 'give the path of a page file'})
  return new ShellError(code, exitOfCode(code), message)
}

/** withPageFile -- open `file` read-only (never blocking on a FIFO), check it is a regular file, run `fn`, close. */
function withPageFile<T>(file: string, pagesize: number, fn: (fd: number, info: PageFileInfo) => T): T {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
  } catch (err) {
    throw fileError(err, file)
  }
  try {
    const stat = fs.fstatSync(fd)
    if (stat.isDirectory()) throw new ShellError('EISDIR', EXIT.file, `${file} is a directory; give a page file`)
    if (!stat.isFile()) throw new ShellError('ESPIPE', EXIT.file, `${file} is not a regular file (a pipe, socket or device); give a page file`)
    const npages = Math.floor(stat.size / pagesize)
    return fn(fd, {file, size: stat.size, pagesize, npages, trailing: stat.size - npages * pagesize})
  } finally {
    fs.closeSync(fd)
  }
}

/** pageFileInfo -- the size of `file` in pages of `pagesize` bytes. */
export function pageFileInfo(file: string, pagesize: number): PageFileInfo {
  return withPageFile(file, pagesize, (_fd, info) => info)
}

/**
 * readPageFile -- page `pgno` of `file` as it is on the disk now.
 *
 * @throws ShellError: exit 6 for a missing file, a directory or a non-regular file; exit 4
 *   (EINVAL) for a page past the end; exit 7 for a failed read.
 */
export function readPageFile(file: string, pagesize: number, pgno: number): {bytes: Buffer; info: PageFileInfo} {
  return withPageFile(file, pagesize, (fd, info) => {
    if (pgno >= info.npages) {
      const has = info.npages === 0 ? 'no whole page' : `${info.npages} page${info.npages === 1 ? '' : 's'} of ${pagesize} bytes (0 to ${info.npages - 1})`
      const trailing = info.trailing > 0 ? ` and ${info.trailing} trailing bytes` : ''
      throw new ShellError('EINVAL', EXIT.refused, `page ${pgno} is past the end of ${file}: it has ${has}${trailing}`)
    }
    const bytes = Buffer.alloc(pagesize)
    let got: number
    try {
      got = readFully(new FileIO(fd), bytes, pgno * pagesize)
    } catch (err) {
      throw fileError(err, file)
    }
    if (got < pagesize) throw new ShellError('EFTYPE', EXIT.file, `${file} ended inside page ${pgno} (${got} of ${pagesize} bytes); it changed while being read`)
    return {bytes, info}
  })
}
