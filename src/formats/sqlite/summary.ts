/**
 * summary -- every page of a SQLite file summarised in one pass, in page order, into typed
 * arrays: what the map needs of a page if it is a b-tree page (type, cells, payload, unused,
 * children, overflow cells) and its first four bytes (an overflow page's next pointer). The map
 * then walks the structures over these arrays without reading a page twice.
 *
 * Why one sequential pass: the map must see every page anyway, and a reader that is given pages
 * in order can read the file in large blocks; the tree walk's own order would make it seek. A
 * Summariser takes a block of consecutive pages as it is (addPages: one buffer, the pages
 * `pagesize` apart) and keeps nothing of it, so the caller may reuse the buffer for the next
 * block; no page is copied and nothing is allocated per page or per cell.
 *
 * Policy: a page whose bytes do not add up as a well-formed b-tree page (a pointer or cell past
 * the end, a freeblock out of order, or cells + freeblocks + gaps not covering the usable size
 * exactly, which is how overlapping cells show) is marked not clean, and the map parses that page
 * again in full (btree.ts) to name its problems.
 */

import type {PageReader} from '../types.js'

// The b-tree page types (btree.ts PAGE_TYPE), as plain constants for the hot loop.
const INDEX_INTERIOR = 2
const TABLE_INTERIOR = 5
const INDEX_LEAF = 10
const TABLE_LEAF = 13

/** The summaries, indexed by SQLite page number (index 0 unused). */
export interface Summaries {
  npages: number
  type: Uint8Array
  cells: Int32Array
  payload: Int32Array
  unused: Int32Array
  /** 1 when the page added up as a well-formed b-tree page (or is no b-tree page at all) */
  clean: Uint8Array
  /** the first four bytes, big-endian: an overflow page's next page, a trunk's next trunk */
  first4: Uint32Array
  /** children of page p: childList[childStart[p] .. childStart[p + 1]) (right-most last) */
  childStart: Int32Array
  childList: Float64Array
  /** overflow cells of page p: triples (cell index, first overflow page, payload size) at 3*k for k in [ovStart[p], ovStart[p + 1]) */
  ovStart: Int32Array
  ovList: Float64Array
  /** for each overflow triple k, its local size is ovLocal[k] */
  ovLocal: Float64Array
}

/** grown -- `list` with room for at least `need` numbers (doubled, the old ones kept). */
function grown(list: Float64Array<ArrayBuffer>, need: number): Float64Array<ArrayBuffer> {
  if (need <= list.length) return list
  const next = new Float64Array(Math.max(need, list.length * 2))
  next.set(list)
  return next
}

/** Summariser -- pages 1..npages given in order, a block at a time (addPages), summarised as they come. */
export class Summariser {
  /** the next page addPages expects */
  private next = 1
  private children = new Float64Array(1024)
  private nChildren = 0
  private overflow = new Float64Array(1024)
  private nOverflow = 0
  private local = new Float64Array(512)
  private readonly S: Summaries
  // The local-payload rule of btree.ts (localPayload), its constants computed once: the inner
  // loop runs once per cell of the file.
  private readonly maxLocalTable: number
  private readonly maxLocalIndex: number
  private readonly minLocal: number
  private readonly overflowPerPage: number

  constructor(
    readonly npages: number,
    private readonly usable: number,
  ) {
    this.maxLocalTable = usable - 35
    this.maxLocalIndex = Math.floor(((usable - 12) * 64) / 255) - 23
    this.minLocal = Math.floor(((usable - 12) * 32) / 255) - 23
    this.overflowPerPage = usable - 4
    const n = npages + 2
    this.S = {
      npages,
      type: new Uint8Array(n),
      cells: new Int32Array(n),
      payload: new Int32Array(n),
      unused: new Int32Array(n),
      clean: new Uint8Array(n),
      first4: new Uint32Array(n),
      childStart: new Int32Array(n),
      childList: this.children,
      ovStart: new Int32Array(n),
      ovList: this.overflow,
      ovLocal: this.local,
    }
  }

  /**
   * addPages -- summarise `count` pages that lie `pagesize` apart in `bytes` from offset 0, the
   * first being SQLite page `first`, which must be the page after the last one added. A page
   * shorter than the usable size (the last bytes of `bytes`) is summarised as far as it goes.
   */
  addPages(bytes: Uint8Array, first: number, count: number, pagesize: number): void {
    if (first !== this.next) throw new RangeError(`summary: page ${first} given after page ${this.next - 1}; pages must come in order`)
    for (let k = 0; k < count; k++) {
      const base = k * pagesize
      this.page(bytes, base, Math.min(this.usable, bytes.length - base), first + k)
    }
    this.next = first + count
  }

  /** done -- the summaries of pages 1..npages (all must have been added). */
  done(): Summaries {
    if (this.next !== this.npages + 1) throw new RangeError(`summary: ${this.next - 1} of ${this.npages} pages given`)
    const S = this.S
    S.childStart[this.npages + 1] = this.nChildren
    S.ovStart[this.npages + 1] = this.nOverflow / 3
    S.childList = this.children
    S.ovList = this.overflow
    S.ovLocal = this.local
    return S
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
    const S = this.S
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
