/**
 * header -- the header every Berkeley DB page but a meta page starts with: db_page.h's PAGE
 * (26 bytes) or, on a queue data page, QPAGE; and the LSN both begin with.
 *
 * Policy: the LSN is shown as `file/offset`, the two halves of DB_LSN, which db_dump prints as
 * `[file][offset]`. On an overflow page db_page.h reuses two header fields (OV_REF in entries,
 * OV_LEN in hf_offset), and the meaning says so.
 */
import type {PageFields} from '../page-fields.js'
import type {DecodedField, Region} from '../types.js'
import {P_OVERFLOW, pageType} from './constants.js'

/** lsnField -- DB_LSN at offset 0: {file, offset}. */
export function lsnField(r: PageFields, region: Region): DecodedField | null {
  const file = r.u32(0)
  const offset = r.u32(4)
  if (file === null || offset === null) return null
  return r.field('lsn', 0, 8, `${file}/${offset}`, region, `log file ${file}, offset ${offset}`)
}

/** decodeHeader -- PAGE: lsn, pgno, prev_pgno, next_pgno, entries, hf_offset, level, type. */
export function decodeHeader(r: PageFields, type: number): DecodedField[] {
  const overflow = type === P_OVERFLOW
  const fields = [
    lsnField(r, 'page-header'),
    r.uint('pgno', 8, 4, 'page-header'),
    r.uint('prev_pgno', 12, 4, 'page-header'),
    r.uint('next_pgno', 16, 4, 'page-header'),
    r.uint('entries', 20, 2, 'page-header', overflow ? () => 'OV_REF: references to this overflow chain' : undefined),
    r.uint('hf_offset', 22, 2, 'page-header', overflow ? () => 'OV_LEN: bytes of data on this page' : () => 'high free byte: items start here'),
    r.uint('level', 24, 1, 'page-header', (v) => (v === 0 ? '' : v === 1 ? 'leaf level' : `level ${v} above the leaves`)),
    r.uint('type', 25, 1, 'page-header', (v) => pageType(v).name),
  ]
  return fields.filter((f): f is DecodedField => f !== null)
}

/** decodeQueueHeader -- QPAGE: lsn, pgno, then only the type byte means anything. */
export function decodeQueueHeader(r: PageFields): DecodedField[] {
  const fields = [lsnField(r, 'page-header'), r.uint('pgno', 8, 4, 'page-header'), r.uint('type', 25, 1, 'page-header', (v) => pageType(v).name)]
  return fields.filter((f): f is DecodedField => f !== null)
}
