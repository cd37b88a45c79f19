/**
 * map -- what every page of a SQLite database is for, found by walking its structures as
 * dbstat and showdb's pgidx do.
 *
 * The walk, in order:
 *   1. the lock-byte page (the page holding file offset 2^30, when the file is that large) and,
 *      under auto_vacuum, the pointer-map pages (page 2 and every (U/5)+1 pages after it, moved
 *      one on where that is the lock-byte page), from arithmetic alone;
 *   2. the freelist, from the header's first trunk page: each trunk and the leaves it lists;
 *   3. the b-tree of sqlite_schema rooted at page 1, then the b-tree of every row of it whose
 *      rootpage is not 0, each page owned by that table or index; the overflow chain of every
 *      cell is owned by the same name.
 * A page none of them reaches is `unreached`; a page a structure reaches whose bytes are not that
 * structure (a child pointer to a page of type 0) is `unknown`.
 *
 * Speed: every page is first summarised in one pass in page order (summary.ts), so the reader
 * can read the file in large blocks; the walk then runs over those summaries.
 *
 * Policy: a page claimed twice keeps its first owner and the second claim is a problem (that is
 * how a loop in a tree, a freelist or a chain shows up); a pointer past the end is a problem; the
 * walk touches each page at most once as a b-tree page, so it ends on any bytes at all.
 *
 * `free` is dbstat's `unused`: on a b-tree page, the bytes between the cell pointer array and the
 * cell content area plus the fragmented bytes plus the freeblocks; on the last overflow page of a
 * chain, U-4 minus the bytes it holds (0 on the others). `payload` is dbstat's `payload`.
 */

import type {PageMap, PageMapEntry, PageProblem} from '../types.js'
import {u32} from './bytes.js'
import {BTREE_KIND, parseBtreePage} from './btree.js'
import {PENDING_BYTE} from './header.js'
import {summarise, type Summaries} from './summary.js'
import {readPage, schemaOf, type SqliteFile} from './walk.js'

/** lockBytePage -- SQLite's page number of the lock-byte page. */
export function lockBytePage(pagesize: number): number {
  return Math.floor(PENDING_BYTE / pagesize) + 1
}

/** isPtrmapPage -- whether SQLite page `page` is a pointer-map page (auto_vacuum databases only). */
export function isPtrmapPage(page: number, usable: number, pagesize: number): boolean {
  if (page < 2) return false
  const perMap = Math.floor(usable / 5) + 1
  let map = Math.floor((page - 2) / perMap) * perMap + 2
  if (map === lockBytePage(pagesize)) map++
  return map === page
}

/** mapSqlite -- the page map of a SQLite file. */
export function mapSqlite(file: SqliteFile): PageMap {
  const {facts, npages} = file
  const problems: PageProblem[] = []
  const pages: PageMapEntry[] = []
  for (let pgno = 0; pgno < npages; pgno++) pages.push({page: pgno + 1, pgno, kind: 'unreached', owner: null, cells: null, free: null, payload: null})
  const claimed = new Uint8Array(npages + 1)
  const at = (page: number): number | null => (page >= 1 && page <= npages ? page * facts.pagesize - facts.pagesize : null)
  const claim = (page: number, kind: string, owner: string | null, from: string): PageMapEntry | null => {
    if (page < 1 || page > npages) {
      problems.push({offset: null, message: `${from} points to page ${page}, past the end of the file (${npages} pages)`})
      return null
    }
    if (claimed[page] === 1) {
      const first = pages[page - 1]!
      problems.push({offset: at(page), message: `page ${page} is reached again from ${from}; it is already ${first.kind}${first.owner === null ? '' : ` of ${first.owner}`}`})
      return null
    }
    claimed[page] = 1
    const entry = pages[page - 1]!
    entry.kind = kind
    entry.owner = owner
    return entry
  }

  const lockByte = lockBytePage(facts.pagesize)
  if (lockByte <= npages) claim(lockByte, 'lock-byte', null, 'the lock-byte rule')
  if (facts.autoVacuum) {
    for (let page = 2; page <= npages; page++) {
      if (isPtrmapPage(page, facts.usable, facts.pagesize)) {
        const entry = claim(page, 'ptrmap', null, 'the pointer-map rule')
        if (entry !== null) {
          entry.cells = Math.min(Math.floor(facts.usable / 5), npages - page)
          entry.free = facts.usable - 5 * entry.cells
        }
      }
    }
  }
  const S = summarise(file.read, npages, facts.usable)
  mapFreelist(file, claim, problems)
  const btree = (root: number, owner: string): void => mapTree(file, S, root, owner, claim, problems)
  btree(1, 'sqlite_schema')
  let schema: ReturnType<typeof schemaOf> = []
  try {
    schema = schemaOf(file)
  } catch (err) {
    problems.push({offset: 0, message: `the schema table could not be read: ${(err as Error).message}`})
  }
  for (const row of schema) if (row.rootpage > 0) btree(row.rootpage, row.name)
  return {format: 'sqlite', pagesize: facts.pagesize, pages, problems}
}

type Claim = (page: number, kind: string, owner: string | null, from: string) => PageMapEntry | null

/** mapFreelist -- the trunk pages from the header's first one, and the leaves each lists. */
function mapFreelist(file: SqliteFile, claim: Claim, problems: PageProblem[]): void {
  const {facts} = file
  const maxLeaves = Math.floor(facts.usable / 4) - 2
  let trunk = facts.freelistTrunk
  let count = 0
  let from = 'the header (first freelist trunk page)'
  while (trunk !== 0) {
    const entry = claim(trunk, 'freelist-trunk', null, from)
    const buf = entry === null ? null : readPage(file, trunk)
    if (entry === null || buf === null) return
    count++
    const listed = u32(buf, 4)!
    const leaves = Math.min(listed, maxLeaves)
    if (listed > maxLeaves) problems.push({offset: (trunk - 1) * facts.pagesize + 4, message: `freelist trunk page ${trunk} lists ${listed} leaves, more than fit (${maxLeaves})`})
    entry.cells = leaves
    entry.free = facts.usable - 8 - 4 * leaves
    for (let i = 0; i < leaves; i++) {
      const leaf = u32(buf, 8 + 4 * i)!
      if (claim(leaf, 'freelist-leaf', null, `freelist trunk page ${trunk}`) !== null) count++
    }
    from = `freelist trunk page ${trunk}`
    trunk = u32(buf, 0)!
  }
  if (count !== facts.freelistCount) problems.push({offset: 36, message: `the header counts ${facts.freelistCount} freelist pages; the freelist has ${count}`})
}

/**
 * mapTree -- claim every page of the b-tree at `root` for `owner`, with its overflow chains,
 * from the summaries; a page that did not add up is parsed again in full for its problems.
 */
function mapTree(file: SqliteFile, S: Summaries, root: number, owner: string, claim: Claim, problems: PageProblem[]): void {
  const {facts} = file
  const perPage = facts.usable - 4
  const stack: Array<{page: number; from: string}> = [{page: root, from: `the root of ${owner}`}]
  const chain = (page: number, cell: number, first: number, P: number, local: number): void => {
    const base = (page - 1) * facts.pagesize
    const rest = P - local
    const expected = Math.ceil(rest / perPage)
    const lastUsed = rest - (expected - 1) * perPage
    let next = first
    for (let i = 0; i < expected; i++) {
      if (next === 0) {
        problems.push({offset: base, message: `page ${page} cell ${cell}: overflow chain ends after ${i} of ${expected} pages`})
        return
      }
      if (next > S.npages) {
        problems.push({offset: base, message: `page ${page} cell ${cell}: overflow page ${next} is past the end of the file`})
        return
      }
      if (pagesClaimed(claimOf, next) && claimOf.get(next) === `${page}:${cell}`) {
        problems.push({offset: base, message: `page ${page} cell ${cell}: overflow chain loops back to page ${next}`})
        return
      }
      const e = claim(next, 'overflow', owner, `the overflow chain of page ${page} cell ${cell}`)
      if (e === null) return
      claimOf.set(next, `${page}:${cell}`)
      const last = i === expected - 1
      e.cells = 0
      e.payload = last ? lastUsed : perPage
      e.free = last ? perPage - lastUsed : 0
      next = S.first4[next]!
    }
  }
  const claimOf = new Map<number, string>()
  while (stack.length > 0) {
    const {page, from} = stack.pop()!
    const entry = claim(page, 'unknown', owner, from)
    if (entry === null) continue
    const base = (page - 1) * facts.pagesize
    const children: Array<{page: number; from: string}> = []
    if (S.clean[page] === 1 && S.type[page] !== 0) {
      entry.kind = BTREE_KIND[S.type[page]!]!
      entry.cells = S.cells[page]!
      entry.free = S.unused[page]!
      entry.payload = S.payload[page]!
      const kids = S.childList
      const end = S.childStart[page + 1]!
      const count = end - S.childStart[page]!
      for (let k = S.childStart[page]!; k < end; k++) {
        const i = k - S.childStart[page]!
        children.push({page: kids[k]!, from: i === count - 1 ? `the right-most pointer of page ${page}` : `cell ${i} of page ${page}`})
      }
      for (let k = S.ovStart[page]!; k < S.ovStart[page + 1]!; k++) chain(page, S.ovList[3 * k]!, S.ovList[3 * k + 1]!, S.ovList[3 * k + 2]!, S.ovLocal[k]!)
    } else {
      const buf = readPage(file, page)
      if (buf === null) continue
      const tree = parseBtreePage(buf, page - 1, facts.usable)
      for (const p of tree.problems) problems.push({offset: p.at === null ? null : base + p.at, message: `page ${page}: ${p.message}`})
      const kind = BTREE_KIND[tree.type]
      if (kind === undefined) continue
      entry.kind = kind
      entry.cells = tree.cellCount
      entry.free = tree.unused
      entry.payload = tree.payload
      for (const cell of tree.cells) {
        if (cell.leftChild !== null) children.push({page: cell.leftChild, from: `cell ${cell.index} of page ${page}`})
        if (cell.overflowPage !== 0) chain(page, cell.index, cell.overflowPage, cell.payloadSize ?? 0, cell.local)
      }
      if (tree.rightChild !== null) children.push({page: tree.rightChild, from: `the right-most pointer of page ${page}`})
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
  }
}

function pagesClaimed(claimOf: Map<number, string>, page: number): boolean {
  return claimOf.has(page)
}
