/**
 * summary -- every page of a SQLite file summarised in one pass into typed arrays: what the map
 * needs of a page if it is a b-tree page (type, cells, payload, unused, children, overflow cells)
 * and its first four bytes (an overflow page's next pointer). The map then walks the structures
 * over these arrays without reading a page twice.
 *
 * Why one pass over blocks: the map must see every page anyway, and a reader that is given pages
 * a block of consecutive pages at a time can read the file in large blocks; the tree walk's own
 * order would make it seek. A Summariser takes a block as it is (addPages: one buffer, the pages
 * `pagesize` apart) and keeps nothing of it, so the caller may reuse the buffer for the next
 * block; no page is copied and nothing is allocated per page or per cell.
 *
 * Blocks may come in any order, and from more than one thread: the per-page columns live on
 * shared memory (summaryColumns), each Summariser writes only the pages it is given, and keeps
 * its own lists of children and overflow cells with a record of which block each run of them
 * came from. done() joins the lists of every Summariser that took part (each one's part()) in
 * page order, so a map --file of a large file can be summarised by two threads at once (the
 * caller, src/cli/shared-blocks.ts, hands them blocks) and the walk sees one set of arrays.
 *
 * Policy: a page whose bytes do not add up as a well-formed b-tree page (a pointer or cell past
 * the end, a freeblock out of order, or cells + freeblocks + gaps not covering the usable size
 * exactly, which is how overlapping cells show) is marked not clean, and the map parses that page
 * again in full (btree.ts) to name its problems. Blocks that leave a page out, or give one twice,
 * are a caller's bug: done() throws a RangeError.
 */

import type {MapHelper, PageReader} from '../types.js'

// The b-tree page types (btree.ts PAGE_TYPE), as plain constants for the hot loop.
const INDEX_INTERIOR = 2
const TABLE_INTERIOR = 5
const INDEX_LEAF = 10
const TABLE_LEAF = 13

/** The per-page columns, indexed by SQLite page number (index 0 unused), on shared memory. */
export interface SummaryColumns {
  type: Uint8Array
  cells: Int32Array
  payload: Int32Array
  unused: Int32Array
  /** 1 when the page added up as a well-formed b-tree page (or is no b-tree page at all) */
  clean: Uint8Array
  /** the first four bytes, big-endian: an overflow page's next page, a trunk's next trunk */
  first4: Uint32Array
  /** where page p's children start in childList (its Summariser's own list until done() joins them) */
  childStart: Int32Array
  /** where page p's overflow triples start in ovList, counted in triples (the same) */
  ovStart: Int32Array
}

/** The summaries, indexed by SQLite page number (index 0 unused). */
export interface Summaries extends SummaryColumns {
  npages: number
  /** children of page p: childList[childStart[p] .. childStart[p + 1]) (right-most last) */
  childList: Float64Array
  /** overflow cells of page p: triples (cell index, first overflow page, payload size) at 3*k for k in [ovStart[p], ovStart[p + 1]) */
  ovList: Float64Array
  /** for each overflow triple k, its local size is ovLocal[k] */
  ovLocal: Float64Array
}

/** The shared memory behind a SummaryColumns, as a thread is sent it (structured clone keeps it shared). */
export type SharedColumns = {[K in keyof SummaryColumns]: SharedArrayBuffer}

/** summaryColumns -- fresh columns for pages 1..npages on shared memory, or views of `shared`, memory made for them before. */
export function summaryColumns(npages: number, shared?: SharedColumns): SummaryColumns {
  const n = npages + 2
  const on = (key: keyof SummaryColumns, bytes: number): SharedArrayBuffer => shared?.[key] ?? new SharedArrayBuffer(n * bytes)
  return {
    type: new Uint8Array(on('type', 1)),
    cells: new Int32Array(on('cells', 4)),
    payload: new Int32Array(on('payload', 4)),
    unused: new Int32Array(on('unused', 4)),
    clean: new Uint8Array(on('clean', 1)),
    first4: new Uint32Array(on('first4', 4)),
    childStart: new Int32Array(on('childStart', 4)),
    ovStart: new Int32Array(on('ovStart', 4)),
  }
}

/** sharedOf -- the memory behind `columns`, to send to another thread. */
export function sharedOf(columns: SummaryColumns): SharedColumns {
  const memory = (view: {buffer: ArrayBufferLike}): SharedArrayBuffer => view.buffer as SharedArrayBuffer
  return {
    type: memory(columns.type),
    cells: memory(columns.cells),
    payload: memory(columns.payload),
    unused: memory(columns.unused),
    clean: memory(columns.clean),
    first4: memory(columns.first4),
    childStart: memory(columns.childStart),
    ovStart: memory(columns.ovStart),
  }
}

/**
 * What one Summariser gathered besides the columns: its lists, and for each block it was given a
 * record of 4 numbers (first page, page count, children before it, overflow triples before it)
 * at 4*b, a block that follows the one before it merged into its record. Plain typed arrays, so
 * a thread can transfer it.
 */
export interface SummaryPart {
  blocks: Float64Array
  nBlocks: number
  children: Float64Array
  nChildren: number
  overflow: Float64Array
  local: Float64Array
  nOverflow: number
}

const BLOCK_RECORD = 4

/** grown -- `list` with room for at least `need` numbers (doubled, the old ones kept). */
function grown(list: Float64Array<ArrayBuffer>, need: number): Float64Array<ArrayBuffer> {
  if (need <= list.length) return list
  const next = new Float64Array(Math.max(need, list.length * 2))
  next.set(list)
  return next
}

/** Summariser -- blocks of pages (addPages), each summarised as it comes into the columns; done() when all are in. */
export class Summariser {
  private children = new Float64Array(1024)
  private nChildren = 0
  private overflow = new Float64Array(1024)
  private nOverflow = 0
  private local = new Float64Array(512)
  private blocks = new Float64Array(16 * BLOCK_RECORD)
  private nBlocks = 0
  readonly columns: SummaryColumns
  // The local-payload rule of btree.ts (localPayload), its constants computed once: the inner
  // loop runs once per cell of the file.
  private readonly maxLocalTable: number
  private readonly maxLocalIndex: number
  private readonly minLocal: number
  private readonly overflowPerPage: number

  /** `shared`: the memory of another Summariser's columns (sharedOf), to fill pages of the same file alongside it */
  constructor(
    readonly npages: number,
    private readonly usable: number,
    shared?: SharedColumns,
  ) {
    this.maxLocalTable = usable - 35
    this.maxLocalIndex = Math.floor(((usable - 12) * 64) / 255) - 23
    this.minLocal = Math.floor(((usable - 12) * 32) / 255) - 23
    this.overflowPerPage = usable - 4
    this.columns = summaryColumns(npages, shared)
  }

  /**
   * addPages -- summarise `count` pages that lie `pagesize` apart in `bytes` from offset 0, the
   * first being SQLite page `first`. A page shorter than the usable size (the last bytes of
   * `bytes`) is summarised as far as it goes.
   */
  addPages(bytes: Uint8Array, first: number, count: number, pagesize: number): void {
    if (first < 1 || count < 0 || first + count - 1 > this.npages) throw new RangeError(`summary: pages ${first} to ${first + count - 1} are outside 1 to ${this.npages}`)
    const last = (this.nBlocks - 1) * BLOCK_RECORD
    if (this.nBlocks > 0 && this.blocks[last]! + this.blocks[last + 1]! === first) {
      this.blocks[last + 1]! += count
    } else {
      if ((this.nBlocks + 1) * BLOCK_RECORD > this.blocks.length) this.blocks = grown(this.blocks, (this.nBlocks + 1) * BLOCK_RECORD)
      const record = this.nBlocks++ * BLOCK_RECORD
      this.blocks[record] = first
      this.blocks[record + 1] = count
      this.blocks[record + 2] = this.nChildren
      this.blocks[record + 3] = this.nOverflow / 3
    }
    for (let k = 0; k < count; k++) {
      const base = k * pagesize
      this.page(bytes, base, Math.min(this.usable, bytes.length - base), first + k)
    }
  }

  /** part -- what this Summariser gathered, for another's done() (its arrays may then be transferred). */
  part(): SummaryPart {
    return {blocks: this.blocks, nBlocks: this.nBlocks, children: this.children, nChildren: this.nChildren, overflow: this.overflow, local: this.local, nOverflow: this.nOverflow}
  }

  /**
   * done -- the summaries of pages 1..npages, from this Summariser's blocks and `others'`
   * (the parts of Summarisers that filled the same columns): their lists joined in page order,
   * each page's childStart and ovStart moved to where its run landed.
   */
  done(others: readonly SummaryPart[] = []): Summaries {
    const parts = [this.part(), ...others]
    const order: Array<{part: SummaryPart; record: number}> = []
    let nChildren = 0
    let nTriples = 0
    for (const part of parts) {
      for (let b = 0; b < part.nBlocks; b++) order.push({part, record: b * BLOCK_RECORD})
      nChildren += part.nChildren
      nTriples += part.nOverflow / 3
    }
    order.sort((x, y) => x.part.blocks[x.record]! - y.part.blocks[y.record]!)
    const S = this.columns
    const childList = new Float64Array(nChildren)
    const ovList = new Float64Array(3 * nTriples)
    const ovLocal = new Float64Array(nTriples)
    let nextPage = 1
    let childAt = 0
    let tripleAt = 0
    for (let i = 0; i < order.length; i++) {
      const {part, record} = order[i]!
      const first = part.blocks[record]!
      const count = part.blocks[record + 1]!
      if (first > nextPage) throw new RangeError(`summary: page ${nextPage} was never given`)
      if (first < nextPage) throw new RangeError(`summary: page ${first} was given twice`)
      // this block's runs: up to the next block of the same part, or that part's end
      const childFrom = part.blocks[record + 2]!
      const tripleFrom = part.blocks[record + 3]!
      const following = record + BLOCK_RECORD < part.nBlocks * BLOCK_RECORD
      const childTo = following ? part.blocks[record + BLOCK_RECORD + 2]! : part.nChildren
      const tripleTo = following ? part.blocks[record + BLOCK_RECORD + 3]! : part.nOverflow / 3
      childList.set(part.children.subarray(childFrom, childTo), childAt)
      ovList.set(part.overflow.subarray(3 * tripleFrom, 3 * tripleTo), 3 * tripleAt)
      ovLocal.set(part.local.subarray(tripleFrom, tripleTo), tripleAt)
      const childShift = childAt - childFrom
      const tripleShift = tripleAt - tripleFrom
      if (childShift !== 0 || tripleShift !== 0) {
        for (let page = first; page < first + count; page++) {
          S.childStart[page] += childShift
          S.ovStart[page] += tripleShift
        }
      }
      childAt += childTo - childFrom
      tripleAt += tripleTo - tripleFrom
      nextPage = first + count
    }
    if (nextPage !== this.npages + 1) throw new RangeError(`summary: ${nextPage - 1} of ${this.npages} pages given`)
    S.childStart[this.npages + 1] = childAt
    S.ovStart[this.npages + 1] = tripleAt
    return {...S, npages: this.npages, childList, ovList, ovLocal}
  }

  private pushChild(v: number): void {
    if (this.nChildren === this.children.length) this.children = grown(this.children, this.nChildren + 1)
    this.children[this.nChildren++] = v
  }

  private pushOverflow(cell: number, firstPage: number, P: number, local: number): void {
    const k = this.nOverflow / 3
    if (this.nOverflow + 3 > this.overflow.length) this.overflow = grown(this.overflow, this.nOverflow + 3)
    if (k + 1 > this.local.length) this.local = grown(this.local, k + 1)
    this.overflow[this.nOverflow++] = cell
    this.overflow[this.nOverflow++] = firstPage
    this.overflow[this.nOverflow++] = P
    this.local[k] = local
  }

  /**
   * page -- summarise page `page`, whose bytes are buf[base .. base + end); offsets below are
   * in the page (0 .. end), each byte read as buf[base + offset].
   */
  private page(buf: Uint8Array, base: number, end: number, page: number): void {
    const S = this.columns
    S.childStart[page] = this.nChildren
    S.ovStart[page] = this.nOverflow / 3
    S.first4[page] = end >= 4 ? u32at(buf, base) : 0
    S.clean[page] = 1
    const h = page === 1 ? 100 : 0
    const t = end > h ? buf[base + h]! : 0
    if ((t !== INDEX_INTERIOR && t !== TABLE_INTERIOR && t !== INDEX_LEAF && t !== TABLE_LEAF) || end < h + 8) return
    S.type[page] = t
    const isLeaf = t === TABLE_LEAF || t === INDEX_LEAF
    const hb = base + h
    const ncell = (buf[hb + 3]! << 8) | buf[hb + 4]!
    const rawStart = (buf[hb + 5]! << 8) | buf[hb + 6]!
    const contentStart = rawStart === 0 ? 65536 : rawStart
    const frag = buf[hb + 7]!
    S.cells[page] = ncell
    const ptrs = h + (isLeaf ? 8 : 12)
    const ptrEnd = ptrs + 2 * ncell
    let ok = ptrEnd <= end && (ncell === 0 || contentStart >= ptrEnd) && (contentStart <= end || (rawStart === 0 && ncell === 0))
    let sumPayload = 0
    let cellBytes = 0
    const X = t === TABLE_LEAF ? this.maxLocalTable : this.maxLocalIndex
    const minLocal = this.minLocal
    const perPage = this.overflowPerPage
    const bend = base + end
    for (let i = 0; ok && i < ncell; i++) {
      const p = base + ptrs + 2 * i
      const off = (buf[p]! << 8) | buf[p + 1]!
      if (off < contentStart || off >= end) {
        ok = false
        break
      }
      let at = base + off
      if (!isLeaf) {
        if (at + 4 > bend) {
          ok = false
          break
        }
        this.pushChild(u32at(buf, at))
        at += 4
      }
      let P = 0
      if (t !== TABLE_INTERIOR) {
        // payload size varint, inline: up to 8 bytes of 7 bits, then a 9th of 8 bits
        let n = 0
        let b = 0x80
        while (n < 8 && (b & 0x80) !== 0 && at < bend) {
          b = buf[at++]!
          P = P * 128 + (b & 0x7f)
          n++
        }
        if ((b & 0x80) !== 0) {
          // more bytes follow: the 9th, if there is one
          if (n < 8 || at >= bend) {
            ok = false
            break
          }
          P = P * 256 + buf[at++]!
        }
      }
      if (t === TABLE_LEAF || t === TABLE_INTERIOR) {
        // rowid varint: only its length matters here
        let n = 0
        let b = 0x80
        while (n < 9 && (b & 0x80) !== 0 && at < bend) {
          b = buf[at++]!
          n++
        }
        if (n < 9 && (b & 0x80) !== 0) {
          ok = false
          break
        }
      }
      if (t !== TABLE_INTERIOR) {
        let local = P
        if (P > X) {
          const K = minLocal + ((P - minLocal) % perPage)
          local = K <= X ? K : minLocal
        }
        at += local
        sumPayload += local
        if (local < P) {
          if (at + 4 > bend) {
            ok = false
            break
          }
          this.pushOverflow(i, u32at(buf, at), P, local)
          at += 4
        } else if (at > bend) {
          ok = false
          break
        }
      }
      const size = at - base - off
      cellBytes += size < 4 ? 4 : size
    }
    let free = 0
    if (ok) {
      let fb = (buf[hb + 1]! << 8) | buf[hb + 2]!
      let last = 0
      while (fb !== 0) {
        if (fb <= last || fb < ptrEnd || fb + 4 > end) {
          ok = false
          break
        }
        free += (buf[base + fb + 2]! << 8) | buf[base + fb + 3]!
        last = fb
        fb = (buf[base + fb]! << 8) | buf[base + fb + 1]!
      }
    }
    if (!isLeaf && ok) this.pushChild(u32at(buf, hb + 8))
    const gap = (contentStart < 65536 ? contentStart : 65536) - ptrEnd
    S.unused[page] = gap + frag + free
    S.payload[page] = t === TABLE_INTERIOR ? 0 : sumPayload
    // A well-formed page: header, pointers, gap, cells, freeblocks and fragments cover U exactly.
    if (ok && ptrEnd + gap + cellBytes + free + frag !== end) ok = false
    S.clean[page] = ok ? 1 : 0
  }
}

/** u32at -- the big-endian 4-byte unsigned integer at buf[at] (the caller has checked it fits). */
function u32at(buf: Uint8Array, at: number): number {
  return buf[at]! * 0x1000000 + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!)
}

/** summarise -- read pages 1..npages in order through `read` (mpool pgno page - 1) and summarise each. */
export function summarise(read: PageReader, npages: number, usable: number): Summaries {
  const summariser = new Summariser(npages, usable)
  for (let page = 1; page <= npages; page++) {
    const buf = read(page - 1)
    summariser.addPages(buf, page, 1, buf.length)
  }
  return summariser.done()
}

/** What a helper thread is sent to fill a Summariser's columns alongside it (sqliteMapper's share). */
export interface SummaryHelperState {
  npages: number
  usable: number
  pagesize: number
  columns: SharedColumns
}

/**
 * summaryHelper -- a helper thread's Summariser, filling the mapper's columns for the blocks it
 * is given (mpool pgnos, as PageMapper.add takes them). Here, not in map.ts, so that the helper
 * thread loads this module alone (map-helpers.ts).
 */
export function summaryHelper(shared: unknown): MapHelper {
  const state = shared as SummaryHelperState
  const summariser = new Summariser(state.npages, state.usable, state.columns)
  return {
    add: (bytes, firstPgno, count) => summariser.addPages(bytes, firstPgno + 1, count, state.pagesize),
    done: () => {
      const part = summariser.part()
      return {part, transfer: [part.blocks.buffer, part.children.buffer, part.overflow.buffer, part.local.buffer] as ArrayBuffer[]}
    },
  }
}
