/**
 * map-json -- the lines of `map --json` written from a page map's columns (map-json.ts), in
 * AssemblyScript, compiled to WebAssembly by `npm run build` (scripts/build-wasm.mjs).
 *
 * Why WebAssembly: a 68k-page map is 7 MB of text, written in one pass once per run; in
 * JavaScript that pass spent most of its time in V8's interpreter before it was optimized
 * (README, "Benchmark"). This runs at full speed from the first line.
 *
 * What it knows: nothing of JSON but digits. Every other byte comes from JavaScript as a table
 * of texts (`text`: the fixed pieces, then each kind's and each owner's JSON, already escaped
 * and UTF-8), so escaping stays in one place, JSON.stringify. A chunk of pages is written at a
 * time: the caller puts each page's codes and counts in the column slots (`column`), calls
 * `lines`, and copies the bytes out of `out`.
 *
 * Memory: laid out once by `start` with common/assembly/heap.ts; nothing is freed.
 */

import {alloc, resetHeap} from '../common/assembly/heap'

/** The count code for a count the format does not give: written as null. */
const NO_COUNT: i32 = -0x80000000

// The fixed pieces' indices in the text table (map-json.ts FIXED, in this order).
const OPEN = 0 // \n{"page":
const PGNO = 1 // ,"pgno":
const KIND = 2 // ,"kind":
const OWNER = 3 // ,"owner":
const CELLS = 4 // ,"cells":
const FREE = 5 // ,"free":
const PAYLOAD = 6 // ,"payload":
const CLOSE = 7 // },
const NULL = 8 // null
const FIXED = 9

let kinds: i32 = 0
let textAt: usize = 0
let textOffAt: usize = 0
let textLenAt: usize = 0
let kindAt: usize = 0
let ownerAt: usize = 0
let cellsAt: usize = 0
let freeAt: usize = 0
let payloadAt: usize = 0
let outAt: usize = 0

/** start -- lay out memory: `textBytes` of texts in `texts` pieces (FIXED, then `kindCount` kinds, then the owners), columns for `chunk` pages, `outBytes` of output. */
export function start(textBytes: i32, texts: i32, kindCount: i32, chunk: i32, outBytes: i32): void {
  resetHeap()
  kinds = kindCount
  textAt = alloc(<usize>textBytes)
  textOffAt = alloc(<usize>texts << 2)
  textLenAt = alloc(<usize>texts << 2)
  const n = <usize>chunk
  kindAt = alloc(n)
  ownerAt = alloc(n << 2)
  cellsAt = alloc(n << 2)
  freeAt = alloc(n << 2)
  payloadAt = alloc(n << 2)
  outAt = alloc(<usize>outBytes)
}

/**
 * piece -- text `index` copied to `at`: the offset after it. It copies 8 bytes at a time and may
 * write up to 7 bytes past the piece, which the next write covers (`out` has room for them):
 * the pieces are short, and a byte loop spent most of the writer's time on them.
 */
@inline function piece(at: usize, index: i32): usize {
  const from = textAt + <usize>load<i32>(textOffAt + (<usize>index << 2))
  const length = <usize>load<i32>(textLenAt + (<usize>index << 2))
  for (let i: usize = 0; i < length; i += 8) store<u64>(at + i, load<u64>(from + i))
  return at + length
}

/** div10 -- n / 10 for a u32 n, by the reciprocal: a multiply, where WebAssembly's baseline compiler makes a division of every `/ 10`. */
@inline function div10(n: u32): u32 {
  return <u32>((<u64>n * 0xcccccccd) >> 35)
}

/** digitsOf -- how many decimal digits u32 n takes. */
@inline function digitsOf(n: u32): usize {
  if (n < 100000) return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : 5
  return n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10
}

function int(at: usize, value: i32): usize {
  let n: u32
  if (value < 0) {
    store<u8>(at++, 0x2d) // -
    n = <u32>(-(<i64>value))
  } else {
    n = <u32>value
  }
  const digits = digitsOf(n)
  for (let i = at + digits - 1; i >= at; i--) {
    const q = div10(n)
    store<u8>(i, <u8>(0x30 + n - q * 10))
    n = q
  }
  return at + digits
}

@inline function count(at: usize, value: i32): usize {
  return value === NO_COUNT ? piece(at, NULL) : int(at, value)
}

/** lines -- the lines of the `n` pages in the column slots, the first being page `page` at pgno `pgno`, written at `out`: the bytes written. */
export function lines(page: i32, pgno: i32, n: i32): i32 {
  let at = outAt
  for (let i = 0; i < n; i++) {
    const slot = <usize>i
    at = piece(at, OPEN)
    at = int(at, page + i)
    at = piece(at, PGNO)
    at = int(at, pgno + i)
    at = piece(at, KIND)
    at = piece(at, FIXED + <i32>load<u8>(kindAt + slot))
    at = piece(at, OWNER)
    const owner = load<i32>(ownerAt + (slot << 2))
    at = owner < 0 ? piece(at, NULL) : piece(at, FIXED + kinds + owner)
    at = piece(at, CELLS)
    at = count(at, load<i32>(cellsAt + (slot << 2)))
    at = piece(at, FREE)
    at = count(at, load<i32>(freeAt + (slot << 2)))
    at = piece(at, PAYLOAD)
    at = count(at, load<i32>(payloadAt + (slot << 2)))
    at = piece(at, CLOSE)
  }
  return <i32>(at - outAt)
}

// Where each part lies, for the views map-json.ts makes over this memory.
export function textPtr(): usize { return textAt }
export function textOffPtr(): usize { return textOffAt }
export function textLenPtr(): usize { return textLenAt }
export function kindPtr(): usize { return kindAt }
export function ownerPtr(): usize { return ownerAt }
export function cellsPtr(): usize { return cellsAt }
export function freePtr(): usize { return freeAt }
export function payloadPtr(): usize { return payloadAt }
export function outPtr(): usize { return outAt }
