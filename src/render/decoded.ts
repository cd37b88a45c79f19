/**
 * decoded -- a decoded page for people, one line per field as SQLite's showdb prints its decode
 * lines: the file offset, the raw bytes, the field's name, its value and what it means; then
 * the items (cells, tuples) one block each; then the problems. Also the `--decode --diff` list.
 *
 * Policy: raw bytes are shown up to RAW_SHOWN bytes (then `..`), values as JSON would have them
 * but strings unquoted when they are plain words; the columns are padded before colour is added
 * (the field's region colour on the name), so plain output lines up for grep and awk.
 */
// The light parts of formats only (choose, diff, types): the decoders load when a page is decoded.
import {formatTitle} from '../formats/choose.js'
import {itemLabel, type FieldChange} from '../formats/diff.js'
import type {DecodedField, DecodedPage, FieldValue} from '../formats/types.js'
import type {Palette} from './palette.js'

const RAW_SHOWN = 8

/** pageName -- `pgno 4 = SQLite page 5`: mpool's number beside the format's. */
export function pageName(pgno: number, format: string | null, formatPage: number): string {
  if (format === null) return `pgno ${pgno}`
  return `pgno ${pgno} = ${formatTitle(format)} page ${formatPage}`
}


/** valueText -- a field value for a decode line. */
export function valueText(value: FieldValue): string {
  if (value === null) return '-'
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'string') return JSON.stringify(value)
  return String(value)
}

/** Each byte's two hex digits, made once: a leaf page's decode has thousands of raw columns. */
const HEX_BYTE = Array.from({length: 256}, (_, byte) => byte.toString(16).padStart(2, '0'))

/** rawText -- `shown` bytes from page[start] as hex pairs with a space between (`0d 00 00`); a one-byte field's is made once for all. */
function rawText(page: Buffer, start: number, shown: number): string {
  if (shown === 0) return ''
  let raw = HEX_BYTE[page[start]!]!
  for (let i = 1; i < shown; i++) raw += ` ${HEX_BYTE[page[start + i]!]!}`
  return raw
}

/** rawShown -- how many bytes a field's raw column shows; `start` is where it starts in the page. */
function rawShown(page: Buffer, start: number, f: DecodedField): number {
  return Math.max(0, Math.min(f.length, RAW_SHOWN, page.length - start))
}

/** Runs of spaces by length, made once: the columns are padded with them, not with a padStart/padEnd per field. */
const PADS = Array.from({length: 65}, (_, n) => ' '.repeat(n))

/** pad -- `n` spaces (none for n <= 0). */
function pad(n: number): string {
  return n <= 0 ? '' : n < PADS.length ? PADS[n]! : ' '.repeat(n)
}

/**
 * A decode line's pieces, in order: `INDENT OFFPAD 0x OFF  RAW RAWMORE RAWPAD  NAME NAMEPAD  VALUE GAP MEANING`.
 * One array serves every line of a page and is joined into each: a line costs one string, not
 * one per `+` of a template. The fixed pieces (`0x`, the gaps) are set once.
 */
const LINE = ['', '', '0x', '', '  ', '', '', '', '', '', '', '', '']
const AT = {indent: 0, offPad: 1, off: 3, raw: 5, rawMore: 6, rawPad: 7, name: 8, namePad: 9, value: 10, gap: 11, meaning: 12} as const

/**
 * fieldLines -- one decode line per field, pushed onto `lines`, the columns padded to their widest
 * in `fields`. This is the hot loop of a decode (a leaf page has thousands of fields) and a
 * command ends before V8 optimizes it, so it does the least work per field it can: the widths are
 * counted first from numbers, and each line is joined from its pieces in one go.
 */
function fieldLines(lines: string[], fields: readonly DecodedField[], page: Buffer, pageOffset: number, indent: string, palette: Palette | null): void {
  let maxOffset = 0
  let rawWidth = 0
  let nameWidth = 0
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    if (f.offset > maxOffset) maxOffset = f.offset
    const shown = rawShown(page, f.offset - pageOffset, f)
    const raw = (shown === 0 ? 0 : 3 * shown - 1) + (f.length > shown ? 3 : 0)
    if (raw > rawWidth) rawWidth = raw
    if (f.name.length > nameWidth) nameWidth = f.name.length
  }
  // offsets are not negative, so the widest is the largest's
  const offWidth = maxOffset.toString(16).length
  if (rawWidth > RAW_SHOWN * 3 + 2) rawWidth = RAW_SHOWN * 3 + 2
  const line = LINE
  line[AT.indent] = indent
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    const off = f.offset.toString(16)
    const start = f.offset - pageOffset
    const shown = rawShown(page, start, f)
    const more = f.length > shown
    const raw = rawText(page, start, shown)
    line[AT.offPad] = pad(offWidth - off.length)
    line[AT.off] = off
    line[AT.raw] = raw
    line[AT.rawMore] = more ? ' ..' : ''
    line[AT.rawPad] = pad(rawWidth - raw.length - (more ? 3 : 0) + 2)
    // with colour, a field's name takes its region's colour: the colour of its bytes in the hex view below
    if (palette === null) {
      line[AT.name] = f.name
      line[AT.namePad] = pad(nameWidth - f.name.length + 2)
    } else {
      line[AT.name] = palette.region[f.region](f.name + pad(nameWidth - f.name.length))
      line[AT.namePad] = '  '
    }
    line[AT.value] = valueText(f.value)
    line[AT.gap] = f.meaning === undefined ? '' : '  '
    line[AT.meaning] = f.meaning === undefined ? '' : palette === null ? f.meaning : palette.dim(f.meaning)
    lines.push(line.join('').trimEnd())
  }
}

/**
 * decodedView -- the decode lines of a page: a title (`pgno 4 = SQLite page 5: table-leaf of t`), the
 * page's fields, each item, the problems. `page` is the page's bytes, for the raw column.
 */
export function decodedView(decoded: DecodedPage, page: Buffer, palette: Palette | null): string {
  const pageOffset = decoded.pgno * page.length
  const title = `${pageName(decoded.pgno, decoded.format, decoded.page)}: ${decoded.kind}${typeof decoded.owner === 'string' ? ` of ${decoded.owner}` : ''}`
  const lines = [palette === null ? title : palette.heading(title)]
  fieldLines(lines, decoded.fields, page, pageOffset, '  ', palette)
  const label = itemLabel(decoded)
  for (let i = 0; i < decoded.items.length; i++) {
    const item = decoded.items[i]!
    lines.push(`  ${label} ${item.index} at 0x${item.offset.toString(16)}, ${item.length} bytes`)
    fieldLines(lines, item.fields, page, pageOffset, '    ', palette)
  }
  if (decoded.problems.length === 0) lines.push('  no problems')
  for (const p of decoded.problems) {
    const line = `  problem${p.offset === null ? '' : ` at 0x${p.offset.toString(16)}`}: ${p.message}`
    lines.push(palette === null ? line : palette.warn(line))
  }
  return lines.join('\n')
}

/** changesView -- `--decode --diff`: each changed field, from what to what, or that none did. */
export function changesView(changes: readonly FieldChange[], palette: Palette | null): string {
  if (changes.length === 0) return 'no decoded field differs from the file'
  const lines = [`${changes.length} field${changes.length === 1 ? '' : 's'} differ${changes.length === 1 ? 's' : ''} from the file:`]
  for (const c of changes) {
    const where = `0x${c.offset.toString(16)}`
    const what = c.absent === 'before' ? `new: ${valueText(c.to)}` : c.absent === 'after' ? `gone (was ${valueText(c.from)})` : `${valueText(c.from)} -> ${valueText(c.to)}`
    const line = `  ${where}  ${c.name}: ${what}`
    lines.push(palette === null ? line : `  ${where}  ${palette.heading(c.name)}: ${what}`)
  }
  return lines.join('\n')
}
