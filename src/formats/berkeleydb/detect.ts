/**
 * detect -- a Berkeley DB file from its meta page: the magic number, in either byte order, and
 * the page size the meta page records.
 *
 * Policy, each in a sentence:
 *  - Berkeley DB writes a file in the byte order of the machine that made it, so the magic at
 *    offset 12 is tried both ways; the order it matches in is the file's order for every page.
 *  - A magic alone is four bytes of chance: the meta page type byte (offset 25) must be the one
 *    that magic goes with, and the page size (offset 20) one Berkeley DB allows (512..65536, a
 *    power of two), before the file is called Berkeley DB.
 *  - A btree meta page with BTM_RECNO set is a recno database; everything else follows the magic.
 *  - What decoding needs later (byte order, access method, checksums, encryption, a queue's record
 *    length) goes into `details`, so that no page decode has to look at page 0 again.
 */
import type {FormatInfo} from '../types.js'
import {type AccessMethod, BTM_RECNO, MAGIC, META_TYPE, validPagesize} from './constants.js'

/** The access methods as `details.accessMethod` names them: the magic's, with recno split from btree. */
export type AccessMethodName = AccessMethod | 'recno'

function readU32(head: Buffer, off: number, little: boolean): number {
  return little ? head.readUInt32LE(off) : head.readUInt32BE(off)
}

function methodOf(magic: number): AccessMethod | null {
  for (const [name, value] of Object.entries(MAGIC) as Array<[AccessMethod, number]>) if (value === magic) return name
  return null
}

/** detectBerkeleyDb -- FormatInfo for a Berkeley DB file, or null if `head` does not start with a meta page. */
export function detectBerkeleyDb(head: Buffer): FormatInfo | null {
  if (head.length < 96) return null
  for (const little of [true, false]) {
    const method = methodOf(readU32(head, 12, little))
    if (method === null) continue
    const pagesize = readU32(head, 20, little)
    if (head[25] !== META_TYPE[method] || !validPagesize(pagesize)) continue
    const flags = readU32(head, 48, little)
    const accessMethod: AccessMethodName = method === 'btree' && (flags & BTM_RECNO) !== 0 ? 'recno' : method
    const details: FormatInfo['details'] = {
      byteOrder: little ? 'little' : 'big',
      accessMethod,
      version: readU32(head, 16, little),
      checksum: (head[26]! & 0x01) !== 0,
      encrypted: head[24] !== 0,
    }
    if (method === 'queue') {
      details.reLen = readU32(head, 80, little)
      details.recPage = readU32(head, 88, little)
    }
    return {format: 'berkeleydb', pagesize, source: 'the Berkeley DB meta page', firstPage: 0, details}
  }
  return null
}
