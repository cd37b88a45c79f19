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

  /**
   * items -- the items of a tree or hash page (a copy of what a page reader decodes; problems are
   * decode's to name), and the page itself, good until the next read.
   */
  private items(pgno: number): {type: number; next: number; items: DecodedItem[]; page: Buffer} {
    const page = this.read(pgno)
    const r = pageReader(page, pgno, this.info)
    const type = r.u8(25) ?? 0
    const next = r.u32(16) ?? 0
    if (!TREE_TYPES.has(type) && type !== P_HASH && type !== P_HASH_UNSORTED) return {type, next, items: [], page}
    const start = overhead(this.info)
    const index = readIndex(r, start, r.u16(20) ?? 0)
    return {type, next, items: decodeItems(r, type, start, index.offsets), page}
  }

  /**
   * chain -- an overflow (or hash bucket) chain from `first`, following next_pgno; with `bytes`,
   * the data of its overflow pages (OV_LEN each, up to the first page that is not one) is
   * gathered into it as each page is read, so no page of the chain is read twice.
   */
  chain(first: number, name: string | null, from: number, bytes?: Buffer[]): void {
    let pgno = first
    let prev = from
    let gathering = bytes !== undefined
    const start = overhead(this.info)
    while (pgno !== 0 && this.claim(pgno, name, prev)) {
      prev = pgno
      const page = this.read(pgno)
      const r = pageReader(page, pgno, this.info)
      if (gathering && r.u8(25) !== P_OVERFLOW) gathering = false
      if (gathering) bytes!.push(Buffer.from(page.subarray(start, start + Math.min(r.u16(22) ?? 0, page.length - start))))
      pgno = r.u32(16) ?? 0
    }
  }

  /**
   * tree -- a btree, recno or duplicate tree from its root; every leaf's off-page items too.
   * Returns its leaves' items, each with the bytes it holds (read while its page is at hand:
   * an inline item's from its leaf, an overflow item's from its chain as the walk claims it).
   */
  tree(root: number, name: string | null, from: number): LeafItem[] {
    const leafItems: LeafItem[] = []
    const stack: Array<[number, number]> = [[root, from]]
    while (stack.length > 0) {
      const [pgno, parent] = stack.pop()!
      if (!this.claim(pgno, name, parent)) continue
      const {type, items, page} = this.items(pgno)
      if (!TREE_TYPES.has(type)) {
        if (!isZeroPage(page)) this.problems.push({offset: pgno * this.info.pagesize + 25, message: `page ${parent} leads to page ${pgno}, which is not a btree or recno page`})
        continue
      }
      if (type === P_IBTREE || type === P_IRECNO) {
        const children = items.map(pgnoOf).filter((child): child is number => child !== null)
        for (const child of children.reverse()) stack.push([child, pgno])
        continue
      }
      // The master's inline bytes first: following a link reads another page, and `page` is good only until then.
      const leaf = items.map((item) => ({item, bytes: name === null ? inlineBytes(item, page, pgno, this.info) : null}))
      for (const entry of leaf) {
        const {item} = entry
        const target = pgnoOf(item)
        if (target !== null && itemType(item) === B_OVERFLOW) {
          const parts: Buffer[] | undefined = name === null ? [] : undefined
          this.chain(target, name, pgno, parts)
          const tlen = fieldValue(item, 'tlen')
          if (parts !== undefined && tlen !== null) entry.bytes = Buffer.concat(parts).subarray(0, tlen)
        } else if (target !== null && itemType(item) === B_DUPLICATE) stack.push([target, pgno])
      }
      if (name === null) leafItems.push(...leaf)
    }
    return leafItems
  }

  /** hash -- every bucket of a hash subdatabase whose meta page `meta` (read just now as `r`) starts, with chains and off-page items. */
  hash(meta: number, name: string, r: ReturnType<typeof pageReader>): void {
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

/** A leaf's item and the bytes it holds (an inline item's, or a master leaf overflow item's chain), or null. */
interface LeafItem {
  item: DecodedItem
  bytes: Buffer | null
}

/** inlineBytes -- a copy of what a B_KEYDATA item on `page` (page `pgno`) holds, or null for any other item. */
function inlineBytes(item: DecodedItem, page: Buffer, pgno: number, info: FormatInfo): Buffer | null {
  const len = fieldValue(item, 'len')
  if (itemType(item) !== B_KEYDATA || len === null) return null
  const off = item.offset - pgno * info.pagesize + BKEYDATA_SIZE
  return off >= 0 && off + len <= page.length ? Buffer.from(page.subarray(off, off + len)) : null
}

/** subdatabaseOwners -- each page's subdatabase, by walking the master database (empty for a file of one unnamed database). */
export function subdatabaseOwners(read: PageReader, npages: number, info: FormatInfo, problems: PageProblem[]): Map<number, string> {
  const walk = new Walk(read, npages, info, problems)
  if (npages === 0) return walk.owner
  // Every page is read once: page 0, the master's tree (its names' bytes taken as each leaf is read), each subdatabase.
  const meta = pageReader(read(0), 0, info)
  if (meta.u8(25) !== P_BTREEMETA || ((meta.u32(48) ?? 0) & BTM_SUBDB) === 0) return walk.owner
  const root = meta.u32(88) ?? 0
  const pairs = walk.tree(root, null, 0)
  const named: Array<{name: string; meta: number}> = []
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const key = pairs[i]!.bytes
    const data = pairs[i + 1]!.bytes
    if (key === null || data === null || data.length !== 4) {
      problems.push({offset: pairs[i]!.item.offset, message: 'a master database entry is not a subdatabase name and a 4-byte meta page number'})
      continue
    }
    named.push({name: key.toString('utf8'), meta: data.readUInt32BE(0)})
  }
  for (const {name, meta: pgno} of named) {
    if (!walk.claim(pgno, name, 0)) continue
    const page = pageReader(read(pgno), pgno, info)
    const type = page.u8(25)
    if (type === P_BTREEMETA) walk.tree(page.u32(88) ?? 0, name, pgno)
    else if (type === P_HASHMETA) walk.hash(pgno, name, page)
    else problems.push({offset: pgno * info.pagesize + 25, message: `subdatabase ${name}'s meta page ${pgno} is not a btree or hash meta page`})
  }
  return walk.owner
}
