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
 * map's entries are made once, at the end. The pass and the b-tree walk are WebAssembly
 * (map.as.ts, through summary.ts): this module keeps the rest of the walk (the lock-byte page,
 * the pointer map, the freelist), every sentence, and the full parse of a page that did not add
 * up, which the walk calls back for.
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
import {READER_SLOTS, summarise, Summariser, type Summaries, type SummaryLines, type WalkHooks} from './summary.js'
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
    blocks: {count: READER_SLOTS, blockFor: (bytes, slot) => summariser.blockFor(bytes, slot)},
    finish: (read) => mapSqlite({read, npages, facts}, summariser.done()),
  }
}

/** mapSqlite -- the page map of a SQLite file; `summaries` when its pages were summarised already (sqliteMapper). */
export function mapSqlite(file: SqliteFile, summaries?: Summaries): PageMap {
  const {facts, npages} = file
  const problems: PageProblem[] = []
  const S = summaries ?? summarise(file.read, npages, facts.usable)
  const lines = new Lines(npages, S.lines)
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
 * (NO_COUNT: the format does not say). The columns are the summaries' (summary.ts), in the
 * WebAssembly module's memory, where the walk writes them; the claims made here (the lock-byte
 * page, the pointer map, the freelist) write the same arrays.
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

  constructor(
    readonly count: number,
    columns: SummaryLines,
  ) {
    this.kind = columns.kind
    this.owner = columns.owner
    this.cells = columns.cells
    this.free = columns.free
    this.payload = columns.payload
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
 * end, is a problem naming where the pointer came from. The b-tree walk (map.as.ts) makes its
 * claims itself, by the same rule, and has refuse say why one failed.
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

  private claimable(page: number): boolean {
    return page >= 1 && page <= this.lines.count && this.lines.kind[page] === KIND.unreached
  }

  private take(page: number, kind: number, owner: number): true {
    this.lines.kind[page] = kind
    this.lines.owner[page] = owner
    return true
  }

  /** refuse -- the problem of a claim of `page`, reached from `from`, that cannot be: past the end of the file, or claimed already. */
  refuse(page: number, from: string): false {
    const npages = this.lines.count
    if (page < 1 || page > npages) {
      this.problems.push({offset: null, message: `${from} points to page ${page}, past the end of the file (${npages} pages)`})
    } else {
      this.problems.push({offset: (page - 1) * this.pagesize, message: `page ${page} is reached again from ${from}; it is already ${this.lines.describe(page)}`})
    }
    return false
  }
}

/** The cell number of a b-tree root (it has no parent) and of a page's right-most pointer (map.as.ts ROOT, RIGHT_MOST). */
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
 * TreeWalker -- claims every page of a b-tree for its owner, with its overflow chains: the walk
 * itself is the summaries' (map.as.ts, over the summaries in the module's memory); this side
 * says what went wrong in words, and parses in full a page that did not add up, giving its
 * children and chains back to the walk.
 */
class TreeWalker implements WalkHooks {
  private ownerName = ''

  constructor(
    private readonly file: SqliteFile,
    private readonly S: Summaries,
    private readonly lines: Lines,
    private readonly claims: Claims,
    private readonly problems: PageProblem[],
  ) {
    S.kinds(KIND_OF_TYPE, KIND.unknown, KIND.overflow)
  }

  /** tree -- claim the b-tree rooted at `root` for `owner`. */
  tree(root: number, ownerName: string): void {
    this.ownerName = ownerName
    this.S.walk(root, this.lines.ownerCode(ownerName), this)
  }

  // page numbers come from the module as int32s: >>> 0 gives back the uint32 a pointer holds
  refused(page: number, parent: number, cell: number): void {
    this.claims.refuse(page >>> 0, childFrom(parent, cell, this.ownerName))
  }

  chainRefused(next: number, page: number, cell: number): void {
    this.claims.refuse(next >>> 0, chainFrom(page, cell))
  }

  chainBroken(why: number, page: number, cell: number, a: number, b: number): void {
    const at = `page ${page} cell ${cell}`
    const message = why === 0 ? `${at}: overflow chain ends after ${a} of ${b} pages` : why === 1 ? `${at}: overflow page ${a} is past the end of the file` : `${at}: overflow chain loops back to page ${a}`
    this.problems.push({offset: (page - 1) * this.file.facts.pagesize, message})
  }

  /** parsed -- a page that did not add up: parsed in full, its problems named, its children pushed and its chains claimed. */
  parsed(page: number, owner: number): void {
    const {file, S} = this
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
      if (cell.leftChild !== null) S.push(cell.leftChild, page, cell.index)
      if (cell.overflowPage !== 0) S.chain(owner, page, cell.index, cell.overflowPage, cell.payloadSize ?? 0, cell.local)
    }
    if (tree.rightChild !== null) S.push(tree.rightChild, page, RIGHT_MOST)
  }
}

/** chainFrom -- where an overflow page's pointer came from, in words. */
function chainFrom(page: number, cell: number): string {
  return `the overflow chain of page ${page} cell ${cell}`
}
