/**
 * owners -- which subdatabase each page of a Berkeley DB file belongs to, found by walking the
 * master database and then every subdatabase's own structure, as Berkeley DB itself reaches them.
 *
 *   page 0   master btree meta (BTM_SUBDB) --root--> leaves of {name, meta pgno} pairs
 *   btree / recno subdatabase   meta --root--> internal pages --pgno--> leaves
 *                               a leaf's B_OVERFLOW item --> overflow chain (next_pgno)
 *                               a leaf's B_DUPLICATE item --> an off-page duplicate tree
 *   hash subdatabase            meta --spares--> bucket pages, each with its chain (next_pgno);
 *                               H_OFFPAGE --> overflow chain, H_OFFDUP --> duplicate tree
 *
 * Policy, each in a sentence:
 *  - A file whose meta page lacks BTM_SUBDB holds one unnamed database: no page has an owner
 *    (null), since the database has no name and its type is already every page's kind.
 *  - The master database's own pages (page 0 and its tree of names) have no owner either: they
 *    belong to no subdatabase.
 *  - A subdatabase's meta page number is the master's data item, four bytes in network byte
 *    order whatever the file's order (Berkeley DB's DB_HTONL), and its name is the key.
 *  - Bucket b of a hash subdatabase lies at page b + spares[log2(b + 1)] (hash.h's BS_TO_PAGE,
 *    with __db_log2 the smallest i such that 2^i >= b + 1). Berkeley DB allocates a split point's
 *    pages together, so the buckets past max_bucket up to high_mask have pages already (empty,
 *    or all zeros if never written): they are the subdatabase's too. A page's kind stays what its
 *    bytes say, as db_dump -da shows it (a zero page in a file whose master is a btree is `invalid`).
 *  - Every page is claimed at most once and every link is checked against the file's end, so a
 *    damaged file can never make the walk loop: a link out of the file, or to a page another
 *    structure already claimed, is named as a problem and not followed.
 */
import type {DecodedItem, FormatInfo, PageProblem, PageReader} from '../types.js'
import {
  B_DUPLICATE,
  B_KEYDATA,
  B_OVERFLOW,
  BKEYDATA_SIZE,
  BTM_SUBDB,
  H_OFFDUP,
  H_OFFPAGE,
  P_BTREEMETA,
  P_HASH,
  P_HASH_UNSORTED,
  P_HASHMETA,
  P_IBTREE,
  P_IRECNO,
  P_LBTREE,
  P_LDUP,
  P_LRECNO,
  P_OVERFLOW,
} from './constants.js'
import {decodeItems, readIndex} from './items.js'
import {isZeroPage, overhead, pageReader} from './page.js'

/** NCACHED -- hash meta spare points. */
const NCACHED = 32

const TREE_TYPES = new Set([P_IBTREE, P_IRECNO, P_LBTREE, P_LRECNO, P_LDUP])

/** log2 -- __db_log2: the smallest i with 2^i >= n. */
function log2(n: number): number {
  let i = 0
  while (2 ** i < n) i++
  return i
}

/** One walk over the file: claims pages for an owner, reading each page at most once. */
class Walk {
  readonly owner = new Map<number, string>()
  /** the master database's pages: reached, but owned by no subdatabase */
  private readonly master = new Set<number>()

  constructor(
    private readonly read: PageReader,
    private readonly npages: number,
    private readonly info: FormatInfo,
    private readonly problems: PageProblem[],
  ) {}

  /** claim -- give page `pgno`, reached from `from`, to `name` (null: the master); false if it cannot be. */
  claim(pgno: number, name: string | null, from: number): boolean {
    if (pgno <= 0 || pgno >= this.npages) {
      this.problems.push({offset: from * this.info.pagesize, message: `page ${from} links to page ${pgno}, outside the file's pages 1..${this.npages - 1}`})
      return false
    }
    if (this.owner.has(pgno) || this.master.has(pgno)) {
      const other = this.owner.get(pgno)
      this.problems.push({offset: from * this.info.pagesize, message: `page ${from} links to page ${pgno}, already part of ${other === undefined ? 'the master database' : `subdatabase ${other}`}`})
      return false
    }
    if (name === null) this.master.add(pgno)
    else this.owner.set(pgno, name)
    return true
  }

  /** items -- the items of a tree or hash page (a copy of what a page reader decodes; problems are decode's to name). */
  private items(pgno: number): {type: number; next: number; items: DecodedItem[]} {
    const r = pageReader(this.read(pgno), pgno, this.info)
    const type = r.u8(25) ?? 0
    const next = r.u32(16) ?? 0
    if (!TREE_TYPES.has(type) && type !== P_HASH && type !== P_HASH_UNSORTED) return {type, next, items: []}
    const start = overhead(this.info)
    const index = readIndex(r, start, r.u16(20) ?? 0)
    return {type, next, items: decodeItems(r, type, start, index.offsets)}
  }

  /** chain -- an overflow (or hash bucket) chain from `first`, following next_pgno. */
  chain(first: number, name: string | null, from: number): void {
    let pgno = first
    let prev = from
    while (pgno !== 0 && this.claim(pgno, name, prev)) {
      prev = pgno
      pgno = pageReader(this.read(pgno), pgno, this.info).u32(16) ?? 0
    }
  }

  /** tree -- a btree, recno or duplicate tree from its root; every leaf's off-page items too. Returns its leaves' items. */
  tree(root: number, name: string | null, from: number): DecodedItem[] {
    const leafItems: DecodedItem[] = []
    const stack: Array<[number, number]> = [[root, from]]
    while (stack.length > 0) {
      const [pgno, parent] = stack.pop()!
      if (!this.claim(pgno, name, parent)) continue
      const {type, items} = this.items(pgno)
      if (!TREE_TYPES.has(type)) {
        if (!isZeroPage(this.read(pgno))) this.problems.push({offset: pgno * this.info.pagesize + 25, message: `page ${parent} leads to page ${pgno}, which is not a btree or recno page`})
        continue
      }
      if (type === P_IBTREE || type === P_IRECNO) {
        const children = items.map(pgnoOf).filter((child): child is number => child !== null)
        for (const child of children.reverse()) stack.push([child, pgno])
        continue
      }
      for (const item of items) {
        if (name === null) leafItems.push(item)
        const target = pgnoOf(item)
        if (target === null) continue
        if (itemType(item) === B_OVERFLOW) this.chain(target, name, pgno)
        else if (itemType(item) === B_DUPLICATE) stack.push([target, pgno])
      }
    }
    return leafItems
  }

  /** hash -- every bucket of a hash subdatabase whose meta page is `meta`, with chains and off-page items. */
  hash(meta: number, name: string): void {
    const r = pageReader(this.read(meta), meta, this.info)
    const maxBucket = r.u32(72) ?? 0
    const highMask = r.u32(76) ?? 0
    const spares: number[] = []
    for (let i = 0; i < NCACHED; i++) spares.push(r.u32(96 + i * 4) ?? 0)
    // a split point's pages are allocated together: buckets past max_bucket up to high_mask have (empty) pages too
    const buckets = Math.min(Math.max(maxBucket, highMask), this.npages)
    for (let bucket = 0; bucket <= buckets; bucket++) {
      const first = bucket + (spares[log2(bucket + 1)] ?? 0)
      if (bucket > maxBucket) {
        this.claim(first, name, meta)
        continue
      }
      let pgno = first
      let prev = meta
      while (pgno !== 0 && this.claim(pgno, name, prev)) {
        const {next, items} = this.items(pgno)
        for (const item of items) {
          const target = pgnoOf(item)
          if (target === null) continue
          if (itemType(item) === H_OFFPAGE) this.chain(target, name, pgno)
          else if (itemType(item) === H_OFFDUP) this.tree(target, name, pgno)
        }
        prev = pgno
        pgno = next
      }
    }
  }

  /** overflowBytes -- the bytes of an overflow chain (a long subdatabase name), at most `length`. */
  overflowBytes(first: number, length: number): Buffer {
    const parts: Buffer[] = []
    let got = 0
    let pgno = first
    const seen = new Set<number>()
    const start = overhead(this.info)
    while (pgno > 0 && pgno < this.npages && !seen.has(pgno) && got < length) {
      seen.add(pgno)
      const page = this.read(pgno)
      const r = pageReader(page, pgno, this.info)
      if (r.u8(25) !== P_OVERFLOW) break
      const len = Math.min(r.u16(22) ?? 0, page.length - start, length - got)
      parts.push(Buffer.from(page.subarray(start, start + len)))
      got += len
      pgno = r.u32(16) ?? 0
    }
    return Buffer.concat(parts)
  }
}

function fieldValue(item: DecodedItem, name: string): number | null {
  const value = item.fields.find((f) => f.name === name)?.value
  return typeof value === 'number' ? value : null
}

function pgnoOf(item: DecodedItem): number | null {
  return fieldValue(item, 'pgno')
}

/** itemType -- an item's type byte without B_DELETE. */
function itemType(item: DecodedItem): number {
  return (fieldValue(item, 'type') ?? 0) & 0x7f
}

/** itemBytes -- the bytes a master leaf item holds (an overflow item's chain), or null. */
function itemBytes(walk: Walk, read: PageReader, info: FormatInfo, item: DecodedItem): Buffer | null {
  const type = itemType(item)
  if (type === B_OVERFLOW) {
    const first = pgnoOf(item)
    const tlen = fieldValue(item, 'tlen')
    return first === null || tlen === null ? null : walk.overflowBytes(first, tlen)
  }
  const len = fieldValue(item, 'len')
  if (type !== B_KEYDATA || len === null) return null
  const pgno = Math.floor(item.offset / info.pagesize)
  const page = read(pgno)
  const off = item.offset - pgno * info.pagesize + BKEYDATA_SIZE
  return off + len <= page.length ? Buffer.from(page.subarray(off, off + len)) : null
}

/** subdatabaseOwners -- each page's subdatabase, by walking the master database (empty for a file of one unnamed database). */
export function subdatabaseOwners(read: PageReader, npages: number, info: FormatInfo, problems: PageProblem[]): Map<number, string> {
  const walk = new Walk(read, npages, info, problems)
  if (npages === 0) return walk.owner
  const meta = pageReader(read(0), 0, info)
  if (meta.u8(25) !== P_BTREEMETA || ((meta.u32(48) ?? 0) & BTM_SUBDB) === 0) return walk.owner
  const root = meta.u32(88) ?? 0
  const pairs = walk.tree(root, null, 0)
  const named: Array<{name: string; meta: number}> = []
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = itemBytes(walk, read, info, pairs[i]!)
    const data = itemBytes(walk, read, info, pairs[i + 1]!)
    if (key === null || data === null || data.length !== 4) {
      problems.push({offset: pairs[i]!.offset, message: 'a master database entry is not a subdatabase name and a 4-byte meta page number'})
      continue
    }
    named.push({name: key.toString('utf8'), meta: data.readUInt32BE(0)})
  }
  for (const {name, meta: pgno} of named) {
    if (!walk.claim(pgno, name, 0)) continue
    const page = pageReader(read(pgno), pgno, info)
    const type = page.u8(25)
    if (type === P_BTREEMETA) walk.tree(page.u32(88) ?? 0, name, pgno)
    else if (type === P_HASHMETA) walk.hash(pgno, name)
    else problems.push({offset: pgno * info.pagesize + 25, message: `subdatabase ${name}'s meta page ${pgno} is not a btree or hash meta page`})
  }
  return walk.owner
}
