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
  // numbers first: most of a page's values are, and the tests before them cost calls
  if (typeof value === 'number') return String(value)
  if (value === null) return '-'
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return value.join(', ')
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

/** rawShown -- how many of a field's `length` bytes its raw column shows, `room` bytes being left in the page from its start. */
function rawShown(length: number, room: number): number {
  const shown = length < RAW_SHOWN ? length : RAW_SHOWN
  return shown < room ? (shown < 0 ? 0 : shown) : room < 0 ? 0 : room
}

/** Runs of spaces by length, made once: the columns are padded with them, not with a padStart/padEnd per field. */
const PADS = Array.from({length: 65}, (_, n) => ' '.repeat(n))

/** pad -- `n` spaces (none for n <= 0). */
function pad(n: number): string {
  return n <= 0 ? '' : n < PADS.length ? PADS[n]! : ' '.repeat(n)
}

/**
 * fieldLines -- one decode line per field, pushed onto `lines`, the columns padded to their widest
 * in `fields`. This is the hot loop of a decode (a leaf page has thousands of fields), in a
 * command too short for V8 to optimize it: unoptimized, each property read and each call costs
 * much more than the arithmetic around it, so a field's properties are read once a pass, the
 * widths are counted from numbers, and a line is one template, with no row object in between.
 */
function fieldLines(lines: string[], fields: readonly DecodedField[], page: Buffer, pageOffset: number, indent: string, palette: Palette | null): void {
  const end = pageOffset + page.length
  let maxOffset = 0
  let rawWidth = 0
  let nameWidth = 0
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    const offset = f.offset
    const length = f.length
    const nameLength = f.name.length
    if (offset > maxOffset) maxOffset = offset
    const shown = rawShown(length, end - offset)
    const raw = (shown === 0 ? 0 : 3 * shown - 1) + (length > shown ? 3 : 0)
    if (raw > rawWidth) rawWidth = raw
    if (nameLength > nameWidth) nameWidth = nameLength
  }
  // offsets are not negative, so the widest is the largest's
  const offWidth = maxOffset.toString(16).length
  if (rawWidth > RAW_SHOWN * 3 + 2) rawWidth = RAW_SHOWN * 3 + 2
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    const offset = f.offset
    const length = f.length
    const fieldName = f.name
    const fieldMeaning = f.meaning
    const off = offset.toString(16)
    const shown = rawShown(length, end - offset)
    const raw = length > shown ? `${rawText(page, offset - pageOffset, shown)} ..` : rawText(page, offset - pageOffset, shown)
    const padded = fieldName + pad(nameWidth - fieldName.length)
    // with colour, a field's name takes its region's colour: the colour of its bytes in the hex view below
    const name = palette === null ? padded : palette.region[f.region](padded)
    const value = valueText(f.value)
    const meaning = fieldMeaning === undefined ? '' : `  ${palette === null ? fieldMeaning : palette.dim(fieldMeaning)}`
    // trimEnd also makes the line one flat string, which the page's join then copies at once
    lines.push(`${indent}${pad(offWidth - off.length)}0x${off}  ${raw}${pad(rawWidth - raw.length)}  ${name}  ${value}${meaning}`.trimEnd())
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
