/**
 * page -- one page for people: a header line (page, offset, frame, pins, dirty), then its bytes
 * in hexy's rows (or as `hexdump -C` prints them, --format hexdump). `get`, `dump PGNO` and
 * `dump --file` all show pages this way.
 */
import {pageName} from './decoded.js'
import {renderHex, type ByteRange, type HexLayout} from './hex.js'
import type {Palette} from './palette.js'

/** A page as the verbs report it: JSON-safe, its bytes as lower-case hex. */
export interface PageResult {
  pgno: number
  /** pgno × pagesize: where the page starts in the file */
  offset: number
  pagesize: number
  /** whether the pool holds the page in a frame (false: read from the file, or no pool at all) */
  cached: boolean
  /** the frame holding it, -1 if not cached */
  frame: number
  pins: number
  dirty: boolean
  /** the page's bytes, two hex digits a byte */
  hex: string
  /** the file's page format, when it has one (sqlite, berkeleydb, postgresql) */
  format?: string
  /** the format's own number of the page (SQLite: pgno + 1), when the file has a format */
  page?: number
  /** with --offset/--length: the bytes shown, [start, end) within the page; `hex` holds only those */
  window?: {start: number; end: number}
}

/** Where a page is held, as a peek reports it; null for a page read from a file with no pool. */
export interface PageHeld {
  cached: boolean
  frame: number
  pins: number
  dirty: boolean
}

/**
 * pageResult -- the JSON-safe report of page `pgno` whose bytes are `bytes`, held as `held` says;
 * with the file's format, the format's own page number beside pgno.
 *
 * `hex` is made when first read (JSON.stringify and the renderers read it; a script run with
 * `repl --quiet` never does): a page's hex is 2 bytes of string a byte, and making it for nobody
 * was a third of a piped script's time. It is made from `bytes` themselves, which must be the
 * caller's own and stay as they are (every caller passes a copy it was just given: a handle's
 * get or peek, a read of the file); a copy here was one more 4 KiB buffer for the collector per get.
 */
export function pageResult(pgno: number, bytes: Buffer, held: PageHeld | null, format?: {format: string; firstPage: number} | null, window?: {start: number; end: number} | null): PageResult {
  const state = held ?? {cached: false, frame: -1, pins: 0, dirty: false}
  const result = {pgno, offset: pgno * bytes.length, pagesize: bytes.length, cached: state.cached, frame: state.frame, pins: state.pins, dirty: state.dirty} as PageResult
  const shown = window === undefined || window === null ? bytes : bytes.subarray(window.start, window.end)
  if (window !== undefined && window !== null) result.window = {start: window.start, end: window.end}
  let hex: string | undefined
  Object.defineProperty(result, 'hex', {enumerable: true, configurable: true, get: () => (hex ??= shown.toString('hex'))})
  if (format !== undefined && format !== null) {
    result.format = format.format
    result.page = pgno + format.firstPage
  }
  MADE_HERE.add(result)
  return result
}

/** The results pageResult made: their `hex` is Buffer.toString('hex'), lower-case hex digits that JSON never escapes. */
const MADE_HERE = new WeakSet<object>()

/** What a page's `hex` becomes when it is held out of JSON.stringify: the place it goes back in. */
const HEX_HOLE = '"hex":""'

/**
 * jsonLine -- JSON.stringify(value), the same text to the character, made faster for the pages
 * pageResult made (one, or an array of them, as `get A-B` gives): their hex, 8192 characters for
 * a 4 KiB page, is put in as it is instead of passing through the serializer's check of every
 * character for escaping, which was the largest single cost of a `repl --json` get. Anything
 * else, or a page whose text holds the hole more than once, is JSON.stringify's own work.
 */
export function jsonLine(value: unknown): string {
  if (Array.isArray(value) && value.length > 0 && value.every((item) => MADE_HERE.has(item as object))) {
    return `[${value.map((page: PageResult) => pageJson(page)).join(',')}]`
  }
  return typeof value === 'object' && value !== null && MADE_HERE.has(value) ? pageJson(value as PageResult) : JSON.stringify(value)
}

/** pageJson -- one page's JSON: the rest through JSON.stringify with hex empty, then hex put in between its quotes. */
function pageJson(page: PageResult): string {
  const {hex} = page
  const text = JSON.stringify({...page, hex: ''})
  const at = text.indexOf(HEX_HOLE)
  if (at === -1 || at !== text.lastIndexOf(HEX_HOLE)) return JSON.stringify(page)
  const cut = at + HEX_HOLE.length - 1
  return text.slice(0, cut) + hex + text.slice(cut)
}

/** pageHeader -- `page 7 at offset 28672 (0x7000): frame 3, pins 1, dirty`; in a format, `pgno 4 = SQLite page 5 at offset ...`. */
export function pageHeader(page: PageResult, palette: Palette | null, where?: string): string {
  const state: string[] = []
  if (page.cached) {
    state.push(`frame ${page.frame}`)
    state.push(page.pins > 0 && palette !== null ? palette.pinned(`pins ${page.pins}`) : `pins ${page.pins}`)
    state.push(page.dirty ? (palette === null ? 'dirty' : palette.warn('dirty')) : 'clean')
  } else {
    state.push(where ?? 'not cached (as on the file)')
  }
  const title = page.format === undefined || page.page === undefined ? `page ${page.pgno}` : pageName(page.pgno, page.format, page.page)
  const w = page.window
  const bytes = w === undefined ? '' : `; page offsets 0x${w.start.toString(16)}-0x${(w.end - 1).toString(16)} = file offsets 0x${(page.offset + w.start).toString(16)}-0x${(page.offset + w.end - 1).toString(16)}`
  return `${palette === null ? title : palette.heading(title)} at offset ${page.offset} (0x${page.offset.toString(16)}): ${state.join(', ')}${bytes}`
}

/** pageView -- the header and the hex view of a page (hexy's rows unless `layout` says hexdump); `changed` marks bytes that differ from the file. */
export function pageView(page: PageResult, palette: Palette | null, options: {changed?: readonly ByteRange[]; where?: string; layout?: HexLayout} = {}): string {
  const bytes = Buffer.from(page.hex, 'hex')
  const ranges = options.changed
  const changed = ranges === undefined ? undefined : (index: number) => ranges.some((r) => index >= r.start && index < r.end)
  const hex = renderHex(bytes, {offset: page.offset + (page.window?.start ?? 0), palette, layout: options.layout ?? 'hexy', ...(changed === undefined ? {} : {changed})})
  return `${pageHeader(page, palette, options.where)}\n${hex}`
}
