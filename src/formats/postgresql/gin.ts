/**
 * gin -- GIN index pages (access/ginblock.h): the metapage, entry tree pages of IndexTuples,
 * posting tree (data) pages, and the pending list.
 *
 * Policy, each in a sentence:
 *  - GIN keeps no page id: a page is a GIN page when its special space is GinPageOpaqueData's 8
 *    bytes and its flags have no bit ginblock.h does not define (SP-GiST's page id and BRIN's
 *    page types, in the same two bytes, have high bits set, so they are told apart first).
 *  - The kind follows the flags: GIN_META `gin-meta`, GIN_DELETED `free`, GIN_LIST (the pending
 *    list of fast update) `gin-pending`, GIN_DATA with or without GIN_LEAF `gin-data-leaf` or
 *    `gin-data-internal`, else `gin-entry-leaf` or `gin-entry-internal`.
 *  - Entry and pending pages keep IndexTuples; on an entry leaf, t_tid's offset is the number of
 *    heap TIDs in the tuple's posting list, or GIN_TREE_POSTING when t_tid's block is the root of
 *    a posting tree.
 *  - A data page starts with its right bound (an ItemPointer, MAXALIGNed); a compressed leaf then
 *    holds GinPostingList segments (first, nbytes, varbyte-encoded TIDs) up to pd_lower, an
 *    internal page maxoff PostingItems (child_blkno, key). The TIDs inside a segment are not decoded.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {GIN_ALL_FLAGS, GIN_COMPRESSED, GIN_DATA, GIN_DELETED, GIN_FLAGS, GIN_LEAF, GIN_LIST, GIN_META, GIN_OPAQUE_SIZE, KINDS, SIZE_OF_PAGE_HEADER, SPGIST_PAGE_ID} from './constants.js'
import type {LinePointer} from './header.js'
import {ctidText} from './heap.js'
import {decodeIndexTuples, indexTupleHead, keyField, spacedHex} from './index-tuple.js'
import {blockMeaning, type IndexPages, int64Text, uintFields} from './index-pages.js'

/** GIN_TREE_POSTING: an entry tuple's t_tid offset when its TIDs are in a posting tree. */
const GIN_TREE_POSTING = 0xffff
/** Where a data page's items start: after the right bound, MAXALIGN(sizeof(ItemPointerData)). */
const DATA_START = SIZE_OF_PAGE_HEADER + 8
/** sizeof(PostingItem): child_blkno (BlockIdData) and key (ItemPointerData). */
const POSTING_ITEM_SIZE = 10
/** offsetof(GinPostingList, bytes): first and nbytes. */
const POSTING_LIST_HEADER = 8

function is(r: PageFields): boolean {
  const flags = r.u16(r.page.length - 2)!
  return r.page.length - r.u16(16)! === GIN_OPAQUE_SIZE && flags !== SPGIST_PAGE_ID && (flags & ~GIN_ALL_FLAGS) === 0
}

function kind(r: PageFields): string {
  const flags = r.u16(r.page.length - 2)!
  if ((flags & GIN_META) !== 0) return KINDS.ginMeta
  if ((flags & GIN_DELETED) !== 0) return KINDS.free
  if ((flags & GIN_LIST) !== 0) return KINDS.ginPending
  const leaf = (flags & GIN_LEAF) !== 0
  if ((flags & GIN_DATA) !== 0) return leaf ? KINDS.ginDataLeaf : KINDS.ginDataInternal
  return leaf ? KINDS.ginEntryLeaf : KINDS.ginEntryInternal
}

function special(r: PageFields): DecodedField[] {
  const s = r.page.length - GIN_OPAQUE_SIZE
  return [
    r.uint('rightlink', s, 4, 'special', (v) => blockMeaning(v, 'right sibling'))!,
    r.uint('maxoff', s + 4, 2, 'special', () => 'items on a data page (0 on other pages)')!,
    r.uint('flags', s + 6, 2, 'special', (v) => flagNames(v, GIN_FLAGS))!,
  ]
}

/** GinMetaPageData after the page header. */
function metapage(r: PageFields): DecodedField[] {
  const m = SIZE_OF_PAGE_HEADER
  return [
    ...uintFields(r, m, 4, ['head', 'tail', 'tailFreeSize', 'nPendingPages']),
    r.field('nPendingHeapTuples', m + 16, 8, int64Text(r, m + 16), 'file-header'),
    ...uintFields(r, m + 24, 4, ['nTotalPages', 'nEntryPages', 'nDataPages']),
    r.field('nEntries', m + 40, 8, int64Text(r, m + 40), 'file-header'),
    r.uint('ginVersion', m + 48, 4, 'file-header')!,
  ]
}

function entryTuple(leaf: boolean) {
  return (r: PageFields, p: LinePointer): DecodedField[] => {
    const {fields, start, end} = indexTupleHead(r, p)
    const offset = r.u16(p.lp_off + 4)!
    const tid = fields[0]!
    if (!leaf) tid.meaning = 'the child page'
    else tid.meaning = offset === GIN_TREE_POSTING ? `GIN_TREE_POSTING: block ${r.u16(p.lp_off)! * 65536 + r.u16(p.lp_off + 2)!} is the root of the posting tree` : `${offset} heap TIDs in the posting list`
    if (start < end) fields.push(keyField(r, p.lp_off, start, end))
    return fields
  }
}

function rightBound(r: PageFields): DecodedField {
  return r.field('rightbound', SIZE_OF_PAGE_HEADER, 6, ctidText(r, SIZE_OF_PAGE_HEADER), 'page-header', 'the highest TID this page may hold')
}

/** The GinPostingList segments of a compressed data leaf, up to pd_lower. */
function postingLists(r: PageFields): DecodedItem[] {
  const end = Math.min(r.u16(12)!, r.page.length - GIN_OPAQUE_SIZE)
  const items: DecodedItem[] = []
  let off = DATA_START
  while (off + POSTING_LIST_HEADER <= end) {
    const nbytes = r.u16(off + 6)!
    const size = POSTING_LIST_HEADER + nbytes + (nbytes % 2)
    if (off + size > end) r.problem(off + 6, `the posting list at ${off} of ${nbytes} bytes runs past pd_lower ${end}`)
    const shown = Math.min(nbytes, end - off - POSTING_LIST_HEADER)
    const fields = [r.field('first', off, 6, ctidText(r, off), 'cell', 'the first heap TID, uncompressed'), r.field('nbytes', off + 6, 2, nbytes, 'cell')]
    if (shown > 0) fields.push(r.field('bytes', off + POSTING_LIST_HEADER, shown, spacedHex(r.page.subarray(off + 8, off + 8 + Math.min(shown, 16))) + (shown > 16 ? ' ..' : ''), 'payload', 'the other TIDs, varbyte-encoded deltas'))
    items.push({index: items.length + 1, offset: r.base + off, length: Math.min(size, end - off), fields})
    off += size
  }
  return items
}

/** The PostingItems of a data internal page: maxoff of them. */
function postingItems(r: PageFields): DecodedItem[] {
  const maxoff = r.u16(r.page.length - 4)!
  const fit = Math.floor((r.page.length - GIN_OPAQUE_SIZE - DATA_START) / POSTING_ITEM_SIZE)
  if (maxoff > fit) r.problem(r.page.length - 4, `maxoff is ${maxoff} but only ${fit} PostingItems fit on the page`)
  const items: DecodedItem[] = []
  for (let i = 0; i < Math.min(maxoff, fit); i++) {
    const off = DATA_START + i * POSTING_ITEM_SIZE
    const child = r.u16(off)! * 65536 + r.u16(off + 2)!
    items.push({index: i + 1, offset: r.base + off, length: POSTING_ITEM_SIZE, fields: [r.field('child_blkno', off, 4, child, 'cell', 'the child page'), r.field('key', off + 4, 6, ctidText(r, off + 4), 'cell', "the child's highest TID")]})
  }
  return items
}

function decode(r: PageFields, kindName: string, pointers: LinePointer[]): {fields: DecodedField[]; items: DecodedItem[]} {
  if (kindName === KINDS.ginMeta) return {fields: [...metapage(r), ...special(r)], items: []}
  if (kindName === KINDS.ginDataLeaf || kindName === KINDS.ginDataInternal) {
    const compressed = (r.u16(r.page.length - 2)! & GIN_COMPRESSED) !== 0
    const items = kindName === KINDS.ginDataInternal ? postingItems(r) : compressed ? postingLists(r) : []
    return {fields: [rightBound(r), ...special(r)], items}
  }
  if (kindName === KINDS.free) return {fields: special(r), items: []}
  return {fields: special(r), items: decodeIndexTuples(r, pointers, entryTuple(kindName === KINDS.ginEntryLeaf || kindName === KINDS.ginPending))}
}

export const ginPages: IndexPages = {is, kind, decode}
