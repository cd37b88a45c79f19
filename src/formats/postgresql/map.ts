/**
 * map -- one line per page of a PostgreSQL relation file: its kind, its line pointers and the
 * bytes free between pd_lower and pd_upper.
 *
 * Policy: the owner is left null, because the file does not name its relation (the catalog
 * does: pg_relation_filepath). A new page has no line pointers and all its bytes free.
 */
import type {FormatInfo, PageMap, PageMapEntry, PageReader} from '../types.js'
import {ITEM_ID_SIZE, KINDS, SIZE_OF_PAGE_HEADER} from './constants.js'
import {isNewPage, pageKind, pageReader} from './page.js'

/** mapEntry -- the map line of one page. */
export function mapEntry(page: Buffer, pgno: number, info: FormatInfo): PageMapEntry {
  if (isNewPage(page) || page.length < SIZE_OF_PAGE_HEADER) return {page: pgno, pgno, kind: KINDS.free, owner: null, cells: 0, free: page.length}
  const r = pageReader(page, pgno, info)
  const lower = Math.min(r.u16(12)!, page.length)
  const upper = Math.min(r.u16(14)!, page.length)
  const cells = Math.max(0, Math.floor((lower - SIZE_OF_PAGE_HEADER) / ITEM_ID_SIZE))
  return {page: pgno, pgno, kind: pageKind(r), owner: null, cells, free: Math.max(0, upper - lower)}
}

/** mapPostgres -- the page map of a relation file of `npages` pages. */
export function mapPostgres(read: PageReader, npages: number, info: FormatInfo): PageMap {
  const pages: PageMapEntry[] = []
  for (let pgno = 0; pgno < npages; pgno++) pages.push(mapEntry(read(pgno), pgno, info))
  return {format: 'postgresql', pagesize: info.pagesize, pages, problems: []}
}
