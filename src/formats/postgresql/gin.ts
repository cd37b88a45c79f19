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
 *    a posting tree; otherwise its block, without GIN_ITUP_COMPRESSED, is where in the tuple the
 *    posting list (one GinPostingList) starts, and the key ends there. A pending list tuple's
 *    t_tid is its heap tuple.
 *  - A data page starts with its right bound (an ItemPointer, MAXALIGNed); a compressed leaf then
 *    holds GinPostingList segments (first, nbytes, varbyte-encoded TIDs) up to pd_lower, an
 *    internal page maxoff PostingItems (child_blkno, key). A segment's TIDs, and an entry tuple's,
 *    are decoded (gin-posting.ts) as gin_leafpage_items lists them.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {GIN_ALL_FLAGS, GIN_COMPRESSED, GIN_DATA, GIN_DELETED, GIN_FLAGS, GIN_LEAF, GIN_LIST, GIN_META, GIN_OPAQUE_SIZE, KINDS, SIZE_OF_PAGE_HEADER, SPGIST_PAGE_ID} from './constants.js'
import type {LinePointer} from './header.js'
import {postingTids} from './gin-posting.js'
import {ctidText} from './heap.js'
import {decodeIndexTuples, indexTupleHead, keyField} from './index-tuple.js'
import {blockMeaning, type IndexPages, int64Text, uintFields} from './index-pages.js'

/** GIN_ITUP_COMPRESSED: in an entry leaf tuple's t_tid block, the posting list is compressed (9.4 on). */
const GIN_ITUP_COMPRESSED = 0x80000000
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

/** The tuple kinds of entry and pending pages: what t_tid holds in each. */
type EntryTupleKind = 'internal' | 'leaf' | 'pending'

function entryTuple(kindOfTuple: EntryTupleKind) {
  return (r: PageFields, p: LinePointer): DecodedField[] => {
    const {fields, start, end} = indexTupleHead(r, p)
    const t = p.lp_off
    const offset = r.u16(t + 4)!
    const block = r.u16(t)! * 65536 + r.u16(t + 2)!
    const tid = fields[0]!
    if (kindOfTuple === 'internal') tid.meaning = 'the child page'
    else if (kindOfTuple === 'pending') tid.meaning = 'the heap tuple'
    else if (offset === GIN_TREE_POSTING) tid.meaning = `GIN_TREE_POSTING: block ${block} is the root of the posting tree`
    else tid.meaning = `${offset} heap TIDs in the posting list${(block & GIN_ITUP_COMPRESSED) !== 0 ? `, compressed, at tuple offset ${block - GIN_ITUP_COMPRESSED}` : ''}`
    const posting = kindOfTuple === 'leaf' && offset !== GIN_TREE_POSTING && offset > 0 && (block & GIN_ITUP_COMPRESSED) !== 0 ? block - GIN_ITUP_COMPRESSED : null
    const keyEnd = posting === null ? end : Math.max(start, Math.min(end, posting))
    if (start < keyEnd) fields.push(keyField(r, t, start, keyEnd))
    if (posting !== null) fields.push(...entryPosting(r, p, posting, offset, end))
    return fields
  }
}

/** entryPosting -- the compressed posting list of an entry leaf tuple at tuple offset `posting`: its TIDs, `count` of them (t_tid's offset). */
function entryPosting(r: PageFields, p: LinePointer, posting: number, count: number, end: number): DecodedField[] {
  const at = p.lp_off + posting
  if (posting + POSTING_LIST_HEADER > end) {
    r.problem(p.lp_off, `lp ${p.lp}: the posting list at tuple offset ${posting} does not fit in the tuple's ${end} bytes`)
    return []
  }
  const nbytes = r.u16(at + 6)!
  const shown = Math.min(nbytes, end - posting - POSTING_LIST_HEADER)
  if (shown < nbytes) r.problem(at + 6, `lp ${p.lp}: the posting list's ${nbytes} bytes run past the tuple's end`)
  const list = postingTids(r, at, shown)
  if (list.problem !== null) r.problem(list.at, `lp ${p.lp}: ${list.problem}`)
  else if (list.tids.length !== count) r.problem(at, `lp ${p.lp}: t_tid says ${count} heap TIDs, but the posting list holds ${list.tids.length}`)
  return [r.field('tids', at, POSTING_LIST_HEADER + shown, list.tids, 'payload', 'the heap TIDs, a GinPostingList: first, nbytes, varbyte-encoded deltas')]
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
    const list = postingTids(r, off, shown)
    if (list.problem !== null) r.problem(list.at, `the posting list at ${off}: ${list.problem}`)
    fields.push(r.field('tids', off + POSTING_LIST_HEADER, shown, list.tids, 'payload', `${list.tids.length} heap TIDs: first, then the varbyte-encoded deltas`))
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
  const tuples: EntryTupleKind = kindName === KINDS.ginEntryLeaf ? 'leaf' : kindName === KINDS.ginPending ? 'pending' : 'internal'
  return {fields: special(r), items: decodeIndexTuples(r, pointers, entryTuple(tuples))}
}

export const ginPages: IndexPages = {is, kind, decode}
