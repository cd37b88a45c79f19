/**
 * detect -- a PostgreSQL relation file from its page 0's header.
 *
 * Policy, each in a sentence:
 *  - pd_pagesize_version (offset 18) must hold a page size PostgreSQL can be built with and
 *    layout version 4; it is tried in both byte orders, since a relation file is in the byte order
 *    of the server that wrote it.
 *  - Those two bytes are easily met by chance, so the header must also be one PostgreSQL could
 *    have written: 24 <= pd_lower <= pd_upper <= pd_special <= page size, pd_special MAXALIGNed,
 *    no unknown pd_flags bits, and a file at least one page long.
 *  - Data checksums are a property of the cluster that the page cannot state; a cluster with them
 *    never writes a zero pd_checksum (the sum is reduced to 1..65535), one without them always
 *    does, so page 0's pd_checksum says which.
 *  - A relation larger than a segment (1 GiB, RELSEG_SIZE in PostgreSQL's default build) is
 *    several files, RELFILENODE, RELFILENODE.1, RELFILENODE.2 ... (and so for its _fsm, _vm and
 *    _init forks, and a temporary relation's tBACKEND_RELFILENODE); only the name says which
 *    segment a file is, so a name of that form sets `firstPage` to the segment's first block
 *    (segment * 1 GiB / page size), the block number the checksums mix in. Any other name is
 *    taken as a first segment (details.segment 0, details.segmentNamed false).
 *  - The fork is the name's too (details.fork): the pages of RELFILENODE_fsm and RELFILENODE_vm
 *    have a plain page header and no line pointers, like an empty heap page, so only the name
 *    says they are free space map or visibility map pages (fsm.ts, vm.ts); any other name is the
 *    main fork's.
 */
import type {FormatInfo} from '../types.js'
import {MAXALIGN, PAGE_LAYOUT_VERSION, PD_VALID_FLAG_BITS, SEGMENT_BYTES, SIZE_OF_PAGE_HEADER, validPagesize} from './constants.js'

function u16(head: Buffer, off: number, little: boolean): number {
  return little ? head.readUInt16LE(off) : head.readUInt16BE(off)
}

/** plausibleHeader -- whether the page header at the start of `head` is one PostgreSQL could write for `pagesize`. */
export function plausibleHeader(head: Buffer, little: boolean, pagesize: number): boolean {
  const flags = u16(head, 10, little)
  const lower = u16(head, 12, little)
  const upper = u16(head, 14, little)
  const special = u16(head, 16, little)
  return (flags & ~PD_VALID_FLAG_BITS) === 0 && lower >= SIZE_OF_PAGE_HEADER && lower <= upper && upper <= special && special <= pagesize && special % MAXALIGN === 0
}

/** A relation file's name, as md.c makes it: [tBACKEND_]RELFILENODE[_FORK][.SEGMENT]. */
const RELATION_FILE = /^(?:t\d+_)?\d+(?:_(fsm|vm|init))?(?:\.(\d+))?$/

/** A relation's forks (common/relpath.h's forkNames): the main data, the free space map, the visibility map, an unlogged relation's init fork. */
export type Fork = 'main' | 'fsm' | 'vm' | 'init'

/** relationFileName -- what a relation file's name says: its segment (0 without one) and fork, and whether the name is a relation file's at all. */
export function relationFileName(name: string | undefined): {segment: number; fork: Fork; named: boolean} {
  const match = name === undefined ? null : RELATION_FILE.exec(name)
  if (match === null) return {segment: 0, fork: 'main', named: false}
  return {segment: match[2] === undefined ? 0 : Number(match[2]), fork: (match[1] ?? 'main') as Fork, named: true}
}

/** detectPostgres -- FormatInfo for a PostgreSQL relation file, or null; `name` is its base name, if known. */
export function detectPostgres(head: Buffer, fileSize: number, name?: string): FormatInfo | null {
  if (head.length < SIZE_OF_PAGE_HEADER) return null
  for (const little of [true, false]) {
    const word = u16(head, 18, little)
    const pagesize = word & 0xff00
    if ((word & 0x00ff) !== PAGE_LAYOUT_VERSION || !validPagesize(pagesize) || fileSize < pagesize) continue
    if (!plausibleHeader(head, little, pagesize)) continue
    const {segment, fork, named} = relationFileName(name)
    return {
      format: 'postgresql',
      pagesize,
      source: 'the PostgreSQL page header',
      firstPage: segment * (SEGMENT_BYTES / pagesize),
      details: {byteOrder: little ? 'little' : 'big', layoutVersion: PAGE_LAYOUT_VERSION, checksums: u16(head, 8, little) !== 0, segment, segmentNamed: named, fork},
    }
  }
  return null
}
