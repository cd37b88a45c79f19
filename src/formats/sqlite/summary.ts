/**
 * summary -- every page of a SQLite file summarised in one pass, in page order, into typed
 * arrays: what the map needs of a page if it is a b-tree page (type, cells, payload, unused,
 * children, overflow cells) and its first four bytes (an overflow page's next pointer). The map
 * then walks the structures over these arrays without reading a page twice.
 *
 * Why one sequential pass: the map must see every page anyway, and a reader that is asked for
 * pages in order can read the file in large blocks into one reused buffer; the tree walk's own
 * order would make it seek. The pass keeps nothing of a page once it has returned, so the reader
 * may reuse its buffer for the next page.
 *
 * Policy: the summary never allocates per cell (varints are read inline); a page whose bytes
 * do not add up as a well-formed b-tree page (a pointer or cell past the end, a freeblock out of
 * order, or cells + freeblocks + gaps not covering the usable size exactly, which is how
 * overlapping cells show) is marked not clean, and the map parses that page again in full
 * (btree.ts) to name its problems.
 */

import type {PageReader} from '../types.js'

// The b-tree page types (btree.ts PAGE_TYPE), as plain constants for the hot loop.
const INDEX_INTERIOR = 2
const TABLE_INTERIOR = 5
const INDEX_LEAF = 10
const TABLE_LEAF = 13

/** A growable list of numbers (the children and overflow cells of all pages, end to end). */
class IntList {
  data = new Float64Array(1024)
  length = 0
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }
}

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

/** summarise -- read pages 1..npages in order through `read` (mpool pgno page - 1) and summarise each. */
export function summarise(read: PageReader, npages: number, usable: number): Summaries {
  // The local-payload rule of btree.ts (localPayload), its constants computed once: this loop
  // runs once per cell of the file.
  const maxLocalTable = usable - 35
  const maxLocalIndex = Math.floor(((usable - 12) * 64) / 255) - 23
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23
  const overflowPerPage = usable - 4
  const type = new Uint8Array(npages + 2)
  const cells = new Int32Array(npages + 2)
  const payload = new Int32Array(npages + 2)
  const unused = new Int32Array(npages + 2)
  const clean = new Uint8Array(npages + 2)
  const first4 = new Uint32Array(npages + 2)
  const childStart = new Int32Array(npages + 2)
  const ovStart = new Int32Array(npages + 2)
  const children = new IntList()
  const overflow = new IntList()
  const ovLocal = new IntList()
  for (let page = 1; page <= npages; page++) {
    childStart[page] = children.length
    ovStart[page] = overflow.length / 3
    const buf = read(page - 1)
    const end = Math.min(usable, buf.length)
    first4[page] = buf.length >= 4 ? buf.readUInt32BE(0) : 0
    clean[page] = 1
    const h = page === 1 ? 100 : 0
    const t = buf[h] ?? 0
    if ((t !== INDEX_INTERIOR && t !== TABLE_INTERIOR && t !== INDEX_LEAF && t !== TABLE_LEAF) || end < h + 8) continue
    type[page] = t
    const isLeaf = t === TABLE_LEAF || t === INDEX_LEAF
    const hdr = isLeaf ? 8 : 12
    const ncell = (buf[h + 3]! << 8) | buf[h + 4]!
    const rawStart = (buf[h + 5]! << 8) | buf[h + 6]!
    const contentStart = rawStart === 0 ? 65536 : rawStart
    const frag = buf[h + 7]!
    cells[page] = ncell
    const ptrs = h + hdr
    const ptrEnd = ptrs + 2 * ncell
    let ok = ptrEnd <= end && (ncell === 0 || contentStart >= ptrEnd) && (contentStart <= end || (rawStart === 0 && ncell === 0))
    let sumPayload = 0
    let cellBytes = 0
    if (ok) {
      for (let i = 0; i < ncell; i++) {
        const off = (buf[ptrs + 2 * i]! << 8) | buf[ptrs + 2 * i + 1]!
        if (off < contentStart || off >= end) {
          ok = false
          break
        }
        let at = off
        if (!isLeaf) {
          if (at + 4 > end) {
            ok = false
            break
          }
          children.push(buf.readUInt32BE(at))
          at += 4
        }
        let P = 0
        if (t !== TABLE_INTERIOR) {
          // payload size varint, inline
          let v = 0
          let n = 0
          for (;;) {
            if (at >= end || n === 9) break
            const b = buf[at++]!
            n++
            if (n === 9) {
              v = v * 256 + b
              break
            }
            v = v * 128 + (b & 0x7f)
            if ((b & 0x80) === 0) break
          }
          if (n === 0 || (at >= end && (buf[at - 1]! & 0x80) !== 0 && n < 9)) {
            ok = false
            break
          }
          P = v
        }
        if (t === TABLE_LEAF || t === TABLE_INTERIOR) {
          // rowid varint: only its length matters here
          let n = 0
          for (;;) {
            if (at >= end) {
              n = -1
              break
            }
            const b = buf[at++]!
            n++
            if (n === 9 || (b & 0x80) === 0) break
          }
          if (n < 0) {
            ok = false
            break
          }
        }
        if (t !== TABLE_INTERIOR) {
          const X = t === TABLE_LEAF ? maxLocalTable : maxLocalIndex
          let local = P
          if (P > X) {
            const K = minLocal + ((P - minLocal) % overflowPerPage)
            local = K <= X ? K : minLocal
          }
          at += local
          sumPayload += local
          if (local < P) {
            if (at + 4 > end) {
              ok = false
              break
            }
            overflow.push(i)
            overflow.push(buf.readUInt32BE(at))
            overflow.push(P)
            ovLocal.push(local)
            at += 4
          } else if (at > end) {
            ok = false
            break
          }
        }
        cellBytes += Math.max(4, at - off)
      }
    }
    let free = 0
    if (ok) {
      let fb = (buf[h + 1]! << 8) | buf[h + 2]!
      let last = 0
      while (fb !== 0) {
        if (fb <= last || fb < ptrEnd || fb + 4 > end) {
          ok = false
          break
        }
        const size = (buf[fb + 2]! << 8) | buf[fb + 3]!
        free += size
        last = fb
        fb = (buf[fb]! << 8) | buf[fb + 1]!
      }
    }
    if (!isLeaf && ok) {
      children.push(buf.readUInt32BE(h + 8))
    }
    const gap = Math.min(contentStart, 65536) - ptrEnd
    unused[page] = gap + frag + free
    payload[page] = t === TABLE_INTERIOR ? 0 : sumPayload
    // A well-formed page: header, pointers, gap, cells, freeblocks and fragments cover U exactly.
    if (ok && ptrEnd + gap + cellBytes + free + frag !== end) ok = false
    clean[page] = ok ? 1 : 0
  }
  childStart[npages + 1] = children.length
  ovStart[npages + 1] = overflow.length / 3
  return {npages, type, cells, payload, unused, clean, first4, childStart, childList: children.data, ovStart, ovList: overflow.data, ovLocal: ovLocal.data}
}
