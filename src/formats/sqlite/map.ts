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
 * can read the file in large blocks (sqliteMapper: the caller hands the blocks over as it reads
 * them, and no page is read twice); the walk then runs over those summaries into typed columns
 * (Lines), keeping page numbers on its stack and building a sentence only for a problem, and the
 * map's entries are made once, at the end.
 *
 * Policy: a page claimed twice keeps its first owner and the second claim is a problem (that is
 * how a loop in a tree, a freelist or a chain shows up); a pointer past the end is a problem; the
 * walk touches each page at most once as a b-tree page, so it ends on any bytes at all.
 *
 * `free` is dbstat's `unused`: on a b-tree page, the bytes between the cell pointer array and the
 * cell content area plus the fragmented bytes plus the freeblocks; on the last overflow page of a
 * chain, U-4 minus the bytes it holds (0 on the others). `payload` is dbstat's `payload`.
 */

import {columnMap, NO_COUNT, NO_OWNER} from '../page-columns.js'
import type {FormatInfo, PageColumns, PageMap, PageMapper, PageProblem} from '../types.js'
import {u32} from './bytes.js'
import {BTREE_KIND, parseBtreePage} from './btree.js'
import {factsOf, PENDING_BYTE} from './header.js'
import {summarise, Summariser, type Summaries} from './summary.js'
import {readPage, schemaOf, type SqliteFile} from './walk.js'

/** lockBytePage -- SQLite's page number of the lock-byte page. */
export function lockBytePage(pagesize: number): number {
  return Math.floor(PENDING_BYTE / pagesize) + 1
}

/** ptrmapPageOf -- SQLite's ptrmapPageno: the pointer-map page that holds page `page`'s entry (page >= 2); the lock-byte page's place goes to the next. */
export function ptrmapPageOf(page: number, usable: number, pagesize: number): number {
  const perMap = Math.floor(usable / 5) + 1
  const map = Math.floor((page - 2) / perMap) * perMap + 2
  return map === lockBytePage(pagesize) ? map + 1 : map
}

/** isPtrmapPage -- whether SQLite page `page` is a pointer-map page (auto_vacuum databases only). */
export function isPtrmapPage(page: number, usable: number, pagesize: number): boolean {
  return page >= 2 && ptrmapPageOf(page, usable, pagesize) === page
}

/**
 * sqliteMapper -- the page map of a file whose pages come block by block, in order (map --file):
 * each block is summarised as it arrives; finish walks the structures, reading again through
 * `read` only the few pages the summaries do not cover (the schema's rows, the freelist's
 * trunks, a page that did not add up).
 */
export function sqliteMapper(npages: number, info: FormatInfo): PageMapper {
  const facts = factsOf(info)
  const summariser = new Summariser(npages, facts.usable)
  return {
    add: (bytes, firstPgno, count) => summariser.addPages(bytes, firstPgno + 1, count, facts.pagesize),
    finish: (read) => mapSqlite({read, npages, facts}, summariser.done()),
  }
}

/** mapSqlite -- the page map of a SQLite file; `summaries` when its pages were summarised already (sqliteMapper). */
export function mapSqlite(file: SqliteFile, summaries?: Summaries): PageMap {
  const {facts, npages} = file
  const problems: PageProblem[] = []
  const lines = new Lines(npages)
  const claims = new Claims(lines, facts.pagesize, problems)

  const lockByte = lockBytePage(facts.pagesize)
  if (lockByte <= npages) claims.claim(lockByte, KIND.lockByte, NO_OWNER, 'the lock-byte rule')
  if (facts.autoVacuum) {
    for (let page = 2; page <= npages; page++) {
      if (isPtrmapPage(page, facts.usable, facts.pagesize) && claims.claim(page, KIND.ptrmap, NO_OWNER, 'the pointer-map rule')) {
        const cells = Math.min(Math.floor(facts.usable / 5), npages - page)
        lines.set(page, cells, facts.usable - 5 * cells, null)
      }
    }
  }
  const S = summaries ?? summarise(file.read, npages, facts.usable)
  mapFreelist(file, lines, claims, problems)
  const walker = new TreeWalker(file, S, lines, claims, problems)
  walker.tree(1, 'sqlite_schema')
  let schema: ReturnType<typeof schemaOf> = []
  try {
    schema = schemaOf(file)
  } catch (err) {
    problems.push({offset: 0, message: `the schema table could not be read: ${(err as Error).message}`})
  }
  for (const row of schema) if (row.rootpage > 0) walker.tree(row.rootpage, row.name)
  return columnMap('sqlite', facts.pagesize, lines, problems)
}

/** The kind names of the map, by the code the walk keeps per page (0: reached by nothing). */
const KIND_NAMES = ['unreached', 'unknown', 'lock-byte', 'ptrmap', 'freelist-trunk', 'freelist-leaf', 'overflow', ...Object.values(BTREE_KIND)] as const
const KIND = {unreached: 0, unknown: 1, lockByte: 2, ptrmap: 3, freelistTrunk: 4, freelistLeaf: 5, overflow: 6} as const

/** The kind code of each b-tree page type byte (0 for a byte that is no b-tree type). */
const KIND_OF_TYPE = new Uint8Array(256)
for (const [type, name] of Object.entries(BTREE_KIND)) KIND_OF_TYPE[Number(type)] = KIND_NAMES.indexOf(name)

/**
 * Lines -- the map's lines as columns (SQLite page p at index p), filled by the walk and kept as
 * the map itself (page-columns.ts): a kind code, an owner code, and cells, free and payload
 * (NO_COUNT: the format does not say). The counts are int32 so that the entries, where they are
 * made, hold small integers, which JSON.stringify writes on its fast path.
 */
class Lines implements PageColumns {
  readonly first = 1
  readonly kind: Uint8Array
  readonly kindNames = KIND_NAMES
  readonly owner: Int32Array
  readonly ownerNames: string[] = []
  readonly cells: Int32Array
  readonly free: Int32Array
  readonly payload: Int32Array
  private readonly ownerCodes = new Map<string, number>()

  constructor(readonly count: number) {
    this.kind = new Uint8Array(count + 1)
    this.owner = new Int32Array(count + 1).fill(NO_OWNER)
    this.cells = new Int32Array(count + 1).fill(NO_COUNT)
    this.free = new Int32Array(count + 1).fill(NO_COUNT)
    this.payload = new Int32Array(count + 1).fill(NO_COUNT)
  }

  /** ownerCode -- the code of owner `name`. */
  ownerCode(name: string): number {
    let code = this.ownerCodes.get(name)
    if (code === undefined) {
      code = this.ownerNames.push(name) - 1
      this.ownerCodes.set(name, code)
    }
    return code
  }

  /** set -- page's cells, free and payload (null: not known). */
  set(page: number, cells: number, free: number, payload: number | null): void {
    this.cells[page] = cells
    this.free[page] = free
    this.payload[page] = payload ?? NO_COUNT
  }

  /** describe -- "table-leaf of t", for a problem that names what a page already is. */
  describe(page: number): string {
    const owner = this.owner[page]!
    return `${KIND_NAMES[this.kind[page]!]}${owner === NO_OWNER ? '' : ` of ${this.ownerNames[owner]}`}`
  }
}

/**
 * Claims -- which structure reached each page first. A page claimed again, or a pointer past the
 * end, is a problem naming where the pointer came from; `from` is a sentence, or for a b-tree
 * child (claimChild) the parent page and cell, made into a sentence only for a problem.
 */
class Claims {
  constructor(
    private readonly lines: Lines,
    private readonly pagesize: number,
    private readonly problems: PageProblem[],
  ) {}

  /** claim -- page `page` for kind code `kind` of owner code `owner`, reached from `from`; false (and a problem) when it cannot be. */
  claim(page: number, kind: number, owner: number, from: string): boolean {
    return this.claimable(page) ? this.take(page, kind, owner) : this.refuse(page, from)
  }

  /** claimChild -- claim for a b-tree page (kind unknown until it is read) reached from cell `cell` of `parent` (RIGHT_MOST: its right-most pointer; ROOT: the root of the tree). */
  claimChild(page: number, owner: number, ownerName: string, parent: number, cell: number): boolean {
    return this.claimable(page) ? this.take(page, KIND.unknown, owner) : this.refuse(page, childFrom(parent, cell, ownerName))
  }

  private claimable(page: number): boolean {
    return page >= 1 && page <= this.lines.count && this.lines.kind[page] === KIND.unreached
  }

  private take(page: number, kind: number, owner: number): true {
    this.lines.kind[page] = kind
    this.lines.owner[page] = owner
    return true
  }

  private refuse(page: number, from: string): false {
    const npages = this.lines.count
    if (page < 1 || page > npages) {
      this.problems.push({offset: null, message: `${from} points to page ${page}, past the end of the file (${npages} pages)`})
    } else {
      this.problems.push({offset: (page - 1) * this.pagesize, message: `page ${page} is reached again from ${from}; it is already ${this.lines.describe(page)}`})
    }
    return false
  }
}

/** The cell number of a b-tree root (it has no parent) and of a page's right-most pointer. */
const ROOT = -1
const RIGHT_MOST = -2

/** childFrom -- where a b-tree child pointer came from, in words. */
function childFrom(parent: number, cell: number, owner: string): string {
  if (cell === ROOT) return `the root of ${owner}`
  return cell === RIGHT_MOST ? `the right-most pointer of page ${parent}` : `cell ${cell} of page ${parent}`
}

/** mapFreelist -- the trunk pages from the header's first one, and the leaves each lists. */
function mapFreelist(file: SqliteFile, lines: Lines, claims: Claims, problems: PageProblem[]): void {
  const {facts} = file
  const maxLeaves = Math.floor(facts.usable / 4) - 2
  let trunk = facts.freelistTrunk
  let count = 0
  let from = 'the header (first freelist trunk page)'
  while (trunk !== 0) {
    const buf = claims.claim(trunk, KIND.freelistTrunk, NO_OWNER, from) ? readPage(file, trunk) : null
    if (buf === null) return
    count++
    const listed = u32(buf, 4)!
    const leaves = Math.min(listed, maxLeaves)
    if (listed > maxLeaves) problems.push({offset: (trunk - 1) * facts.pagesize + 4, message: `freelist trunk page ${trunk} lists ${listed} leaves, more than fit (${maxLeaves})`})
    lines.set(trunk, leaves, facts.usable - 8 - 4 * leaves, null)
    for (let i = 0; i < leaves; i++) {
      const leaf = u32(buf, 8 + 4 * i)!
      if (claims.claim(leaf, KIND.freelistLeaf, NO_OWNER, `freelist trunk page ${trunk}`)) count++
    }
    from = `freelist trunk page ${trunk}`
    trunk = u32(buf, 0)!
  }
  if (count !== facts.freelistCount) problems.push({offset: 36, message: `the header counts ${facts.freelistCount} freelist pages; the freelist has ${count}`})
}

/**
 * TreeWalker -- claims every page of a b-tree for its owner, with its overflow chains, from the
 * summaries; a page that did not add up is parsed again in full for its problems. The stack
 * holds (page, parent, cell) as numbers; a page's children are pushed in cell order and then
 * turned around, so that the walk visits them in cell order, as SQLite's own traversal does.
 */
class TreeWalker {
  private readonly perPage: number
  /** the chain (numbered from 1) that claimed each overflow page, to tell a loop from a page shared by two chains */
  private readonly chainOf: Int32Array
  private chains = 0

  constructor(
    private readonly file: SqliteFile,
    private readonly S: Summaries,
    private readonly lines: Lines,
    private readonly claims: Claims,
    private readonly problems: PageProblem[],
  ) {
    this.perPage = file.facts.usable - 4
    this.chainOf = new Int32Array(file.npages + 1)
  }

  /** tree -- claim the b-tree rooted at `root` for `owner`. */
  tree(root: number, ownerName: string): void {
    const {S, lines, claims} = this
    const owner = lines.ownerCode(ownerName)
    const stack: number[] = [root, 0, ROOT]
    while (stack.length > 0) {
      const cell = stack.pop()!
      const parent = stack.pop()!
      const page = stack.pop()!
      if (!claims.claimChild(page, owner, ownerName, parent, cell)) continue
      const mark = stack.length
      if (S.clean[page] === 1 && S.type[page] !== 0) {
        lines.kind[page] = KIND_OF_TYPE[S.type[page]!]!
        lines.set(page, S.cells[page]!, S.unused[page]!, S.payload[page]!)
        const first = S.childStart[page]!
        const last = S.childStart[page + 1]! - 1
        for (let k = first; k <= last; k++) stack.push(S.childList[k]!, page, k === last ? RIGHT_MOST : k - first)
        for (let k = S.ovStart[page]!; k < S.ovStart[page + 1]!; k++) this.chain(owner, page, S.ovList[3 * k]!, S.ovList[3 * k + 1]!, S.ovList[3 * k + 2]!, S.ovLocal[k]!)
      } else {
        this.parsed(page, owner, stack)
      }
      reverseTriples(stack, mark)
    }
  }

  /** parsed -- a page that did not add up: parsed in full, its problems named, its children pushed. */
  private parsed(page: number, owner: number, stack: number[]): void {
    const {file} = this
    const buf = readPage(file, page)
    if (buf === null) return
    const base = (page - 1) * file.facts.pagesize
    const tree = parseBtreePage(buf, page - 1, file.facts.usable)
    for (const p of tree.problems) this.problems.push({offset: p.at === null ? null : base + p.at, message: `page ${page}: ${p.message}`})
    const kind = KIND_OF_TYPE[tree.type] ?? 0
    if (kind === 0) return
    this.lines.kind[page] = kind
    this.lines.set(page, tree.cellCount, tree.unused, tree.payload)
    for (const cell of tree.cells) {
      if (cell.leftChild !== null) stack.push(cell.leftChild, page, cell.index)
      if (cell.overflowPage !== 0) this.chain(owner, page, cell.index, cell.overflowPage, cell.payloadSize ?? 0, cell.local)
    }
    if (tree.rightChild !== null) stack.push(tree.rightChild, page, RIGHT_MOST)
  }

  /** chain -- claim the overflow chain of cell `cell` of `page` (payload P, `local` bytes of it on the page). */
  private chain(owner: number, page: number, cell: number, first: number, P: number, local: number): void {
    const {S, perPage, problems} = this
    const base = (page - 1) * this.file.facts.pagesize
    const rest = P - local
    const expected = Math.ceil(rest / perPage)
    const lastUsed = rest - (expected - 1) * perPage
    const id = ++this.chains
    const from = `the overflow chain of page ${page} cell ${cell}`
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
      if (this.chainOf[next] === id) {
        problems.push({offset: base, message: `page ${page} cell ${cell}: overflow chain loops back to page ${next}`})
        return
      }
      if (!this.claims.claim(next, KIND.overflow, owner, from)) return
      this.chainOf[next] = id
      const isLast = i === expected - 1
      this.lines.set(next, 0, isLast ? perPage - lastUsed : 0, isLast ? lastUsed : perPage)
      next = S.first4[next]!
    }
  }
}

/** reverseTriples -- put the triples pushed on `stack` since `mark` in the opposite order. */
function reverseTriples(stack: number[], mark: number): void {
  for (let i = mark, j = stack.length - 3; i < j; i += 3, j -= 3) {
    for (let k = 0; k < 3; k++) {
      const t = stack[i + k]!
      stack[i + k] = stack[j + k]!
      stack[j + k] = t
    }
  }
}
