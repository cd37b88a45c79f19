/**
 * page-fields -- bounded, byte-order-aware reads of one page, and the fields they become.
 *
 * Policy, each in a sentence:
 *  - Every read names an offset inside the page; a read that would cross the page's end (or
 *    start before it) gives null and records nothing, so a decoder built on this cannot look
 *    outside its own bytes however damaged they are.
 *  - Byte order is the file's, fixed when the reader is made: Berkeley DB writes in the byte
 *    order of the machine that made the file (either is legal), PostgreSQL in the server's.
 *  - A field is made with its offset in the page and recorded with its file offset
 *    (`pgno * pagesize + offset`), the one offset space of the hex view and of `--json`.
 *  - Problems are collected in order with their file offsets, one sentence each.
 *
 * Used by the Berkeley DB and PostgreSQL decoders (SQLite's integers are big-endian varints and
 * have their own reader in src/formats/sqlite/bytes.ts).
 */
import type {DecodedField, FieldValue, PageProblem, Region} from './types.js'

export class PageFields {
  /** file offset of byte 0 of the page */
  readonly base: number
  readonly problems: PageProblem[] = []

  constructor(
    readonly page: Buffer,
    pgno: number,
    readonly littleEndian: boolean,
  ) {
    this.base = pgno * page.length
  }

  /** fits -- whether `length` bytes at `off` lie inside the page. */
  fits(off: number, length: number): boolean {
    return Number.isInteger(off) && off >= 0 && length >= 0 && off + length <= this.page.length
  }

  u8(off: number): number | null {
    return this.fits(off, 1) ? this.page[off]! : null
  }

  u16(off: number): number | null {
    if (!this.fits(off, 2)) return null
    return this.littleEndian ? this.page.readUInt16LE(off) : this.page.readUInt16BE(off)
  }

  u32(off: number): number | null {
    if (!this.fits(off, 4)) return null
    return this.littleEndian ? this.page.readUInt32LE(off) : this.page.readUInt32BE(off)
  }

  /** field -- a field over bytes [off, off+length) of the page; its offset is made a file offset. */
  field(name: string, off: number, length: number, value: FieldValue, region: Region, meaning?: string): DecodedField {
    const field: DecodedField = {name, offset: this.base + off, length, value, region}
    if (meaning !== undefined && meaning !== '') field.meaning = meaning
    return field
  }

  /** uint -- a field holding the unsigned integer of `width` bytes at `off`, or null if it does not fit. */
  uint(name: string, off: number, width: 1 | 2 | 4, region: Region, meaning?: (value: number) => string): DecodedField | null {
    const value = width === 1 ? this.u8(off) : width === 2 ? this.u16(off) : this.u32(off)
    if (value === null) return null
    return this.field(name, off, width, value, region, meaning?.(value))
  }

  /** hex -- the bytes [off, off+length) as lower-case hex with no separators, clipped to the page. */
  hex(off: number, length: number): string {
    const end = Math.min(this.page.length, off + length)
    return off >= 0 && off < end ? this.page.subarray(off, end).toString('hex') : ''
  }

  /** problem -- name what is wrong at page offset `off` (or nowhere in particular: null). */
  problem(off: number | null, message: string): void {
    this.problems.push({offset: off === null ? null : this.base + off, message})
  }
}

/** flagNames -- the names of the bits set in `value`, joined by `|`, unknown bits as hex. */
export function flagNames(value: number, names: ReadonlyArray<readonly [number, string]>): string {
  const parts: string[] = []
  let rest = value
  for (const [bit, name] of names) {
    if ((value & bit) === bit && bit !== 0) {
      parts.push(name)
      rest &= ~bit
    }
  }
  if (rest !== 0) parts.push(`0x${(rest >>> 0).toString(16)}`)
  return parts.join('|')
}

/** PREVIEW_BYTES -- how many bytes of a key or data item a preview shows. */
export const PREVIEW_BYTES = 32

/**
 * preview -- a short reading of item bytes: the text itself when every byte is printable
 * ASCII (as db_dump shows printable data), otherwise hex; clipped to PREVIEW_BYTES with `..`.
 */
export function preview(bytes: Buffer): string {
  const shown = bytes.subarray(0, PREVIEW_BYTES)
  let printable = true
  for (const byte of shown) if (byte < 0x20 || byte > 0x7e) printable = false
  const text = printable ? shown.toString('latin1') : shown.toString('hex')
  return bytes.length > PREVIEW_BYTES ? `${text}..` : text
}

/** allZero -- whether every byte of a page is zero: allocated by growing the file, never written. */
export function allZero(page: Buffer): boolean {
  for (const byte of page) if (byte !== 0) return false
  return true
}
