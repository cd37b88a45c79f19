/**
 * map.as -- the SQLite map's two loops over every page (src/formats/sqlite/summary.ts, the pass,
 * and map.ts, the walk), in AssemblyScript, compiled to WebAssembly by `npm run build`
 * (scripts/build-wasm.mjs).
 *
 * Why WebAssembly: `map --file` of a 270 MiB database summarises 68k pages and 2.9 million cells
 * once, then walks the b-trees over the summaries, each in tens of milliseconds, which is about
 * the time V8 takes to tier the same loops up from its interpreter: in JavaScript the first
 * blocks ran at a third of the speed of the rest (README, "Benchmark"). WebAssembly is compiled
 * to machine code before it runs, so every page is done at full speed. The file is read straight
 * into this module's memory (newBlock), so nothing is copied on the way.
 *
 * The pass (addPages): each page's b-tree header and cells summarised into columns; the rules are
 * summary.ts's (see it for what each field means and why a page is marked not clean). Payload
 * sizes are doubles there (a varint can exceed 2^53) and here.
 *
 * The walk (tree): each b-tree from its root, every page claimed for its owner in the map's
 * columns (kind, owner, cells, free, payload), with its overflow chains; the policy is map.ts's
 * (a page claimed twice keeps its first owner). What needs words or the page's full parse is
 * JavaScript's, called through the imports: a refused claim, a broken chain, and a page that did
 * not add up (`parsed`, which names its problems and gives back its children and chains through
 * push and chain). So there is one walk, and its sentences are made where the others are.
 *
 * Memory: one module instance maps one file. Everything lives in linear memory, laid out by the
 * bump allocator of common/assembly/heap.ts: the per-page columns (sized by `start`), the blocks the reader
 * fills (newBlock), and the lists that grow (children, overflow cells, the walk's stack), moved
 * to a region twice the size when full. Nothing is freed: the instance is dropped with the map.
 * The memory is shared (build-wasm.mjs): the reader fills blocks on node's thread pool while
 * this summarises another (reads of later blocks in flight), and a shared memory that grows meanwhile keeps every view of it
 * valid, where a plain one would detach the view being read into.
 */

import {alloc, resetHeap} from '../../common/assembly/heap'

// The b-tree page types.
const INDEX_INTERIOR: i32 = 2
const TABLE_INTERIOR: i32 = 5
const INDEX_LEAF: i32 = 10
const TABLE_LEAF: i32 = 13

/** The count code of a count the format does not give (page-columns.ts NO_COUNT). */
const NO_COUNT: i32 = -0x80000000
/** The cell number of a b-tree root and of a page's right-most pointer (map.ts ROOT, RIGHT_MOST). */
const ROOT: i32 = -1
const RIGHT_MOST: i32 = -2
/** The kind code of a page nothing has claimed (map.ts KIND.unreached). */
const UNREACHED: u8 = 0

let npages: i32 = 0
let usable: i32 = 0
let maxLocalTable: i32 = 0
let maxLocalIndex: i32 = 0
let minLocal: i32 = 0
let perPage: i32 = 0

let typeAt: usize = 0
let cellsAt: usize = 0
let payloadAt: usize = 0
let unusedAt: usize = 0
let cleanAt: usize = 0
let first4At: usize = 0
let childStartAt: usize = 0
let ovStartAt: usize = 0

// The map's columns (map.ts Lines), the walk's stack of (page, parent, cell) triples, the chain
// that claimed each overflow page, and the kind code of each page type byte (set by map.ts).
let lineKindAt: usize = 0
let lineOwnerAt: usize = 0
let lineCellsAt: usize = 0
let lineFreeAt: usize = 0
let linePayloadAt: usize = 0
let chainOfAt: usize = 0
let kindOfTypeAt: usize = 0
let stackAt: usize = 0
let stackCap: i32 = 0
let stackLen: i32 = 0
let chains: i32 = 0
let unknownKind: u8 = 0
let overflowKind: u8 = 0

let childAt: usize = 0
let childCap: i32 = 0
let nChildren: i32 = 0
let ovCellAt: usize = 0
let ovFirstAt: usize = 0
let ovPayloadAt: usize = 0
let ovLocalAt: usize = 0
let ovCap: i32 = 0
let nOverflow: i32 = 0

/** allocColumns -- the per-page columns, `n` slots each (allocated, not yet filled). */
function allocColumns(n: usize): void {
  typeAt = alloc(n)
  cleanAt = alloc(n)
  cellsAt = alloc(n << 2)
  payloadAt = alloc(n << 2)
  unusedAt = alloc(n << 2)
  first4At = alloc(n << 2)
  childStartAt = alloc(n << 2)
  ovStartAt = alloc(n << 2)
  lineKindAt = alloc(n)
  lineOwnerAt = alloc(n << 2)
  lineCellsAt = alloc(n << 2)
  lineFreeAt = alloc(n << 2)
  linePayloadAt = alloc(n << 2)
  chainOfAt = alloc(n << 2)
}

/** bytesPerPage -- the bytes start lays out for each page (allocColumns, measured), so that a caller can refuse a file too large for this memory before it grows. */
export function bytesPerPage(): i32 {
  const slots: usize = 1 << 10 // a multiple of 8: no alignment in the measure
  resetHeap()
  const from = alloc(0)
  allocColumns(slots)
  const bytes = alloc(0) - from
  resetHeap()
  return <i32>(bytes / slots)
}

/** start -- lay out memory for `pages` pages of `usableSize` usable bytes. */
export function start(pages: i32, usableSize: i32): void {
  resetHeap()
  npages = pages
  usable = usableSize
  maxLocalTable = usable - 35
  maxLocalIndex = ((usable - 12) * 64) / 255 - 23
  minLocal = ((usable - 12) * 32) / 255 - 23
  perPage = usable - 4
  const n = <usize>(pages + 2)
  allocColumns(n)
  memory.fill(typeAt, 0, n)
  memory.fill(cellsAt, 0, n << 2)
  memory.fill(payloadAt, 0, n << 2)
  memory.fill(unusedAt, 0, n << 2)
  memory.fill(lineKindAt, 0, n)
  memory.fill(lineOwnerAt, 0xff, n << 2) // NO_OWNER, -1
  for (let i: usize = 0; i < n; i++) {
    store<i32>(lineCellsAt + (i << 2), NO_COUNT)
    store<i32>(lineFreeAt + (i << 2), NO_COUNT)
    store<i32>(linePayloadAt + (i << 2), NO_COUNT)
  }
  memory.fill(chainOfAt, 0, n << 2)
  childCap = 1024
  childAt = alloc(<usize>childCap << 2)
  nChildren = 0
  ovCap = 256
  allocOverflow(ovCap)
  nOverflow = 0
  kindOfTypeAt = alloc(256)
  memory.fill(kindOfTypeAt, 0, 256)
  stackCap = 3 * 1024
  stackAt = alloc(<usize>stackCap << 2)
  stackLen = 0
  chains = 0
}

function allocOverflow(cap: i32): void {
  const c = <usize>cap
  ovCellAt = alloc(c << 2)
  ovFirstAt = alloc(c << 2)
  ovLocalAt = alloc(c << 2)
  ovPayloadAt = alloc(c << 3)
}

function pushChild(v: u32): void {
  if (nChildren === childCap) {
    const old = childAt
    childCap *= 2
    childAt = alloc(<usize>childCap << 2)
    memory.copy(childAt, old, <usize>nChildren << 2)
  }
  store<u32>(childAt + (<usize>nChildren << 2), v)
  nChildren++
}

function pushOverflow(cell: i32, firstPage: u32, P: f64, local: i32): void {
  if (nOverflow === ovCap) {
    const cellOld = ovCellAt
    const firstOld = ovFirstAt
    const localOld = ovLocalAt
    const payloadOld = ovPayloadAt
    ovCap *= 2
    allocOverflow(ovCap)
    const n = <usize>nOverflow
    memory.copy(ovCellAt, cellOld, n << 2)
    memory.copy(ovFirstAt, firstOld, n << 2)
    memory.copy(ovLocalAt, localOld, n << 2)
    memory.copy(ovPayloadAt, payloadOld, n << 3)
  }
  const k = <usize>nOverflow
  store<i32>(ovCellAt + (k << 2), cell)
  store<u32>(ovFirstAt + (k << 2), firstPage)
  store<i32>(ovLocalAt + (k << 2), local)
  store<f64>(ovPayloadAt + (k << 3), P)
  nOverflow++
}

@inline function u8at(at: usize): i32 {
  return <i32>load<u8>(at)
}

@inline function u16at(at: usize): i32 {
  return (<i32>load<u8>(at) << 8) | <i32>load<u8>(at + 1)
}

@inline function u32at(at: usize): u32 {
  return bswap<u32>(load<u32>(at))
}

/** addPages -- summarise the `count` pages in the block at `block` (a newBlock), `pagesize` apart, of which `length` bytes are filled; the first is SQLite page `first`. */
export function addPages(block: usize, first: i32, count: i32, pagesize: i32, length: i32): void {
  for (let k = 0; k < count; k++) {
    const base = k * pagesize
    const end = min(usable, length - base)
    page(block + <usize>base, end, first + k)
  }
}

/** newBlock -- a block of `bytes` for the reader to fill: where it starts. */
export function newBlock(bytes: i32): usize {
  return alloc(<usize>bytes)
}

/** finish -- close the children and overflow lists (every page has been added). */
export function finish(): void {
  store<i32>(childStartAt + (<usize>(npages + 1) << 2), nChildren)
  store<i32>(ovStartAt + (<usize>(npages + 1) << 2), nOverflow)
}

function page(b: usize, end: i32, pg: i32): void {
  const slot = <usize>pg
  store<i32>(childStartAt + (slot << 2), nChildren)
  store<i32>(ovStartAt + (slot << 2), nOverflow)
  store<u32>(first4At + (slot << 2), end >= 4 ? u32at(b) : 0)
  store<u8>(cleanAt + slot, 1)
  const h: i32 = pg === 1 ? 100 : 0
  const t: i32 = end > h ? u8at(b + <usize>h) : 0
  if ((t !== INDEX_INTERIOR && t !== TABLE_INTERIOR && t !== INDEX_LEAF && t !== TABLE_LEAF) || end < h + 8) return
  store<u8>(typeAt + slot, <u8>t)
  const isLeaf = t === TABLE_LEAF || t === INDEX_LEAF
  const hb = b + <usize>h
  const ncell = u16at(hb + 3)
  const rawStart = u16at(hb + 5)
  const contentStart: i32 = rawStart === 0 ? 65536 : rawStart
  const frag = u8at(hb + 7)
  store<i32>(cellsAt + (slot << 2), ncell)
  const ptrs = h + (isLeaf ? 8 : 12)
  const ptrEnd = ptrs + 2 * ncell
  let ok = ptrEnd <= end && (ncell === 0 || contentStart >= ptrEnd) && (contentStart <= end || (rawStart === 0 && ncell === 0))
  let sumPayload: i32 = 0
  let cellBytes: i64 = 0
  const X: i32 = t === TABLE_LEAF ? maxLocalTable : maxLocalIndex
  const bend = b + <usize>end
  for (let i = 0; ok && i < ncell; i++) {
    const off = u16at(b + <usize>(ptrs + 2 * i))
    if (off < contentStart || off >= end) {
      ok = false
      break
    }
    let at = b + <usize>off
    if (!isLeaf) {
      if (at + 4 > bend) {
        ok = false
        break
      }
      pushChild(u32at(at))
      at += 4
    }
    let P: f64 = 0
    if (t !== TABLE_INTERIOR) {
      // payload size varint: up to 8 bytes of 7 bits, then a 9th of 8 bits; most are 1 or 2
      // bytes, read at once where 9 bytes are left (the same value as the loop's)
      const b0 = at + 9 <= bend ? u8at(at) : 0x80
      const b1 = b0 < 0x80 ? 0 : at + 9 <= bend ? u8at(at + 1) : 0x80
      let n = 0
      let v: i32 = 0x80
      if (b0 < 0x80) {
        P = <f64>b0
        at += 1
        v = 0
      } else if (b1 < 0x80) {
        P = <f64>(((b0 & 0x7f) << 7) | b1)
        at += 2
        v = 0
      }
      while (n < 8 && (v & 0x80) !== 0 && at < bend) {
        v = u8at(at++)
        P = P * 128 + <f64>(v & 0x7f)
        n++
      }
      if ((v & 0x80) !== 0) {
        if (n < 8 || at >= bend) {
          ok = false
          break
        }
        P = P * 256 + <f64>u8at(at++)
      }
    }
    if (t === TABLE_LEAF || t === TABLE_INTERIOR) {
      // rowid varint: only its length matters here; up to 3 bytes found at once where 9 are left
      let n = 0
      let v: i32 = 0x80
      if (at + 9 <= bend) {
        if (u8at(at) < 0x80) {
          at += 1
          v = 0
        } else if (u8at(at + 1) < 0x80) {
          at += 2
          v = 0
        } else if (u8at(at + 2) < 0x80) {
          at += 3
          v = 0
        }
      }
      while (n < 9 && (v & 0x80) !== 0 && at < bend) {
        v = u8at(at++)
        n++
      }
      if (n < 9 && (v & 0x80) !== 0) {
        ok = false
        break
      }
    }
    if (t !== TABLE_INTERIOR) {
      let local: i32
      if (P > <f64>X) {
        const K = <f64>minLocal + ((P - <f64>minLocal) % <f64>perPage)
        local = K <= <f64>X ? <i32>K : minLocal
      } else {
        local = <i32>P
      }
      at += <usize>local
      sumPayload += local
      if (<f64>local < P) {
        if (at + 4 > bend) {
          ok = false
          break
        }
        pushOverflow(i, u32at(at), P, local)
        at += 4
      } else if (at > bend) {
        ok = false
        break
      }
    }
    const size = <i64>(at - b) - <i64>off
    cellBytes += size < 4 ? 4 : size
  }
  let free: i32 = 0
  if (ok) {
    let fb = u16at(hb + 1)
    let last = 0
    while (fb !== 0) {
      if (fb <= last || fb < ptrEnd || fb + 4 > end) {
        ok = false
        break
      }
      free += u16at(b + <usize>fb + 2)
      last = fb
      fb = u16at(b + <usize>fb)
    }
  }
  if (!isLeaf && ok) pushChild(u32at(hb + 8))
  const gap = (contentStart < 65536 ? contentStart : 65536) - ptrEnd
  store<i32>(unusedAt + (slot << 2), gap + frag + free)
  store<i32>(payloadAt + (slot << 2), t === TABLE_INTERIOR ? 0 : sumPayload)
  // A well-formed page: header, pointers, gap, cells, freeblocks and fragments cover U exactly.
  if (ok && <i64>ptrEnd + <i64>gap + cellBytes + <i64>free + <i64>frag !== <i64>end) ok = false
  store<u8>(cleanAt + slot, ok ? 1 : 0)
}

// The walk's calls out to map.ts: what needs words, and a page's full parse.
/** a claim of a b-tree page refused: past the end, or already claimed */
@external("walk", "refused") declare function refused(page: u32, parent: i32, cell: i32, owner: i32): void
/** the page does not add up (or is no b-tree page): parse it in full, name its problems, push its children and claim its chains (push, chain) */
@external("walk", "parsed") declare function parsed(page: u32, owner: i32): void
/** a claim of an overflow page refused: it is already claimed */
@external("walk", "chainRefused") declare function chainRefused(next: u32, page: i32, cell: i32): void
/** a chain ends short (why 0: after `a` of `b` pages), points past the end (1: to page `a`) or loops (2: back to page `a`) */
@external("walk", "chainBroken") declare function chainBroken(why: i32, page: i32, cell: i32, a: f64, b: f64): void

/** walkKinds -- the kind codes the walk writes: of a page reached and not yet read, and of an overflow page (map.ts KIND); kindOfTypePtr's table gives the b-tree pages'. */
export function walkKinds(unknown: u8, overflow: u8): void {
  unknownKind = unknown
  overflowKind = overflow
}

@inline function claimable(page: u32): bool {
  return page >= 1 && page <= <u32>npages && load<u8>(lineKindAt + <usize>page) === UNREACHED
}

@inline function take(page: u32, kind: u8, owner: i32): void {
  store<u8>(lineKindAt + <usize>page, kind)
  store<i32>(lineOwnerAt + (<usize>page << 2), owner)
}

@inline function setLine(page: u32, cells: i32, free: i32, payload: i32): void {
  const at = <usize>page << 2
  store<i32>(lineCellsAt + at, cells)
  store<i32>(lineFreeAt + at, free)
  store<i32>(linePayloadAt + at, payload)
}

/** push -- a child to visit: page `page`, reached from cell `cell` of `parent`. */
export function push(page: u32, parent: i32, cell: i32): void {
  if (stackLen + 3 > stackCap) {
    const old = stackAt
    stackCap *= 2
    stackAt = alloc(<usize>stackCap << 2)
    memory.copy(stackAt, old, <usize>stackLen << 2)
  }
  const at = stackAt + (<usize>stackLen << 2)
  store<u32>(at, page)
  store<i32>(at + 4, parent)
  store<i32>(at + 8, cell)
  stackLen += 3
}

/** reverseFrom -- the triples pushed since `mark` in the opposite order, so the walk visits a page's children in cell order. */
function reverseFrom(mark: i32): void {
  let i = mark
  let j = stackLen - 3
  while (i < j) {
    for (let k = 0; k < 3; k++) {
      const a = stackAt + (<usize>(i + k) << 2)
      const b = stackAt + (<usize>(j + k) << 2)
      const t = load<i32>(a)
      store<i32>(a, load<i32>(b))
      store<i32>(b, t)
    }
    i += 3
    j -= 3
  }
}

/** tree -- claim the b-tree rooted at `root` for owner code `owner`. */
export function tree(root: u32, owner: i32): void {
  stackLen = 0
  push(root, 0, ROOT)
  while (stackLen > 0) {
    stackLen -= 3
    const at = stackAt + (<usize>stackLen << 2)
    const page = load<u32>(at)
    const parent = load<i32>(at + 4)
    const cell = load<i32>(at + 8)
    if (!claimable(page)) {
      refused(page, parent, cell, owner)
      continue
    }
    take(page, unknownKind, owner)
    const mark = stackLen
    const slot = <usize>page
    const type = load<u8>(typeAt + slot)
    if (load<u8>(cleanAt + slot) === 1 && type !== 0) {
      store<u8>(lineKindAt + slot, load<u8>(kindOfTypeAt + <usize>type))
      setLine(page, load<i32>(cellsAt + (slot << 2)), load<i32>(unusedAt + (slot << 2)), load<i32>(payloadAt + (slot << 2)))
      const first = load<i32>(childStartAt + (slot << 2))
      const last = load<i32>(childStartAt + ((slot + 1) << 2)) - 1
      for (let k = first; k <= last; k++) push(load<u32>(childAt + (<usize>k << 2)), <i32>page, k === last ? RIGHT_MOST : k - first)
      const ovEnd = load<i32>(ovStartAt + ((slot + 1) << 2))
      for (let k = load<i32>(ovStartAt + (slot << 2)); k < ovEnd; k++) {
        const o = <usize>k
        chain(owner, <i32>page, load<i32>(ovCellAt + (o << 2)), load<u32>(ovFirstAt + (o << 2)), load<f64>(ovPayloadAt + (o << 3)), load<i32>(ovLocalAt + (o << 2)))
      }
    } else {
      parsed(page, owner)
    }
    reverseFrom(mark)
  }
}

/** chain -- claim the overflow chain of cell `cell` of `page` for `owner`: payload P, `local` bytes of it on the page, the rest from page `first` on. */
export function chain(owner: i32, page: i32, cell: i32, first: u32, P: f64, local: i32): void {
  const per = <f64>perPage
  const rest = P - <f64>local
  const expected = Math.ceil(rest / per)
  const lastUsed = rest - (expected - 1) * per
  const id = ++chains
  let next = first
  for (let i: f64 = 0; i < expected; i++) {
    if (next === 0) {
      chainBroken(0, page, cell, i, expected)
      return
    }
    if (next > <u32>npages) {
      chainBroken(1, page, cell, <f64>next, 0)
      return
    }
    const slot = <usize>next
    if (load<i32>(chainOfAt + (slot << 2)) === id) {
      chainBroken(2, page, cell, <f64>next, 0)
      return
    }
    if (!claimable(next)) {
      chainRefused(next, page, cell)
      return
    }
    take(next, overflowKind, owner)
    store<i32>(chainOfAt + (slot << 2), id)
    if (i === expected - 1) setLine(next, 0, <i32>(per - lastUsed), <i32>lastUsed)
    else setLine(next, 0, 0, perPage)
    next = load<u32>(first4At + (slot << 2))
  }
}

// Where the map's columns lie, for the views summary.ts makes over this memory.
export function lineKindPtr(): usize { return lineKindAt }
export function lineOwnerPtr(): usize { return lineOwnerAt }
export function lineCellsPtr(): usize { return lineCellsAt }
export function lineFreePtr(): usize { return lineFreeAt }
export function linePayloadPtr(): usize { return linePayloadAt }
export function kindOfTypePtr(): usize { return kindOfTypeAt }
