/**
 * map -- one line per page of a PostgreSQL relation file: its kind, its line pointers and the
 * bytes free between pd_lower and pd_upper.
 *
 * Policy, each in a sentence:
 *  - The owner is null: every page of a relation file belongs to that one relation, and the file
 *    does not say which (its name is a relfilenode, which only the catalog maps to a relation:
 *    pg_relation_filepath), so there is no honest name to give.
 *  - `cells` counts line pointers, on the pages that keep them; a metapage, a hash bitmap page, a
 *    GIN data page or a BRIN revmap page keeps none (null). A new page has none and all its bytes free.
 *  - A free space map or visibility map page (the _fsm and _vm forks) keeps no line pointers and
 *    is full by design: `cells` and `free` are null.
 *  - `page` is the relation's block number (mpool's pgno plus the earlier segments' blocks).
 */
import type {FormatInfo, PageMap, PageMapEntry, PageReader} from '../types.js'
import {ITEM_ID_SIZE, KINDS, KINDS_WITHOUT_ITEMS, SIZE_OF_PAGE_HEADER} from './constants.js'
import {blockNumber, isNewPage, pageKind, pageReader} from './page.js'

/** mapEntry -- the map line of one page. */
export function mapEntry(page: Buffer, pgno: number, info: FormatInfo): PageMapEntry {
  const block = blockNumber(pgno, info)
  if (isNewPage(page) || page.length < SIZE_OF_PAGE_HEADER) return {page: block, pgno, kind: KINDS.free, owner: null, cells: 0, free: page.length}
  const r = pageReader(page, pgno, info)
  const lower = Math.min(r.u16(12)!, page.length)
  const upper = Math.min(r.u16(14)!, page.length)
  const kind = pageKind(r, info)
  const cells = KINDS_WITHOUT_ITEMS.has(kind) ? null : Math.max(0, Math.floor((lower - SIZE_OF_PAGE_HEADER) / ITEM_ID_SIZE))
  // an FSM or VM page's contents fill it from the header to the end: the header's free space is no free space
  const free = kind === KINDS.fsm || kind === KINDS.vm ? null : Math.max(0, upper - lower)
  return {page: block, pgno, kind, owner: null, cells, free}
}

/** mapPostgres -- the page map of a relation file of `npages` pages. */
export function mapPostgres(read: PageReader, npages: number, info: FormatInfo): PageMap {
  const pages: PageMapEntry[] = []
  for (let pgno = 0; pgno < npages; pgno++) pages.push(mapEntry(read(pgno), pgno, info))
  return {format: 'postgresql', pagesize: info.pagesize, pages, problems: []}
}
