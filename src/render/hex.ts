/*
 * hex -- page bytes as `hexdump -C` prints them, coloured by byte class when colour is on.
 *
 * Policy, each in a sentence:
 *  - Layout is exactly `hexdump -C -s OFFSET -n LENGTH FILE`: offsets are file offsets
 *    (pgno × pagesize + i), at least 8 hex digits; 16 bytes a row in two groups of 8; the
 *    printable ASCII column between bars; a row equal to the one before is squeezed to one `*`;
 *    the last line is the offset just past the end. With no palette the text is byte for byte
 *    what hexdump prints, so people can diff and grep it.
 *  - With a palette only escapes are added: each byte, in both columns, takes its class's
 *    colour (hexyl's classes); stripping the escapes gives the plain text back.
 *  - Changed bytes (dump --diff) are never squeezed away: with colour they are highlighted, and
 *    without it a marker line of `^^` under the hex and `^` under the ASCII follows their row.
 *
 * Why not hexy: it formats a buffer, but cannot squeeze rows, colour single bytes or reproduce
 * hexdump's two-group layout with the ASCII column between bars, and matching `hexdump -C` is
 * what lets people diff and grep our output. So the rows are made here, and this one renderer
 * serves get, dump and the REPL's hex pane.
 */
import {byteClass, type Palette} from './palette.js'

const ROW = 16
const HALF = 8

export interface HexOptions {
  /** the file offset of byte 0 (pgno × pagesize); default 0 */
  offset?: number
  /** colours, or null/undefined for plain `hexdump -C` text */
  palette?: Palette | null
  /** which bytes differ from the file (dump --diff): index → true */
  changed?: (index: number) => boolean
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

/**
 * hexDump -- the lines of a hex view of `bytes`, without a trailing newline. An empty input
 * gives an empty string, as hexdump prints nothing for an empty file.
 */
export function hexDump(bytes: Uint8Array, options: HexOptions = {}): string {
  const base = options.offset ?? 0
  const palette = options.palette ?? null
  const changed = options.changed
  if (bytes.length === 0) return ''
  const lines: string[] = []
  let squeezing = false
  for (let start = 0; start < bytes.length; start += ROW) {
    const length = Math.min(ROW, bytes.length - start)
    const rowChanged = changed !== undefined && rowHasChange(changed, start, length)
    const repeats = start > 0 && length === ROW && !rowChanged && !lastRowChanged(changed, start) && sameRow(bytes, start, start - ROW)
    if (repeats) {
      if (!squeezing) lines.push('*')
      squeezing = true
      continue
    }
    squeezing = false
    const address = hexOffset(base + start)
    let hex = ''
    let ascii = ''
    let marks = ''
    let asciiMarks = ''
    for (let i = 0; i < ROW; i++) {
      if (i === HALF) {
        hex += ' '
        marks += ' '
      }
      if (i >= length) {
        hex += '   '
        marks += '   '
        continue
      }
      const byte = bytes[start + i]
      const isChanged = changed !== undefined && changed(start + i)
      let h = byte.toString(16).padStart(2, '0')
      let a = printable(byte)
      if (palette !== null) {
        const paint = isChanged ? palette.changed : palette.byte[byteClass(byte)]
        h = paint(h)
        a = paint(a)
      }
      hex += `${h} `
      ascii += a
      marks += isChanged ? '^^ ' : '   '
      asciiMarks += isChanged ? '^' : ' '
    }
    lines.push(`${palette === null ? address : palette.dim(address)}  ${hex} |${ascii}|`)
    if (rowChanged && palette === null) {
      lines.push(`${' '.repeat(address.length)}  ${marks}  ${asciiMarks}`.trimEnd())
    }
  }
  const end = hexOffset(base + bytes.length)
  lines.push(palette === null ? end : palette.dim(end))
  return lines.join('\n')
}

function rowHasChange(changed: (index: number) => boolean, start: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (changed(start + i)) return true
  return false
}

/** A row after a changed row is printed, not squeezed: its `*` would hide where the change ends. */
function lastRowChanged(changed: ((index: number) => boolean) | undefined, start: number): boolean {
  return changed !== undefined && start >= ROW && rowHasChange(changed, start - ROW, ROW)
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
