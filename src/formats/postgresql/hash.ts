/**
 * hash -- hash index pages (access/hash.h): the metapage, bucket and overflow pages with their
 * index tuples, and bitmap pages.
 *
 * Policy, each in a sentence:
 *  - A page is a hash page when its special space is HashPageOpaqueData's 16 bytes ending in
 *    hasho_page_id HASHO_PAGE_ID (0xFF80); its kind is hasho_flag's page type (LH_META_PAGE,
 *    LH_BUCKET_PAGE, LH_OVERFLOW_PAGE, LH_BITMAP_PAGE), and a page of none (LH_UNUSED_PAGE, an
 *    overflow page given back) is `free`, as hash_page_type calls it unused.
 *  - The metapage's fields are HashMetaPageData's after the page header; hashm_spares is shown
 *    whole (HASH_MAX_SPLITPOINTS entries) and hashm_mapp up to hashm_nmaps, the bitmap pages in use.
 *  - A bucket or overflow page's tuples are IndexTuples whose key is the 4-byte hash code (then
 *    the padding to MAXALIGN that t_info's size counts).
 *  - A bitmap page's bitmap runs from the page header to pd_lower, one bit per overflow page
 *    (clear: free to reuse), as _hash_initbitmapbuffer lays it out; its value is the free count.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {HASH_MAGIC, HASH_MAX_SPLITPOINTS, HASH_OPAQUE_SIZE, HASHO_PAGE_ID, KINDS, LH_BITMAP_PAGE, LH_BUCKET_PAGE, LH_FLAGS, LH_META_PAGE, LH_OVERFLOW_PAGE, SIZE_OF_PAGE_HEADER} from './constants.js'
import type {LinePointer} from './header.js'
import {decodeIndexTuples, indexTupleHead, keyField} from './index-tuple.js'
import {blockMeaning, type IndexPages, magicField, uintFields} from './index-pages.js'

/** The page type bits of hasho_flag (LH_PAGE_TYPE). */
const LH_PAGE_TYPE = LH_OVERFLOW_PAGE | LH_BUCKET_PAGE | LH_BITMAP_PAGE | LH_META_PAGE

/** is -- whether the special space is a hash page's. */
function is(r: PageFields): boolean {
  return r.page.length - r.u16(16)! === HASH_OPAQUE_SIZE && r.u16(r.page.length - 2) === HASHO_PAGE_ID
}

function kind(r: PageFields): string {
  const type = r.u16(r.page.length - 4)! & LH_PAGE_TYPE
  if (type === LH_META_PAGE) return KINDS.hashMeta
  if (type === LH_BUCKET_PAGE) return KINDS.hashBucket
  if (type === LH_OVERFLOW_PAGE) return KINDS.hashOverflow
  if (type === LH_BITMAP_PAGE) return KINDS.hashBitmap
  return KINDS.free
}

function special(r: PageFields): DecodedField[] {
  const s = r.page.length - HASH_OPAQUE_SIZE
  const bucketPage = (r.u16(s + 12)! & LH_BUCKET_PAGE) !== 0
  return [
    r.uint('hasho_prevblkno', s, 4, 'special', (v) => (bucketPage ? `hashm_maxbucket when the bucket was last split` : blockMeaning(v, 'previous page of the bucket')))!,
    r.uint('hasho_nextblkno', s + 4, 4, 'special', (v) => blockMeaning(v, 'next overflow page of the bucket'))!,
    r.uint('hasho_bucket', s + 8, 4, 'special', () => 'the bucket this page belongs to')!,
    r.uint('hasho_flag', s + 12, 2, 'special', (v) => flagNames(v, LH_FLAGS) || 'LH_UNUSED_PAGE')!,
    r.uint('hasho_page_id', s + 14, 2, 'special', () => 'HASHO_PAGE_ID')!,
  ]
}

/** HashMetaPageData's fields, after the page header. */
function metapage(r: PageFields): DecodedField[] {
  const m = SIZE_OF_PAGE_HEADER
  const fields = [magicField(r, 'hashm_magic', m, HASH_MAGIC, 'HASH_MAGIC'), r.uint('hashm_version', m + 4, 4, 'file-header')!]
  const tuples = r.littleEndian ? r.page.readDoubleLE(m + 8) : r.page.readDoubleBE(m + 8)
  fields.push(r.field('hashm_ntuples', m + 8, 8, tuples, 'file-header'))
  fields.push(...uintFields(r, m + 16, 2, ['hashm_ffactor', 'hashm_bsize', 'hashm_bmsize', 'hashm_bmshift']))
  fields.push(...uintFields(r, m + 24, 4, ['hashm_maxbucket', 'hashm_highmask', 'hashm_lowmask', 'hashm_ovflpoint', 'hashm_firstfree', 'hashm_nmaps', 'hashm_procid']))
  const spares = m + 52
  const values: number[] = []
  for (let i = 0; i < HASH_MAX_SPLITPOINTS; i++) values.push(r.u32(spares + i * 4)!)
  fields.push(r.field('hashm_spares', spares, HASH_MAX_SPLITPOINTS * 4, values, 'file-header', 'overflow pages allocated before each split point'))
  const mapp = spares + HASH_MAX_SPLITPOINTS * 4
  const maxBitmaps = Math.min(r.page.length / 8, 1024)
  const nmaps = Math.min(r.u32(m + 44)!, maxBitmaps)
  const maps: number[] = []
  for (let i = 0; i < nmaps; i++) maps.push(r.u32(mapp + i * 4)!)
  if (nmaps > 0) fields.push(r.field('hashm_mapp', mapp, nmaps * 4, maps, 'file-header', 'the bitmap pages'))
  return fields
}

/**
 * The bitmap of a bitmap page, up to pd_lower: a set bit is an overflow page in use (or one not
 * allocated yet: _hash_initbitmapbuffer sets every bit), a clear bit an overflow page given back.
 */
function bitmap(r: PageFields): DecodedField[] {
  const end = Math.min(r.u16(12)!, r.page.length - HASH_OPAQUE_SIZE)
  if (end <= SIZE_OF_PAGE_HEADER) return []
  let set = 0
  for (let off = SIZE_OF_PAGE_HEADER; off < end; off++) for (let byte = r.page[off]!; byte !== 0; byte &= byte - 1) set++
  const clear = (end - SIZE_OF_PAGE_HEADER) * 8 - set
  return [r.field('bitmap', SIZE_OF_PAGE_HEADER, end - SIZE_OF_PAGE_HEADER, clear, 'overflow', `${clear} overflow pages free (a clear bit); a set bit is in use, or not allocated yet`)]
}

function hashTuple(r: PageFields, p: LinePointer): DecodedField[] {
  const {fields, start, end} = indexTupleHead(r, p)
  if (start < end) fields.push(keyField(r, p.lp_off, start, end, end - start >= 4 ? `hash code ${r.u32(p.lp_off + start)!}` : undefined))
  return fields
}

function decode(r: PageFields, kindName: string, pointers: LinePointer[]): {fields: DecodedField[]; items: DecodedItem[]} {
  const fields = kindName === KINDS.hashMeta ? metapage(r) : kindName === KINDS.hashBitmap ? bitmap(r) : []
  const items = kindName === KINDS.hashBucket || kindName === KINDS.hashOverflow ? decodeIndexTuples(r, pointers, hashTuple) : []
  return {fields: [...fields, ...special(r)], items}
}

export const hashPages: IndexPages = {is, kind, decode}
