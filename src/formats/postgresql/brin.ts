/**
 * brin -- BRIN index pages (access/brin_page.h, brin_tuple.h): the metapage, the range map
 * (revmap) pages and the regular pages of BrinTuples.
 *
 * Policy, each in a sentence:
 *  - A page is a BRIN page when its special space is BrinSpecialSpace's 8 bytes (four uint16s)
 *    whose last, BrinPageType, is BRIN_PAGETYPE_META, _REVMAP or _REGULAR; the one before it is
 *    BrinPageFlags.
 *  - A revmap page is an array of ItemPointers (rm_tids) after the page header, one per block
 *    range, pointing at the range's summary tuple; only the ranges summarised (a TID other than
 *    (0,0)) are items.
 *  - A BrinTuple has bt_blkno (the first heap block of its range) and bt_info (the data offset
 *    and the null, placeholder and empty-range bits); its values, after the data offset, are
 *    previewed as bytes, since their layout depends on the opclass.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {BRIN_FLAGS, BRIN_INFO_FLAGS, BRIN_META_MAGIC, BRIN_OFFSET_MASK, BRIN_PAGETYPE_META, BRIN_PAGETYPE_REGULAR, BRIN_PAGETYPE_REVMAP, BRIN_SPECIAL_SIZE, KINDS, SIZE_OF_PAGE_HEADER} from './constants.js'
import type {LinePointer} from './header.js'
import {ctidText} from './heap.js'
import {decodeTuples, keyField} from './index-tuple.js'
import {type IndexPages, magicField, uintFields} from './index-pages.js'

/** SizeOfBrinTuple: bt_blkno and bt_info. */
const BRIN_TUPLE_SIZE = 5
/** sizeof(ItemPointerData): one revmap entry. */
const TID_SIZE = 6

const TYPE_NAMES: Record<number, string> = {
  [BRIN_PAGETYPE_META]: 'BRIN_PAGETYPE_META',
  [BRIN_PAGETYPE_REVMAP]: 'BRIN_PAGETYPE_REVMAP',
  [BRIN_PAGETYPE_REGULAR]: 'BRIN_PAGETYPE_REGULAR',
}

function is(r: PageFields): boolean {
  return r.page.length - r.u16(16)! === BRIN_SPECIAL_SIZE && TYPE_NAMES[r.u16(r.page.length - 2)!] !== undefined
}

function kind(r: PageFields): string {
  const type = r.u16(r.page.length - 2)
  return type === BRIN_PAGETYPE_META ? KINDS.brinMeta : type === BRIN_PAGETYPE_REVMAP ? KINDS.brinRevmap : KINDS.brinRegular
}

function special(r: PageFields): DecodedField[] {
  const s = r.page.length - BRIN_SPECIAL_SIZE
  return [r.uint('BrinPageFlags', s + 4, 2, 'special', (v) => flagNames(v, BRIN_FLAGS))!, r.uint('BrinPageType', s + 6, 2, 'special', (v) => TYPE_NAMES[v] ?? '')!]
}

/** BrinMetaPageData after the page header. */
function metapage(r: PageFields): DecodedField[] {
  const m = SIZE_OF_PAGE_HEADER
  return [magicField(r, 'brinMagic', m, BRIN_META_MAGIC, 'BRIN_META_MAGIC'), ...uintFields(r, m + 4, 4, ['brinVersion', 'pagesPerRange', 'lastRevmapPage'])]
}

/** The summarised ranges of a revmap page: rm_tids entries other than (0,0). */
function revmap(r: PageFields): DecodedItem[] {
  const count = Math.floor((r.page.length - SIZE_OF_PAGE_HEADER - BRIN_SPECIAL_SIZE) / TID_SIZE)
  const items: DecodedItem[] = []
  for (let i = 0; i < count; i++) {
    const off = SIZE_OF_PAGE_HEADER + i * TID_SIZE
    if (r.u32(off) === 0 && r.u16(off + 4) === 0) continue
    items.push({index: i, offset: r.base + off, length: TID_SIZE, fields: [r.field('rm_tids', off, TID_SIZE, ctidText(r, off), 'pointer', `block range ${i} of this page: its summary tuple`)]})
  }
  return items
}

function brinTuple(r: PageFields, p: LinePointer): DecodedField[] {
  const t = p.lp_off
  const info = r.u8(t + 4)!
  const dataOffset = info & BRIN_OFFSET_MASK
  const flags = flagNames(info & ~BRIN_OFFSET_MASK, BRIN_INFO_FLAGS)
  const fields = [r.uint('bt_blkno', t, 4, 'cell', () => 'the first heap block of the range')!, r.field('bt_info', t + 4, 1, info, 'cell', [`data at ${dataOffset}`, flags].filter(Boolean).join('|'))]
  if (dataOffset < BRIN_TUPLE_SIZE || dataOffset > p.lp_len) r.problem(t + 4, `lp ${p.lp}: bt_info's data offset ${dataOffset} is outside the tuple's ${BRIN_TUPLE_SIZE}..${p.lp_len} bytes`)
  else if (dataOffset < p.lp_len) fields.push(keyField(r, t, dataOffset, p.lp_len, 'the summary values'))
  return fields
}

function decode(r: PageFields, kindName: string, pointers: LinePointer[]): {fields: DecodedField[]; items: DecodedItem[]} {
  if (kindName === KINDS.brinMeta) return {fields: [...metapage(r), ...special(r)], items: []}
  if (kindName === KINDS.brinRevmap) return {fields: special(r), items: revmap(r)}
  return {fields: special(r), items: decodeTuples(r, pointers, BRIN_TUPLE_SIZE, brinTuple)}
}

export const brinPages: IndexPages = {is, kind, decode}
