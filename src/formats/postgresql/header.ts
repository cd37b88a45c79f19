/**
 * header -- PageHeaderData and the line pointer array (bufpage.h, itemid.h).
 *
 * Policy, each in a sentence:
 *  - pd_lsn is shown as PostgreSQL prints an LSN, `%X/%X` of its two halves.
 *  - The checksum is verified when the cluster has data checksums (details.checksums): a
 *    mismatch is a problem naming both values; a new (all-zero) page has none to check.
 *  - The line pointers are the (pd_lower - 24) / 4 ItemIds, counted from 1 as OffsetNumbers are;
 *    a pd_lower past the page only gives the pointers that fit, and says so.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField} from '../types.js'
import {pgChecksumPage} from './checksum.js'
import {ITEM_ID_SIZE, LP_FLAG_NAMES, PD_FLAGS, SIZE_OF_PAGE_HEADER} from './constants.js'

/** One ItemIdData: lp_off:15, lp_flags:2, lp_len:15. */
export interface LinePointer {
  /** OffsetNumber, from 1 */
  lp: number
  /** where the ItemId itself lies in the page */
  at: number
  lp_off: number
  lp_flags: number
  lp_len: number
}

/** lsnText -- an LSN as PostgreSQL prints it. */
export function lsnText(high: number, low: number): string {
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`
}

/**
 * decodePageHeader -- PageHeaderData's fields, with the checksum verified as block `blkno` when
 * `checksums`; `hint` ends a mismatch's message (what may be wrong besides the page).
 */
export function decodePageHeader(r: PageFields, blkno: number, checksums: boolean, hint = ''): DecodedField[] {
  const high = r.u32(0)!
  const low = r.u32(4)!
  const stored = r.u16(8)!
  let checksumMeaning = checksums ? '' : 'not checked: the cluster has no data checksums'
  if (checksums && r.page.length % 128 === 0) {
    const computed = pgChecksumPage(r.page, blkno, r.littleEndian)
    if (computed === stored) checksumMeaning = `verified (block ${blkno})`
    else {
      checksumMeaning = `expected ${computed} for block ${blkno}`
      r.problem(8, `pd_checksum is ${stored} but the page's checksum as block ${blkno} is ${computed}${hint}`)
    }
  }
  const version = r.u16(18)!
  return [
    r.field('pd_lsn', 0, 8, lsnText(high, low), 'page-header'),
    r.field('pd_checksum', 8, 2, stored, 'checksum', checksumMeaning),
    r.uint('pd_flags', 10, 2, 'page-header', (v) => flagNames(v, PD_FLAGS))!,
    r.uint('pd_lower', 12, 2, 'page-header', () => 'end of the line pointers')!,
    r.uint('pd_upper', 14, 2, 'page-header', () => 'start of the tuples')!,
    r.uint('pd_special', 16, 2, 'page-header', (v) => (v === r.page.length ? 'no special space' : 'start of the special space'))!,
    r.field('pd_pagesize_version', 18, 2, version, 'page-header', `page size ${version & 0xff00}, layout version ${version & 0xff}`),
    r.uint('pd_prune_xid', 20, 4, 'page-header', (v) => (v === 0 ? '' : 'oldest prunable XID'))!,
  ]
}

/** readLinePointers -- the ItemIds between the header and pd_lower, as many as fit on the page. */
export function readLinePointers(r: PageFields): LinePointer[] {
  const lower = r.u16(12)!
  const end = Math.min(lower, r.page.length)
  if (lower > r.page.length) r.problem(12, `pd_lower ${lower} is past the end of the page`)
  if (lower < SIZE_OF_PAGE_HEADER) {
    r.problem(12, `pd_lower ${lower} is inside the ${SIZE_OF_PAGE_HEADER}-byte page header`)
    return []
  }
  const pointers: LinePointer[] = []
  for (let at = SIZE_OF_PAGE_HEADER; at + ITEM_ID_SIZE <= end; at += ITEM_ID_SIZE) {
    const word = r.u32(at)!
    // C bit fields fill from the low bits on a little-endian machine and from the high bits on a big-endian one
    const first = r.littleEndian ? word & 0x7fff : word >>> 17
    const last = r.littleEndian ? word >>> 17 : word & 0x7fff
    pointers.push({lp: pointers.length + 1, at, lp_off: first, lp_flags: (word >>> 15) & 0x3, lp_len: last})
  }
  return pointers
}

/** linePointerFields -- one ItemId's three bit fields, each over the ItemId's 4 bytes. */
export function linePointerFields(r: PageFields, p: LinePointer): DecodedField[] {
  return [
    r.field('lp_off', p.at, ITEM_ID_SIZE, p.lp_off, 'pointer'),
    r.field('lp_flags', p.at, ITEM_ID_SIZE, p.lp_flags, 'pointer', LP_FLAG_NAMES[p.lp_flags]),
    r.field('lp_len', p.at, ITEM_ID_SIZE, p.lp_len, 'pointer'),
  ]
}
