/**
 * page -- one PostgreSQL page decoded, and its kind.
 *
 * Policy, each in a sentence:
 *  - The kind comes from the page alone, since a relation file does not say what relation it
 *    is: an all-zero page is new (`free`), no special space is a heap page, a btree special
 *    space is a btree page (meta, leaf or internal by btpo_flags; a deleted or half-dead one is
 *    `free`), any other special space is another index access method's (`index`).
 *  - The header is checked as detection checks page 0 (pd_lower <= pd_upper <= pd_special <=
 *    page size); a header that fails is named, and the line pointers are still read as far as
 *    they fit.
 *  - The block number the checksum is verified with is mpool's pgno: that of a relation's first
 *    1 GiB segment file; a later segment's pages are checked as if they were its first pages.
 */
import {PageFields, allZero} from '../page-fields.js'
import type {DecodedPage, FormatInfo} from '../types.js'
import {btreeFlags, decodeIndexItems, decodeMetapage, decodeSpecial} from './btree.js'
import {BTP_DELETED, BTP_HALF_DEAD, BTP_LEAF, BTP_META, KINDS, SIZE_OF_PAGE_HEADER} from './constants.js'
import {plausibleHeader} from './detect.js'
import {decodePageHeader, readLinePointers} from './header.js'
import {decodeHeapItems} from './heap.js'

/** pageReader -- a bounded reader of `page` in the file's byte order. */
export function pageReader(page: Buffer, pgno: number, info: FormatInfo): PageFields {
  return new PageFields(page, pgno, info.details.byteOrder !== 'big')
}

/** isNewPage -- PageIsNew for a page of all zeros: allocated by extending the file, never initialised. */
export const isNewPage = allZero

/** pageKind -- the documented kind of a (non-new) page. */
export function pageKind(r: PageFields): string {
  const special = r.u16(16)!
  if (special === r.page.length) return KINDS.heap
  const flags = btreeFlags(r)
  if (flags === null) return KINDS.otherIndex
  if ((flags & BTP_META) !== 0) return KINDS.btreeMeta
  if ((flags & (BTP_DELETED | BTP_HALF_DEAD)) !== 0) return KINDS.free
  return (flags & BTP_LEAF) !== 0 ? KINDS.btreeLeaf : KINDS.btreeInternal
}

/** decodePostgresPage -- the DecodedPage of `page` (mpool pgno `pgno`, the block number). */
export function decodePostgresPage(page: Buffer, pgno: number, info: FormatInfo): DecodedPage {
  const r = pageReader(page, pgno, info)
  const decoded: DecodedPage = {format: 'postgresql', page: pgno, pgno, kind: KINDS.free, fields: [], items: [], problems: r.problems}
  if (page.length < SIZE_OF_PAGE_HEADER) {
    r.problem(0, `the page is ${page.length} bytes, shorter than the ${SIZE_OF_PAGE_HEADER}-byte page header`)
    return decoded
  }
  if (isNewPage(page)) return decoded
  decoded.fields = decodePageHeader(r, pgno, info.details.checksums === true)
  if (!plausibleHeader(page, r.littleEndian, page.length)) {
    r.problem(12, `the header's pd_lower ${r.u16(12)}, pd_upper ${r.u16(14)} and pd_special ${r.u16(16)} are not in order within the page, or pd_flags has unknown bits`)
  }
  const version = r.u16(18)!
  if ((version & 0xff00) !== page.length) r.problem(18, `pd_pagesize_version says page size ${version & 0xff00}, but the page is ${page.length} bytes`)
  decoded.kind = pageKind(r)
  const pointers = readLinePointers(r)
  if (decoded.kind === KINDS.heap) decoded.items = decodeHeapItems(r, pointers)
  else if (decoded.kind !== KINDS.otherIndex) {
    if (decoded.kind === KINDS.btreeMeta) decoded.fields.push(...decodeMetapage(r))
    else decoded.items = decodeIndexItems(r, pointers)
    decoded.fields.push(...decodeSpecial(r))
  }
  return decoded
}
