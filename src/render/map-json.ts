/**
 * map-json -- `map --json`: the page map as one JSON document with one page a line,
 *
 *   {"format":"sqlite","pagesize":4096,"pages":[
 *   {"page":1,"pgno":0,"kind":"table-leaf","owner":"sqlite_schema","cells":2,"free":3845,"payload":135},
 *   ...
 *   ],"problems":[
 *   {"offset":0,"message":"..."}
 *   ]}
 *
 * so that `grep` and `head` work on it line by line and a 68k-page map is 7 MB, not the 11 MB
 * the two-space indent made. Each line is the text JSON.stringify gives its entry.
 *
 * Policy: a map kept as columns (page-columns.ts: SQLite) is written straight from them, with each
 * kind and owner escaped once, not once a page, and no object made per page; any other map's
 * lines are JSON.stringify's of its entries. `explain` (--explain) goes last, on one line. The
 * document comes back as UTF-8 pieces, written in turn, never copied into one string or buffer.
 */
import type {PageColumns, PageMap} from '../formats/types.js'
import {MAP_JSON_WASM} from './map-json.wasm.js'

/** mapJson -- the JSON text of `map`, with --explain's phrases where given: its UTF-8 bytes, in pieces, in order (not copied into one). */
export function mapJson(map: PageMap, explain?: readonly string[]): Buffer[] {
  const head = `{"format":${JSON.stringify(map.format)},"pagesize":${map.pagesize},"pages":[`
  const pages = map.columns === undefined ? [Buffer.from(listed(map.pages.map((e) => JSON.stringify(e))))] : columnLines(map.columns)
  const problems = listed(map.problems.map((p) => JSON.stringify(p)))
  const tail = `,"problems":[${problems}${explain === undefined ? '' : `,"explain":${JSON.stringify(explain)}`}}`
  return [Buffer.from(head), ...pages, Buffer.from(tail)]
}

/** listed -- JSON texts as the elements of an array, one a line, the array's `]` on a line of its own (just `]` for none). */
function listed(lines: readonly string[]): string {
  return lines.length === 0 ? ']' : `\n${lines.join(',\n')}\n]`
}

/** The pieces of every line, in the order map-json.as.ts numbers them (OPEN .. NULL). */
const FIXED = ['\n{"page":', ',"pgno":', ',"kind":', ',"owner":', ',"cells":', ',"free":', ',"payload":', '},', 'null']

/** The most bytes an int32 takes as decimal text (-2147483648). */
const INT_DIGITS = 11

/** The bytes of output one call of the writer makes at most: large enough to make few blocks. */
const BLOCK_BYTES = 1 << 20

/** What map-json.as.ts exports. */
interface MapJsonExports {
  memory: WebAssembly.Memory
  start(textBytes: number, texts: number, kinds: number, chunk: number, outBytes: number): void
  lines(page: number, pgno: number, n: number): number
  textPtr(): number
  textOffPtr(): number
  textLenPtr(): number
  kindPtr(): number
  ownerPtr(): number
  cellsPtr(): number
  freePtr(): number
  payloadPtr(): number
  outPtr(): number
}

let compiled: WebAssembly.Module | undefined

/**
 * columnLines -- the lines of `columns` as listed lays them out (the elements, then `]`), in
 * blocks of bytes, written by map-json.as.ts a chunk of pages at a time: this side escapes each
 * kind and owner once (JSON.stringify) and hands the writer the texts and the columns; the
 * writer makes no string and no object per page.
 */
function columnLines(columns: PageColumns): Buffer[] {
  const texts = [...FIXED, ...columns.kindNames.map((k) => JSON.stringify(k)), ...columns.ownerNames.map((o) => JSON.stringify(o))].map((t) => Buffer.from(t))
  const longest = (from: number, to: number): number => texts.slice(from, to).reduce((most, t) => Math.max(most, t.length), 0)
  const kinds = columns.kindNames.length
  const lineBytes = texts.slice(0, FIXED.length).reduce((sum, t) => sum + t.length, 0) + longest(FIXED.length, FIXED.length + kinds) + longest(FIXED.length + kinds, texts.length) + 5 * INT_DIGITS
  const chunk = Math.max(1, Math.floor(BLOCK_BYTES / lineBytes))
  const textBytes = texts.reduce((sum, t) => sum + t.length, 0)

  compiled ??= new WebAssembly.Module(Buffer.from(MAP_JSON_WASM, 'base64'))
  const w = new WebAssembly.Instance(compiled).exports as unknown as MapJsonExports
  // 8 bytes of room past the texts and the output: the writer copies 8 at a time (map-json.as.ts piece)
  w.start(textBytes + 8, texts.length, kinds, chunk, chunk * lineBytes + 8)
  const {buffer} = w.memory
  const offsets = new Int32Array(buffer, w.textOffPtr(), texts.length)
  const lengths = new Int32Array(buffer, w.textLenPtr(), texts.length)
  const text = new Uint8Array(buffer, w.textPtr(), textBytes)
  let at = 0
  texts.forEach((t, i) => {
    text.set(t, at)
    offsets[i] = at
    lengths[i] = t.length
    at += t.length
  })
  const kind = new Uint8Array(buffer, w.kindPtr(), chunk)
  const owner = new Int32Array(buffer, w.ownerPtr(), chunk)
  const cells = new Int32Array(buffer, w.cellsPtr(), chunk)
  const free = new Int32Array(buffer, w.freePtr(), chunk)
  const payload = new Int32Array(buffer, w.payloadPtr(), chunk)
  const out = w.outPtr()

  const blocks: Buffer[] = []
  const {first, count} = columns
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(chunk, count - done)
    const from = first + done
    kind.set(columns.kind.subarray(from, from + n))
    owner.set(columns.owner.subarray(from, from + n))
    cells.set(columns.cells.subarray(from, from + n))
    free.set(columns.free.subarray(from, from + n))
    payload.set(columns.payload.subarray(from, from + n))
    const bytes = w.lines(from, done, n)
    // the last line's comma is dropped: the newline before the closing bracket follows it
    blocks.push(Buffer.from(new Uint8Array(buffer, out, done + n === count ? bytes - 1 : bytes)))
  }
  blocks.push(Buffer.from(count === 0 ? ']' : '\n]'))
  return blocks
}
