/**
 * sqlite-db -- a SQLite database opened for `trace gen btree`: its pages read through a private
 * mpool (the engine does every read), its format checked by the SQLite decoder's detection.
 *
 * Policy, each in a sentence:
 *  - The file is opened read-only and never written; the pool is private (no key) and small.
 *  - The first 512 bytes (SQLite's smallest page) are read to detect the format; a file that is
 *    not a SQLite database is refused in one sentence saying what it is not.
 *  - close() closes the pool and then the file, whatever happened.
 */
import fs from 'node:fs'
import {detectFormat, type FormatInfo} from '../formats/index.js'
import {sqliteFile, type SqliteFile} from '../formats/sqlite/index.js'
import {MPool, MPoolError} from '../pool/index.js'

/** The smallest SQLite page, and so the bytes read before the page size is known. */
const HEAD_BYTES = 512

/** The pages the reading pool caches: the walk reads a page at a time. */
const READ_CACHE = 64

export interface OpenSqliteDb {
  file: SqliteFile
  info: FormatInfo
  close(): void
}

/** openSqliteDb -- `path` as a SQLite database to walk, or an MPoolError (EFTYPE: not SQLite) / an fs error. */
export function openSqliteDb(path: string): OpenSqliteDb {
  const fd = fs.openSync(path, 'r')
  let pool: MPool | null = null
  try {
    const size = fs.fstatSync(fd).size
    if (size < HEAD_BYTES) throw new MPoolError('EFTYPE', `${path} is ${size} bytes, too short to be a SQLite database (at least one page of 512)`)
    const probe = MPool.open(null, fd, HEAD_BYTES, 1)
    let head: Buffer
    try {
      head = Buffer.from(probe.get(0))
      probe.put(0)
    } finally {
      probe.close()
    }
    const info = detectFormat(head, size)
    if (info === null || info.format !== 'sqlite') {
      throw new MPoolError('EFTYPE', `${path} is not a SQLite database${info === null ? '' : ` (it looks like ${info.format})`}: trace gen btree walks SQLite b-trees`)
    }
    pool = MPool.open(null, fd, info.pagesize, READ_CACHE)
    const reader = pool
    const read = (pgno: number): Buffer => {
      const copy = Buffer.from(reader.get(pgno))
      reader.put(pgno)
      return copy
    }
    const npages = Math.floor(size / info.pagesize)
    const opened = pool
    return {
      file: sqliteFile(read, npages, info),
      info,
      close() {
        try {
          opened.close()
        } finally {
          fs.closeSync(fd)
        }
      },
    }
  } catch (err) {
    try {
      pool?.close()
    } finally {
      fs.closeSync(fd)
    }
    throw err
  }
}
