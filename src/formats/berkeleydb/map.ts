/**
 * map -- one line per page of a Berkeley DB file: its kind (the page type), its entries and its
 * free bytes.
 *
 * Policy, each in a sentence:
 *  - The kind is the page's own type byte in words (constants.ts); a P_INVALID page reached from
 *    the meta page's free list is `free`.
 *  - The free list is walked from the meta page's `free` through next_pgno, at most once per page:
 *    a link out of the file or back to a page already seen is named as a problem and ends the walk,
 *    so a damaged list can never loop.
 *  - Free bytes are what db_page.h's layout leaves: between the index array and hf_offset on
 *    index pages, after OV_LEN bytes on an overflow page; meta pages have none to speak of.
 *  - The owner is the subdatabase whose structure holds the page, found by walking the master
 *    database and each subdatabase from its meta page (owners.ts); in a file of one unnamed
 *    database, and on the master's own pages, it is null.
 * */
import type {FormatInfo, PageLocation, PageMap, PageMapEntry, PageProblem, PageReader} from '../types.js'
import {FREE_KIND, P_OVERFLOW, P_QAMDATA, pageType} from './constants.js'
import {decodeQueueRecords} from './items.js'
import {subdatabaseOwners} from './owners.js'
import {isMetaType, isZeroPage, overhead, pageReader, zeroPageKind} from './page.js'

/** freePages -- the pages on the free list that starts at page 0's `free`. */
function freePages(read: PageReader, npages: number, info: FormatInfo, problems: PageProblem[]): Set<number> {
  const seen = new Set<number>()
  if (npages === 0) return seen
  const meta = pageReader(read(0), 0, info)
  let next = meta.u32(28) ?? 0
  let from = 0
  while (next !== 0) {
    if (next >= npages) {
      problems.push({offset: from * info.pagesize + (from === 0 ? 28 : 16), message: `the free list links to page ${next}, past the last page ${npages - 1}`})
      break
    }
    if (seen.has(next)) {
      problems.push({offset: from * info.pagesize + 16, message: `the free list loops back to page ${next}`})
      break
    }
    seen.add(next)
    from = next
    next = pageReader(read(next), next, info).u32(16) ?? 0
  }
  return seen
}

/** mapEntry -- the map line of one page. */
export function mapEntry(page: Buffer, pgno: number, info: FormatInfo, free: boolean, owner: string | null): PageMapEntry {
  const r = pageReader(page, pgno, info)
  const type = r.u8(25) ?? 0
  const entry: PageMapEntry = {page: pgno, pgno, kind: free ? FREE_KIND : pageType(type).kind, owner, cells: null, free: null}
  if (!free && isZeroPage(page)) {
    entry.kind = zeroPageKind(info)
    if (entry.kind !== pageType(0).kind) Object.assign(entry, {cells: 0, free: page.length - overhead(info)})
    return entry
  }
  if (type === 0 || isMetaType(type) || page.length < 26) return entry
  if (type === P_QAMDATA) {
    entry.cells = decodeQueueRecords(r, pgno, 28, Number(info.details.reLen ?? 0), Number(info.details.recPage ?? 0)).length
    return entry
  }
  const entries = r.u16(20)!
  const hfOffset = r.u16(22)!
  const start = overhead(info)
  if (type === P_OVERFLOW) {
    entry.free = Math.max(0, page.length - start - hfOffset)
    return entry
  }
  entry.cells = entries
  entry.free = Math.max(0, Math.min(hfOffset, page.length) - start - 2 * entries)
  return entry
}

/**
 * locateBerkeleyDb -- the map line of page `pgno`: its kind from its bytes, as decode gives it
 * (one page read); with `owner`, as map gives it, its subdatabase and the free list's `free`
 * too (the walks read the master database, every subdatabase and the free list).
 */
export function locateBerkeleyDb(read: PageReader, npages: number, info: FormatInfo, pgno: number, options: {owner?: boolean} = {}): PageLocation {
  if (options.owner !== true) return mapEntry(read(pgno), pgno, info, false, null)
  // the walks' problems are map's to report: a decode names what is wrong with its own page
  const problems: PageProblem[] = []
  const free = freePages(read, npages, info, problems)
  const owner = subdatabaseOwners(read, npages, info, problems)
  return mapEntry(read(pgno), pgno, info, free.has(pgno), owner.get(pgno) ?? null)
}

/** mapBerkeleyDb -- the page map of a Berkeley DB file of `npages` pages. */
export function mapBerkeleyDb(read: PageReader, npages: number, info: FormatInfo): PageMap {
  const problems: PageProblem[] = []
  const free = freePages(read, npages, info, problems)
  const owner = subdatabaseOwners(read, npages, info, problems)
  const pages: PageMapEntry[] = []
  for (let pgno = 0; pgno < npages; pgno++) pages.push(mapEntry(read(pgno), pgno, info, free.has(pgno), owner.get(pgno) ?? null))
  return {format: 'berkeleydb', pagesize: info.pagesize, pages, problems}
}
