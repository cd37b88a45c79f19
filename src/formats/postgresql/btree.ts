/**
 * btree -- nbtree pages: the special space (BTPageOpaqueData), the metapage (BTMetaPageData) and
 * index tuples (itup.h's IndexTupleData).
 *
 * Policy, each in a sentence:
 *  - A page is a btree page when its special space is exactly BTPageOpaqueData's 16 bytes, its
 *    btpo_flags has no bit nbtree.h does not define, and its btpo_cycleid is at most
 *    MAX_BT_CYCLE_ID: hash, GiST and SP-GiST keep a 0xFF8x page id in those last two bytes, which
 *    nbtree keeps its cycle ids below for exactly this reason.
 *  - The metapage is the page with BTP_META; its fields are BTMetaPageData's, right after the
 *    page header, and a btm_magic other than BTREE_MAGIC is a problem.
 *  - Index tuples are itup.h's (index-tuple.ts); a deduplicated (posting list) tuple's key ends
 *    where its heap TIDs begin, and a pivot tuple's where its heap TID tiebreaker begins, as
 *    bt_page_items shows them.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {
  BT_IS_POSTING,
  BT_PIVOT_HEAP_TID_ATTR,
  BT_OFFSET_MASK,
  BT_OPAQUE_SIZE,
  BTP_ALL_FLAGS,
  BTP_DELETED,
  BTP_FLAGS,
  BTP_HALF_DEAD,
  BTP_LEAF,
  BTP_META,
  BTREE_MAGIC,
  KINDS,
  MAX_BT_CYCLE_ID,
  INDEX_AM_RESERVED_BIT,
  SIZE_OF_PAGE_HEADER,
} from './constants.js'
import type {LinePointer} from './header.js'
import {ctidText} from './heap.js'
import {decodeIndexTuples, indexTupleHead, keyField} from './index-tuple.js'
import type {IndexPages} from './index-pages.js'

/** btreeFlags -- btpo_flags of a btree page, or null if the special space is not a btree's. */
export function btreeFlags(r: PageFields): number | null {
  const special = r.u16(16)!
  if (r.page.length - special !== BT_OPAQUE_SIZE) return null
  const flags = r.u16(r.page.length - 4)!
  const cycleid = r.u16(r.page.length - 2)!
  return (flags & ~BTP_ALL_FLAGS) === 0 && cycleid <= MAX_BT_CYCLE_ID ? flags : null
}

/** decodeSpecial -- BTPageOpaqueData at pd_special. */
export function decodeSpecial(r: PageFields): DecodedField[] {
  const s = r.page.length - BT_OPAQUE_SIZE
  return [
    r.uint('btpo_prev', s, 4, 'special', (v) => (v === 0 ? 'leftmost' : 'left sibling'))!,
    r.uint('btpo_next', s + 4, 4, 'special', (v) => (v === 0 ? 'rightmost' : 'right sibling'))!,
    r.uint('btpo_level', s + 8, 4, 'special', (v) => (v === 0 ? 'leaf level' : `level ${v} above the leaves`))!,
    r.uint('btpo_flags', s + 12, 2, 'special', (v) => flagNames(v, BTP_FLAGS))!,
    r.uint('btpo_cycleid', s + 14, 2, 'special')!,
  ]
}

/** decodeMetapage -- BTMetaPageData after the page header. */
export function decodeMetapage(r: PageFields): DecodedField[] {
  const m = SIZE_OF_PAGE_HEADER
  const magic = r.u32(m)!
  if (magic !== BTREE_MAGIC) r.problem(m, `btm_magic is 0x${magic.toString(16)}, not BTREE_MAGIC 0x${BTREE_MAGIC.toString(16)}`)
  const littleEndian = r.littleEndian
  const tuples = littleEndian ? r.page.readDoubleLE(m + 32) : r.page.readDoubleBE(m + 32)
  return [
    r.uint('btm_magic', m, 4, 'file-header', (v) => (v === BTREE_MAGIC ? 'BTREE_MAGIC' : 'not BTREE_MAGIC'))!,
    r.uint('btm_version', m + 4, 4, 'file-header')!,
    r.uint('btm_root', m + 8, 4, 'file-header', () => 'root page')!,
    r.uint('btm_level', m + 12, 4, 'file-header', () => "the root's level")!,
    r.uint('btm_fastroot', m + 16, 4, 'file-header')!,
    r.uint('btm_fastlevel', m + 20, 4, 'file-header')!,
    r.uint('btm_last_cleanup_num_delpages', m + 24, 4, 'file-header')!,
    r.field('btm_last_cleanup_num_heap_tuples', m + 32, 8, tuples, 'file-header'),
    r.field('btm_allequalimage', m + 40, 1, r.u8(m + 40) !== 0, 'file-header', 'deduplication is safe'),
  ]
}

function btreeTuple(r: PageFields, p: LinePointer): DecodedField[] {
  const t = p.lp_off
  const {fields, info, start, end} = indexTupleHead(r, p)
  const posting = postingList(r, t, info)
  const pivotTid = posting === null && pivotHasHeapTid(r, t, info) && end - start >= PIVOT_TID_SIZE
  const keyEnd = posting !== null ? Math.min(end, posting.offset) : pivotTid ? end - PIVOT_TID_SIZE : end
  if (start < keyEnd) fields.push(keyField(r, t, start, keyEnd))
  if (pivotTid) fields.push(r.field('htid', t + end - PIVOT_TID_SIZE, 6, ctidText(r, t + end - PIVOT_TID_SIZE), 'payload', "the pivot's heap TID tiebreaker"))
  if (posting !== null) {
    const count = Math.max(0, Math.min(posting.count, Math.floor((end - posting.offset) / 6)))
    if (count < posting.count) r.problem(t + 4, `lp ${p.lp}: a posting list of ${posting.count} heap TIDs does not fit in the tuple`)
    const tids: string[] = []
    for (let i = 0; i < Math.min(count, POSTING_SHOWN); i++) tids.push(ctidText(r, t + posting.offset + i * 6))
    if (count > 0) fields.push(r.field('tids', t + posting.offset, count * 6, tids, 'payload', `${count} heap TIDs${count > POSTING_SHOWN ? `, the first ${POSTING_SHOWN} shown` : ''}`))
  }
  return fields
}

/** How many heap TIDs of a posting list are listed. */
const POSTING_SHOWN = 16

/**
 * postingList -- where a deduplicated tuple's heap TIDs are (BTreeTupleIsPosting: INDEX_ALT_TID_MASK
 * with BT_IS_POSTING in t_tid's offset; t_tid's block number is then the posting list's offset
 * and its offset number the TID count), or null for a plain or pivot tuple.
 */
function postingList(r: PageFields, t: number, info: number): {offset: number; count: number} | null {
  const posid = r.u16(t + 4)!
  if ((info & INDEX_AM_RESERVED_BIT) === 0 || (posid & BT_IS_POSTING) === 0) return null
  return {offset: r.u16(t)! * 65536 + r.u16(t + 2)!, count: posid & BT_OFFSET_MASK}
}

/** A pivot tuple's trailing heap TID takes MAXALIGN(sizeof(ItemPointerData)) bytes. */
const PIVOT_TID_SIZE = 8

/** pivotHasHeapTid -- a pivot tuple (INDEX_ALT_TID_MASK without BT_IS_POSTING) that keeps a heap TID at its end (BT_PIVOT_HEAP_TID_ATTR). */
function pivotHasHeapTid(r: PageFields, t: number, info: number): boolean {
  const posid = r.u16(t + 4)!
  return (info & INDEX_AM_RESERVED_BIT) !== 0 && (posid & BT_IS_POSTING) === 0 && (posid & BT_PIVOT_HEAP_TID_ATTR) !== 0
}

/** decodeIndexItems -- one item per line pointer: the pointer, then the btree index tuple where there is one. */
export function decodeIndexItems(r: PageFields, pointers: LinePointer[]): DecodedItem[] {
  return decodeIndexTuples(r, pointers, btreeTuple)
}

/** btreeKind -- meta, leaf or internal by btpo_flags; a deleted or half-dead page is `free`. */
function btreeKind(r: PageFields): string {
  const flags = btreeFlags(r)!
  if ((flags & BTP_META) !== 0) return KINDS.btreeMeta
  if ((flags & (BTP_DELETED | BTP_HALF_DEAD)) !== 0) return KINDS.free
  return (flags & BTP_LEAF) !== 0 ? KINDS.btreeLeaf : KINDS.btreeInternal
}

export const btreePages: IndexPages = {
  is: (r) => btreeFlags(r) !== null,
  kind: btreeKind,
  decode: (r, kind, pointers) =>
    kind === KINDS.btreeMeta ? {fields: [...decodeMetapage(r), ...decodeSpecial(r)], items: []} : {fields: decodeSpecial(r), items: decodeIndexItems(r, pointers)},
}
