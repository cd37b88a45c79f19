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

function rawBytes(page: Buffer, pageOffset: number, f: DecodedField): string {
  const start = f.offset - pageOffset
  const shown = Math.max(0, Math.min(f.length, RAW_SHOWN, page.length - start))
  let raw = ''
  for (let i = 0; i < shown; i++) raw += i === 0 ? HEX_BYTE[page[start]!]! : ` ${HEX_BYTE[page[start + i]!]!}`
  return f.length > shown ? `${raw} ..` : raw
}

function fieldLines(fields: readonly DecodedField[], page: Buffer, pageOffset: number, indent: string, palette: Palette | null): string[] {
  const rows = fields.map((f) => ({off: `0x${f.offset.toString(16)}`, raw: rawBytes(page, pageOffset, f), f}))
  const w = {
    off: Math.max(0, ...rows.map((r) => r.off.length)),
    raw: Math.min(RAW_SHOWN * 3 + 2, Math.max(0, ...rows.map((r) => r.raw.length))),
    name: Math.max(0, ...rows.map((r) => r.f.name.length)),
  }
  return rows.map(({off, raw, f}) => {
    const name = f.name.padEnd(w.name)
    const meaning = f.meaning === undefined ? '' : `  ${palette === null ? f.meaning : palette.dim(f.meaning)}`
    // with colour, a field's name takes its region's colour: the colour of its bytes in the hex view below
    return `${indent}${off.padStart(w.off)}  ${raw.padEnd(w.raw)}  ${palette === null ? name : palette.region[f.region](name)}  ${valueText(f.value)}${meaning}`.trimEnd()
  })
}

/**
 * decodedView -- the decode lines of a page: a title (`pgno 4 = SQLite page 5: table-leaf of t`), the
 * page's fields, each item, the problems. `page` is the page's bytes, for the raw column.
 */
export function decodedView(decoded: DecodedPage, page: Buffer, palette: Palette | null): string {
  const pageOffset = decoded.pgno * page.length
  const title = `${pageName(decoded.pgno, decoded.format, decoded.page)}: ${decoded.kind}${typeof decoded.owner === 'string' ? ` of ${decoded.owner}` : ''}`
  const lines = [palette === null ? title : palette.heading(title)]
  lines.push(...fieldLines(decoded.fields, page, pageOffset, '  ', palette))
  const label = itemLabel(decoded)
  for (const item of decoded.items) {
    lines.push(`  ${label} ${item.index} at 0x${item.offset.toString(16)}, ${item.length} bytes`)
    lines.push(...fieldLines(item.fields, page, pageOffset, '    ', palette))
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
