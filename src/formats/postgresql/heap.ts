/**
 * heap -- heap tuples (htup_details.h): HeapTupleHeaderData after each normal line pointer.
 *
 * Policy, each in a sentence:
 *  - A tuple header is read only where pageinspect's heap_page_items reads one: a LP_NORMAL
 *    pointer whose tuple is MAXALIGNed, at least SizeofHeapTupleHeader long and inside the page;
 *    a normal pointer that fails this is named as a problem.
 *  - t_infomask and t_infomask2 are shown with their flag names (and the attribute count), t_ctid
 *    as `(block,offset)`, the null bitmap as heap_page_items' string of 0s and 1s, one per bit of
 *    its bytes, attribute 1 first (1: the attribute is not null).
 *  - The tuple's data, from t_hoff to lp_len, is previewed, clipped; a t_hoff outside the tuple is
 *    named and no data is shown.
 */
import {flagNames, preview, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {HEAP_HASNULL, HEAP_NATTS_MASK, INFOMASK2_FLAGS, INFOMASK_FLAGS, LP_NORMAL, MAXALIGN, SIZEOF_HEAP_TUPLE_HEADER} from './constants.js'
import {type LinePointer, linePointerFields} from './header.js'

/** ctidText -- an ItemPointerData at `off` as `(block,offset)`, as PostgreSQL prints a tid. */
export function ctidText(r: PageFields, off: number): string {
  const block = r.u16(off)! * 65536 + r.u16(off + 2)!
  return `(${block},${r.u16(off + 4)!})`
}

/** tupleFits -- pageinspect's test for a line pointer that holds a readable tuple of at least `min` bytes. */
export function tupleFits(r: PageFields, p: LinePointer, min: number): boolean {
  return p.lp_flags === LP_NORMAL && p.lp_off % MAXALIGN === 0 && p.lp_len >= min && r.fits(p.lp_off, p.lp_len)
}

/** nullBitmap -- t_bits as heap_page_items prints them: one character per bit of the bitmap's bytes, attribute 1 first. */
function nullBitmap(r: PageFields, off: number, bytes: number): string {
  let bits = ''
  for (let i = 0; i < bytes * 8; i++) bits += ((r.u8(off + (i >> 3))! >> (i & 7)) & 1) === 1 ? '1' : '0'
  return bits
}

function tupleHeader(r: PageFields, p: LinePointer): DecodedField[] {
  const t = p.lp_off
  const infomask2 = r.u16(t + 18)!
  const infomask = r.u16(t + 20)!
  const hoff = r.u8(t + 22)!
  const natts = infomask2 & HEAP_NATTS_MASK
  const fields: DecodedField[] = [
    r.uint('t_xmin', t, 4, 'cell')!,
    r.uint('t_xmax', t + 4, 4, 'cell')!,
    r.uint('t_field3', t + 8, 4, 'cell', () => 't_cid or t_xvac')!,
    r.field('t_ctid', t + 12, 6, ctidText(r, t + 12), 'cell'),
    r.field('t_infomask2', t + 18, 2, infomask2, 'cell', [`${natts} attributes`, flagNames(infomask2 & ~HEAP_NATTS_MASK, INFOMASK2_FLAGS)].filter(Boolean).join('|')),
    r.field('t_infomask', t + 20, 2, infomask, 'cell', flagNames(infomask, INFOMASK_FLAGS)),
    r.field('t_hoff', t + 22, 1, hoff, 'cell'),
  ]
  const bitmapBytes = Math.ceil(natts / 8)
  if ((infomask & HEAP_HASNULL) !== 0) {
    if (SIZEOF_HEAP_TUPLE_HEADER + bitmapBytes > Math.min(hoff, p.lp_len)) r.problem(t + 22, `lp ${p.lp}: the null bitmap of ${natts} attributes does not fit before t_hoff ${hoff}`)
    else fields.push(r.field('t_bits', t + SIZEOF_HEAP_TUPLE_HEADER, bitmapBytes, nullBitmap(r, t + SIZEOF_HEAP_TUPLE_HEADER, bitmapBytes), 'cell', 'null bitmap: 1 = not null'))
  }
  if (hoff < SIZEOF_HEAP_TUPLE_HEADER || hoff > p.lp_len) r.problem(t + 22, `lp ${p.lp}: t_hoff ${hoff} is outside the tuple's ${SIZEOF_HEAP_TUPLE_HEADER}..${p.lp_len} bytes`)
  else if (hoff < p.lp_len) fields.push(r.field('t_data', t + hoff, p.lp_len - hoff, preview(r.page.subarray(t + hoff, t + p.lp_len)), 'payload'))
  return fields
}

/** decodeHeapItems -- one item per line pointer: the pointer's fields, and the tuple header where there is one. */
export function decodeHeapItems(r: PageFields, pointers: LinePointer[]): DecodedItem[] {
  return pointers.map((p) => {
    const fields = linePointerFields(r, p)
    const readable = tupleFits(r, p, SIZEOF_HEAP_TUPLE_HEADER)
    if (readable) fields.push(...tupleHeader(r, p))
    else if (p.lp_flags === LP_NORMAL) r.problem(p.at, `lp ${p.lp}: a normal line pointer to ${p.lp_len} bytes at ${p.lp_off} that is not a tuple on this page`)
    return {index: p.lp, offset: r.base + (readable ? p.lp_off : p.at), length: readable ? p.lp_len : 4, fields}
  })
}
