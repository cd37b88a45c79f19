/**
 * header -- SQLite's 100-byte database header: detection, and its fields by the file-format
 * document's names (https://www.sqlite.org/fileformat2.html, section 1.3).
 *
 * Policy, each in a sentence:
 *  - A file is SQLite when it starts with the 16-byte magic "SQLite format 3\0" and its page size
 *    (offset 16; 1 means 65536) is a power of two from 512 to 65536; anything else is not SQLite,
 *    so a damaged header falls back to a plain page file rather than to a wrong page size.
 *  - The reserved bytes per page (offset 20) shrink the usable size U that every b-tree and
 *    overflow computation uses; U below 480 is not a valid database (the document's own limit)
 *    and is reported, not trusted.
 *  - The in-header database size (offset 28) is used only when it is valid, as SQLite itself
 *    decides: non-zero and the change counter (24) equal to version-valid-for (92); otherwise the
 *    file size says how many pages there are.
 */

import type {FormatInfo} from '../types.js'
import {u16, u32} from './bytes.js'

export const MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
export const HEADER_SIZE = 100
/** SQLite's PENDING_BYTE: the page holding file offset 2^30 is the lock-byte page, never used. */
export const PENDING_BYTE = 0x40000000

/** The facts of a SQLite database that decode and map need, as FormatInfo.details holds them. */
export interface SqliteFacts {
  pagesize: number
  reserved: number
  /** usable size U = pagesize - reserved */
  usable: number
  /** 1 utf-8, 2 utf-16le, 3 utf-16be */
  encoding: number
  /** largest root b-tree page: non-zero means auto_vacuum or incremental_vacuum, so pointer-map pages */
  autoVacuum: boolean
  /** pages in the database, from the header when valid, else from the file size */
  dbPages: number
  freelistTrunk: number
  freelistCount: number
}

/** pagesizeAt16 -- the page size the header gives, or null when it is not a valid one. */
function pagesizeAt16(head: Buffer): number | null {
  const raw = u16(head, 16)
  if (raw === null) return null
  const size = raw === 1 ? 65536 : raw
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0 ? size : null
}

/** detectSqlite -- FormatInfo for a SQLite database, or null. */
export function detectSqlite(head: Buffer, fileSize: number): FormatInfo | null {
  if (head.length < HEADER_SIZE || !head.subarray(0, 16).equals(MAGIC)) return null
  const pagesize = pagesizeAt16(head)
  if (pagesize === null) return null
  const reserved = head[20]!
  const counter = u32(head, 24)!
  const inHeader = u32(head, 28)!
  const validFor = u32(head, 92)!
  const filePages = Math.floor(fileSize / pagesize)
  const dbPages = inHeader > 0 && counter === validFor ? inHeader : filePages
  return {
    format: 'sqlite',
    pagesize,
    source: 'the SQLite header',
    firstPage: 1,
    details: {
      reserved,
      usable: pagesize - reserved,
      encoding: u32(head, 56)! || 1,
      autoVacuum: u32(head, 52)! !== 0,
      dbPages,
      freelistTrunk: u32(head, 32)!,
      freelistCount: u32(head, 36)!,
    },
  }
}

/** factsOf -- the typed SQLite facts out of a FormatInfo (defaults for anything missing). */
export function factsOf(info: FormatInfo): SqliteFacts {
  const d = info.details
  const reserved = typeof d.reserved === 'number' ? d.reserved : 0
  return {
    pagesize: info.pagesize,
    reserved,
    usable: info.pagesize - reserved,
    encoding: typeof d.encoding === 'number' ? d.encoding : 1,
    autoVacuum: d.autoVacuum === true,
    dbPages: typeof d.dbPages === 'number' ? d.dbPages : 0,
    freelistTrunk: typeof d.freelistTrunk === 'number' ? d.freelistTrunk : 0,
    freelistCount: typeof d.freelistCount === 'number' ? d.freelistCount : 0,
  }
}

/** One field of the database header: offset in the header, width, name and how to read it. */
interface HeaderField {
  offset: number
  length: number
  name: string
  meaning?: (value: number) => string | undefined
}

const ENCODINGS: Record<number, string> = {1: 'UTF-8', 2: 'UTF-16le', 3: 'UTF-16be'}

/** The header's fields, in offset order, named as the file-format document's table names them. */
export const HEADER_FIELDS: readonly HeaderField[] = [
  {offset: 16, length: 2, name: 'page size', meaning: (v) => (v === 1 ? '65536 bytes' : `${v} bytes`)},
  {offset: 18, length: 1, name: 'file format write version', meaning: (v) => (v === 1 ? 'legacy (rollback journal)' : v === 2 ? 'WAL' : undefined)},
  {offset: 19, length: 1, name: 'file format read version', meaning: (v) => (v === 1 ? 'legacy (rollback journal)' : v === 2 ? 'WAL' : undefined)},
  {offset: 20, length: 1, name: 'reserved space', meaning: (v) => `${v} bytes at the end of each page`},
  {offset: 21, length: 1, name: 'max embedded payload fraction', meaning: (v) => (v === 64 ? 'must be 64' : 'must be 64: invalid')},
  {offset: 22, length: 1, name: 'min embedded payload fraction', meaning: (v) => (v === 32 ? 'must be 32' : 'must be 32: invalid')},
  {offset: 23, length: 1, name: 'leaf payload fraction', meaning: (v) => (v === 32 ? 'must be 32' : 'must be 32: invalid')},
  {offset: 24, length: 4, name: 'file change counter'},
  {offset: 28, length: 4, name: 'database size in pages'},
  {offset: 32, length: 4, name: 'first freelist trunk page', meaning: (v) => (v === 0 ? 'no freelist' : `page ${v}`)},
  {offset: 36, length: 4, name: 'total freelist pages'},
  {offset: 40, length: 4, name: 'schema cookie'},
  {offset: 44, length: 4, name: 'schema format number'},
  {offset: 48, length: 4, name: 'default page cache size'},
  {offset: 52, length: 4, name: 'largest root b-tree page', meaning: (v) => (v === 0 ? 'no auto_vacuum' : 'auto_vacuum or incremental_vacuum: pointer-map pages')},
  {offset: 56, length: 4, name: 'text encoding', meaning: (v) => ENCODINGS[v] ?? 'invalid'},
  {offset: 60, length: 4, name: 'user version'},
  {offset: 64, length: 4, name: 'incremental-vacuum mode', meaning: (v) => (v === 0 ? 'off' : 'on')},
  {offset: 68, length: 4, name: 'application id'},
  {offset: 92, length: 4, name: 'version-valid-for number'},
  {offset: 96, length: 4, name: 'SQLITE_VERSION_NUMBER', meaning: (v) => `${Math.floor(v / 1000000)}.${Math.floor(v / 1000) % 1000}.${v % 1000}`},
]
