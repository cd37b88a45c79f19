/**
 * page -- one PostgreSQL page decoded, and its kind.
 *
 * Policy, each in a sentence:
 *  - The kind comes from the page alone, since a relation file does not say what relation it
 *    is, except in the free space map and visibility map forks, whose file names say so
 *    (RELFILENODE_fsm, _vm: every page is `fsm` or `vm`, fsm.ts and vm.ts). Otherwise an all-zero
 *    page is new (`free`), no special space is a heap page, and an index page's
 *    access method is known by its special space (its size and the page id or type in its last
 *    bytes: btree.ts, hash.ts, gist.ts, spgist.ts, gin.ts, brin.ts), which then names the kind; a
 *    special space of no access method mpool knows is `index`, decoded as header only.
 *  - Line pointers are read only on pages that keep them: a metapage, a hash bitmap, a GIN data
 *    page or a BRIN revmap page holds its own array or struct after the header instead.
 *  - The header is checked as detection checks page 0 (pd_lower <= pd_upper <= pd_special <=
 *    page size); a header that fails is named, and the line pointers are still read as far as
 *    they fit.
 *  - The block number (the checksum's, and the page number shown) is the relation's: mpool's pgno
 *    plus the blocks of the segments before this file (info.firstPage, from the file's name
 *    RELFILENODE.N, detect.ts).
 */
import {PageFields, allZero} from '../page-fields.js'
import type {DecodedPage, FormatInfo} from '../types.js'
import {btreePages} from './btree.js'
import {brinPages} from './brin.js'
import {KINDS, KINDS_WITHOUT_ITEMS, SIZE_OF_PAGE_HEADER} from './constants.js'
import {plausibleHeader} from './detect.js'
import {decodeFsmPage} from './fsm.js'
import {gistPages} from './gist.js'
import {ginPages} from './gin.js'
import {hashPages} from './hash.js'
import {decodePageHeader, readLinePointers} from './header.js'
import {decodeHeapItems} from './heap.js'
import type {IndexPages} from './index-pages.js'
import {spgistPages} from './spgist.js'
import {decodeVmPage} from './vm.js'

/** pageReader -- a bounded reader of `page` in the file's byte order. */
export function pageReader(page: Buffer, pgno: number, info: FormatInfo): PageFields {
  return new PageFields(page, pgno, info.details.byteOrder !== 'big')
}

/** isNewPage -- PageIsNew for a page of all zeros: allocated by extending the file, never initialised. */
export const isNewPage = allZero

/** The index access methods, each known by its special space. */
const INDEX_PAGES: readonly IndexPages[] = [btreePages, hashPages, gistPages, spgistPages, ginPages, brinPages]

/** indexPagesOf -- the access method whose special space the page has, or undefined. */
function indexPagesOf(r: PageFields): IndexPages | undefined {
  return INDEX_PAGES.find((am) => am.is(r))
}

/** The forks whose every page is the fork's own, decoded by block number: the kind and the decoder of its contents. */
const FORK_PAGES: Readonly<Record<string, {kind: string; decode: typeof decodeFsmPage}>> = {
  fsm: {kind: KINDS.fsm, decode: decodeFsmPage},
  vm: {kind: KINDS.vm, decode: decodeVmPage},
}

/** forkPages -- the FSM or VM decoder when the file is that fork, else undefined. */
function forkPages(info: FormatInfo): {kind: string; decode: typeof decodeFsmPage} | undefined {
  return typeof info.details.fork === 'string' ? FORK_PAGES[info.details.fork] : undefined
}

/** pageKind -- the documented kind of a (non-new) page of the file `info` describes. */
export function pageKind(r: PageFields, info: FormatInfo): string {
  const fork = forkPages(info)
  if (fork !== undefined) return fork.kind
  if (r.u16(16)! === r.page.length) return KINDS.heap
  return indexPagesOf(r)?.kind(r) ?? KINDS.otherIndex
}

/** What a checksum mismatch adds when the file's name does not say which segment it is. */
const UNNAMED_SEGMENT_HINT = " (or, if the file is a later 1 GiB segment of its relation, its name is not PostgreSQL's RELFILENODE.N, which numbers its blocks: name it so)"

/** blockNumber -- the relation's block number of mpool's pgno in this segment file. */
export function blockNumber(pgno: number, info: FormatInfo): number {
  return pgno + info.firstPage
}

/** decodePostgresPage -- the DecodedPage of `page` (mpool pgno `pgno`, the block number). */
export function decodePostgresPage(page: Buffer, pgno: number, info: FormatInfo): DecodedPage {
  const r = pageReader(page, pgno, info)
  const blkno = blockNumber(pgno, info)
  // a relation file names no owner (map.ts): the relation is the file's, and only the catalog knows its name
  const decoded: DecodedPage = {format: 'postgresql', page: blkno, pgno, kind: KINDS.free, owner: null, fields: [], items: [], problems: r.problems}
  if (page.length < SIZE_OF_PAGE_HEADER) {
    r.problem(0, `the page is ${page.length} bytes, shorter than the ${SIZE_OF_PAGE_HEADER}-byte page header`)
    return decoded
  }
  if (isNewPage(page)) return decoded
  decoded.fields = decodePageHeader(r, blkno, info.details.checksums === true, info.details.segmentNamed === false ? UNNAMED_SEGMENT_HINT : '')
  if (!plausibleHeader(page, r.littleEndian, page.length)) {
    r.problem(12, `the header's pd_lower ${r.u16(12)}, pd_upper ${r.u16(14)} and pd_special ${r.u16(16)} are not in order within the page, or pd_flags has unknown bits`)
  }
  const version = r.u16(18)!
  if ((version & 0xff00) !== page.length) r.problem(18, `pd_pagesize_version says page size ${version & 0xff00}, but the page is ${page.length} bytes`)
  decoded.kind = pageKind(r, info)
  const fork = forkPages(info)
  if (fork !== undefined) {
    const {fields, items} = fork.decode(r, blkno)
    decoded.fields.push(...fields)
    decoded.items = items
    return decoded
  }
  if (decoded.kind === KINDS.heap) {
    decoded.items = decodeHeapItems(r, readLinePointers(r))
    return decoded
  }
  const am = indexPagesOf(r)
  if (am === undefined) return decoded
  const {fields, items} = am.decode(r, decoded.kind, KINDS_WITHOUT_ITEMS.has(decoded.kind) ? [] : readLinePointers(r))
  decoded.fields.push(...fields)
  decoded.items = items
  return decoded
}
