/**
 * hex -- page bytes for people, in one of two layouts, squeezed, coloured and marked the same way.
 *
 * Layouts (`--format`):
 *
 *   hexy     (the default) the rows hexy formats: `00001000: 53 51 4c 69 ...   SQLite format 3.`
 *   hexdump  exactly `hexdump -C -s OFFSET -n LENGTH FILE`: two groups of 8, the ASCII column
 *            between bars; with no palette the text is byte for byte what hexdump prints, so
 *            people can diff and grep it
 *
 * Policy, each in a sentence:
 *  - hexy formats the hex and ASCII of every `hexy` row (the project's user asked for it by name);
 *    everything else is done around its output, never inside a copy of it: the address, the
 *    squeezing, the colours and the diff marks. hexy is asked for no address because its own
 *    stops at 8 hex digits (it throws past 4 GiB); ours is the file offset, at least 8 digits.
 *  - Offsets are file offsets (pgno × pagesize + i), in both layouts.
 *  - A row equal to the one before is squeezed to one `*` (as hexdump does); the last line is the
 *    offset just past the end, so a squeezed run's end is always shown.
 *  - Colour only adds escapes: stripping them gives the plain text back. Each byte, in both
 *    columns, takes its decoded field's region colour when regions are given (a legend names
 *    them), else its byte class's colour (hexyl's classes).
 *  - Changed bytes (`--diff`) are never squeezed away, nor the row after them: with colour they
 *    are highlighted, without it a marker line of `^^` under the hex and `^` under the ASCII
 *    follows their row.
 */
import {hexy} from 'hexy'
import type {DecodedPage, Region} from '../formats/types.js'
import {byteClass, type Palette} from './palette.js'

const ROW = 16
const HALF = 8

/** The hex view layouts, as `--format` names them. */
export const HEX_LAYOUTS = ['hexy', 'hexdump'] as const
export type HexLayout = (typeof HEX_LAYOUTS)[number]

/** A run of bytes of one decoded region: [start, end) within the bytes shown. */
export interface RegionSpan {
  start: number
  end: number
  region: Region
}

export interface HexOptions {
  /** the file offset of byte 0 (pgno × pagesize); default 0 */
  offset?: number
  /** default `hexy` */
  layout?: HexLayout
  /** colours, or null/undefined for plain text */
  palette?: Palette | null
  /** which bytes differ from the file (dump --diff): index → true */
  changed?: (index: number) => boolean
  /** the decoded fields' regions, coloured when there is a palette; later spans win where they overlap */
  regions?: readonly RegionSpan[]
}

/** hexOffset -- an offset as hexdump writes it: lower-case hex, at least 8 digits. */
export function hexOffset(offset: number): string {
  return offset.toString(16).padStart(8, '0')
}

function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.'
}

function sameRow(bytes: Uint8Array, a: number, b: number): boolean {
  for (let i = 0; i < ROW; i++) if (bytes[a + i] !== bytes[b + i]) return false
  return true
}

function rowHasChange(changed: (index: number) => boolean, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (changed(start + i)) return true
  return false
}

/** What a row formatter is given: where the row is, and how to paint and mark one byte. */
interface RowContext {
  bytes: Uint8Array
  start: number
  length: number
  /** the text of byte i painted (or as it is, with no palette) */
  paint: (index: number, text: string) => string
  isChanged: (index: number) => boolean
}

/** One formatted row after its address, and its marker line (spaces and carets, same columns) for changed bytes. */
interface Row {
  line: string
  marks: string
}

/** What separates the address from the row in each layout. */
const SEPARATOR: Record<HexLayout, string> = {hexy: ': ', hexdump: '  '}

/** hexdumpRow -- one row exactly as `hexdump -C` prints it. */
function hexdumpRow(row: RowContext): Row {
  let hex = ''
  let ascii = ''
  let marks = ''
  let asciiMarks = ''
  for (let i = 0; i < ROW; i++) {
    if (i === HALF) {
      hex += ' '
      marks += ' '
    }
    if (i >= row.length) {
      hex += '   '
      marks += '   '
      continue
    }
    const index = row.start + i
    const byte = row.bytes[index]!
    hex += `${row.paint(index, byte.toString(16).padStart(2, '0'))} `
    ascii += row.paint(index, printable(byte))
    marks += row.isChanged(index) ? '^^ ' : '   '
    asciiMarks += row.isChanged(index) ? '^' : ' '
  }
  return {line: `${hex} |${ascii}|`, marks: `${marks}  ${asciiMarks}`}
}

const HEX_PAIR = /[0-9a-f]{2}/g

/**
 * hexyRow -- one row as hexy formatted it (`text`: the hex pairs, its padding, a space, the
 * ASCII), each byte's two columns painted in place.
 */
function hexyRow(row: RowContext, text: string): Row {
  const asciiAt = text.length - row.length
  const hexPart = text.slice(0, asciiAt)
  let line = ''
  let marks = ''
  let last = 0
  let i = 0
  for (const match of hexPart.matchAll(HEX_PAIR)) {
    const at = match.index
    line += hexPart.slice(last, at)
    marks += ' '.repeat(at - last)
    const index = row.start + i++
    line += row.paint(index, match[0])
    marks += row.isChanged(index) ? '^^' : '  '
    last = at + 2
  }
  line += hexPart.slice(last)
  marks += ' '.repeat(hexPart.length - last)
  for (let j = 0; j < row.length; j++) {
    line += row.paint(row.start + j, text[asciiAt + j]!)
    marks += row.isChanged(row.start + j) ? '^' : ' '
  }
  return {line, marks}
}

/** regionIndex -- the region of every byte (later spans win), or null without regions. */
function regionIndex(length: number, spans: readonly RegionSpan[] | undefined): Array<Region | undefined> | null {
  if (spans === undefined || spans.length === 0) return null
  const regions = new Array<Region | undefined>(length)
  for (const span of spans) for (let i = Math.max(0, span.start); i < Math.min(length, span.end); i++) regions[i] = span.region
  return regions
}

/** hexyRows -- hexy's text of each row starting at `starts` (in order), from one call over just those rows. */
function hexyRows(bytes: Uint8Array, starts: readonly number[]): string[] {
  const rows = Buffer.concat(starts.map((start) => bytes.subarray(start, Math.min(start + ROW, bytes.length))))
  return hexy(rows, {bytesPerGroup: 1, showAddress: false}).split('\n')
}

/**
 * renderHex -- the lines of a hex view of `bytes`, without a trailing newline. An empty input
 * gives an empty string, as hexdump prints nothing for an empty file.
 */
export function renderHex(bytes: Uint8Array, options: HexOptions = {}): string {
  if (bytes.length === 0) return ''
  const base = options.offset ?? 0
  const palette = options.palette ?? null
  const changed = options.changed
  const isChanged = changed ?? (() => false)
  const regions = palette === null ? null : regionIndex(bytes.length, options.regions)
  const paint = (index: number, text: string): string => {
    if (palette === null) return text
    if (isChanged(index)) return palette.changed(text)
    const region = regions?.[index]
    return region === undefined ? palette.byte[byteClass(bytes[index]!)](text) : palette.region[region](text)
  }
  const plain = palette === null && changed === undefined
  const layout = options.layout ?? 'hexy'
  const separator = SEPARATOR[layout]
  // Which rows are shown: a row equal to the one before is squeezed, unless a change is in it or
  // in the row before. Decided first, so that hexy formats only the rows shown (a page of zeros
  // is two rows of hexy's work, not 256).
  const shown: number[] = []
  for (let start = 0; start < bytes.length; start += ROW) {
    const length = Math.min(ROW, bytes.length - start)
    const rowChanged = changed !== undefined && rowHasChange(changed, start, length)
    const afterChange = changed !== undefined && start >= ROW && rowHasChange(changed, start - ROW, ROW)
    const squeezed = start > 0 && length === ROW && !rowChanged && !afterChange && sameRow(bytes, start, start - ROW)
    if (!squeezed) shown.push(start)
  }
  const hexyLines = layout === 'hexdump' ? null : hexyRows(bytes, shown)
  const lines: string[] = []
  shown.forEach((start, i) => {
    if (start > 0 && shown[i - 1] !== start - ROW) lines.push('*')
    const length = Math.min(ROW, bytes.length - start)
    const rowChanged = changed !== undefined && rowHasChange(changed, start, length)
    const address = hexOffset(base + start)
    const context: RowContext = {bytes, start, length, paint, isChanged}
    // Plain and unmarked, a hexy row is hexy's text as it is: no byte to paint, no marks to line up.
    const row = hexyLines === null ? hexdumpRow(context) : plain ? {line: hexyLines[i]!, marks: ''} : hexyRow(context, hexyLines[i]!)
    lines.push(`${palette === null ? address : palette.dim(address)}${separator}${row.line}`)
    if (rowChanged && palette === null) lines.push(`${' '.repeat(address.length + separator.length)}${row.marks}`.trimEnd())
  })
  if (shown[shown.length - 1]! + ROW < bytes.length) lines.push('*')
  const end = hexOffset(base + bytes.length)
  lines.push(palette === null ? end : palette.dim(end))
  return lines.join('\n')
}

/** hexDump -- the `hexdump -C` layout of renderHex (kept by that name for its callers). */
export function hexDump(bytes: Uint8Array, options: Omit<HexOptions, 'layout'> = {}): string {
  return renderHex(bytes, {...options, layout: 'hexdump'})
}

/** regionSpans -- the regions of a decoded page's fields, page-relative, items after the page's fields (so an item's field wins). */
export function regionSpans(decoded: DecodedPage, pagesize: number): RegionSpan[] {
  const base = decoded.pgno * pagesize
  const spans: RegionSpan[] = []
  for (const field of [...decoded.fields, ...decoded.items.flatMap((item) => item.fields)]) {
    spans.push({start: field.offset - base, end: field.offset - base + field.length, region: field.region})
  }
  return spans
}

/** hexLegend -- one line naming each region shown, in its colour; empty without colour or regions. */
export function hexLegend(spans: readonly RegionSpan[], palette: Palette | null): string {
  if (palette === null || spans.length === 0) return ''
  const shown = [...new Set(spans.map((span) => span.region))]
  return `${palette.dim('regions:')} ${shown.map((region) => palette.region[region](region)).join(' ')}`
}

/**
 * decodedHex -- the hex view of a decoded page: with colour, each field's bytes in its region's
 * colour under a legend naming the regions; without colour, the plain rows.
 */
export function decodedHex(decoded: DecodedPage, bytes: Uint8Array, palette: Palette | null, layout: HexLayout = 'hexy'): string {
  // Regions only colour: without a palette they would be thousands of spans for nothing.
  const regions = palette === null ? [] : regionSpans(decoded, bytes.length)
  const hex = renderHex(bytes, {offset: decoded.pgno * bytes.length, palette, layout, regions})
  const legend = hexLegend(regions, palette)
  return legend === '' ? hex : `${legend}\n${hex}`
}

/** A run of bytes that differ: [start, end) within the page. */
export interface ByteRange {
  start: number
  end: number
}

/** changedRanges -- the runs of bytes where `a` and `b` differ, in order. */
export function changedRanges(a: Uint8Array, b: Uint8Array): ByteRange[] {
  const ranges: ByteRange[] = []
  const n = Math.max(a.length, b.length)
  let open = -1
  for (let i = 0; i <= n; i++) {
    const differs = i < n && a[i] !== b[i]
    if (differs && open < 0) open = i
    if (!differs && open >= 0) {
      ranges.push({start: open, end: i})
      open = -1
    }
  }
  return ranges
}
