/**
 * record -- SQLite's record format (file-format document, section 2.1): a header of varints (its
 * own size, then one serial type per column) followed by the column values.
 *
 * Serial types: 0 NULL; 1..6 big-endian two's-complement integers of 1, 2, 3, 4, 6, 8 bytes; 7 an
 * IEEE 754 double; 8 and 9 the integers 0 and 1 (schema format 4); 10 and 11 reserved; N >= 12
 * even a blob of (N-12)/2 bytes; N >= 13 odd a text of (N-13)/2 bytes in the database encoding.
 *
 * Policy: a record is decoded from whatever bytes the caller has (a cell's local part, or the
 * whole payload put together from its overflow chain); a column whose bytes are not all there is
 * marked `complete: false` with what there is, never read past the bytes given.
 */

import {TextDecoder} from 'node:util'

import {readVarint} from './bytes.js'

/** A column's value as JavaScript has it: exact integers as bigint only when they need it. */
export type SqlValue = null | number | bigint | string | Buffer

export interface RecordColumn {
  serialType: number
  /** the serial type varint's offset and length, relative to the record's start */
  typeOffset: number
  typeLength: number
  /** the value's offset and length (its full length, even when not all of it is there) */
  valueOffset: number
  valueLength: number
  value: SqlValue
  /** false when the value's bytes run past the bytes given (on an overflow page) */
  complete: boolean
}

export interface DecodedRecord {
  headerSize: number
  headerSizeLength: number
  columns: RecordColumn[]
  /** what was wrong, if anything, relative to the record's start */
  problems: Array<{at: number; message: string}>
}

/** serialTypeLength -- the bytes a value of serial type t takes. */
export function serialTypeLength(t: number): number {
  if (t <= 4) return t
  if (t === 5) return 6
  if (t === 6 || t === 7) return 8
  if (t < 12) return 0
  return Math.floor((t - 12) / 2)
}

/** serialTypeName -- the serial type in words ("text, 5 bytes"). */
export function serialTypeName(t: number): string {
  if (t === 0) return 'NULL'
  if (t >= 1 && t <= 6) return `${serialTypeLength(t)}-byte integer`
  if (t === 7) return 'float64'
  if (t === 8) return 'integer 0'
  if (t === 9) return 'integer 1'
  if (t === 10 || t === 11) return 'reserved'
  return t % 2 === 0 ? `blob, ${(t - 12) / 2} bytes` : `text, ${(t - 13) / 2} bytes`
}

/** The database text encodings (header offset 56) by their WHATWG labels. */
const TEXT_LABELS: Record<number, string> = {1: 'utf-8', 2: 'utf-16le', 3: 'utf-16be'}

const TEXT_DECODERS: Record<number, TextDecoder> = {
  1: new TextDecoder(TEXT_LABELS[1]),
  2: new TextDecoder(TEXT_LABELS[2]),
  3: new TextDecoder(TEXT_LABELS[3]),
}

/**
 * readValue -- the value of serial type t, `length` bytes long, from the `have` bytes of it at
 * buf[off..] (fewer than `length` where the bytes given end first: a number is then null, a text
 * or blob is what there is). No wrapper object: a leaf page decodes hundreds of values.
 */
function readValue(buf: Buffer, off: number, t: number, length: number, have: number, encoding: number): SqlValue {
  const complete = have === length
  if (t === 0 || t === 10 || t === 11) return null
  if (t === 8) return 0
  if (t === 9) return 1
  if (t <= 6) {
    if (!complete) return null
    if (length <= 4) return smallInt(buf, off, length)
    if (length <= 6) return buf.readIntBE(off, length)
    const big = buf.readBigInt64BE(off)
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
  }
  if (t === 7) return complete ? buf.readDoubleBE(off) : null
  const bytes = buf.subarray(off, off + have)
  if (t % 2 === 0) return Buffer.from(bytes)
  if (complete) return (TEXT_DECODERS[encoding] ?? TEXT_DECODERS[1]!).decode(bytes)
  // The part on this page may end inside a character (a UTF-8 sequence, a UTF-16 code unit or
  // surrogate pair): decoded as a stream, whole characters only, no replacement character after.
  return new TextDecoder(TEXT_LABELS[encoding] ?? 'utf-8').decode(bytes, {stream: true})
}

/** smallInt -- the big-endian two's-complement integer of 1 to 4 bytes at buf[off..], as readIntBE reads it, without its checks. */
function smallInt(buf: Buffer, off: number, length: number): number {
  let v = buf[off]!
  for (let i = 1; i < length; i++) v = v * 256 + buf[off + i]!
  const bits = 8 * length
  return v >= 2 ** (bits - 1) ? v - 2 ** bits : v
}

/**
 * decodeRecord -- the record in buf[start..end): header, serial types and values. `encoding` is
 * the database's text encoding (header offset 56).
 */
export function decodeRecord(buf: Buffer, start: number, end: number, encoding = 1): DecodedRecord {
  const problems: DecodedRecord['problems'] = []
  const hs = readVarint(buf, start, end)
  if (hs === null) return {headerSize: 0, headerSizeLength: 0, columns: [], problems: [{at: 0, message: 'the record header size runs past the bytes there are'}]}
  const headerSize = hs.value
  const headerEnd = start + headerSize
  if (headerSize < hs.length) problems.push({at: 0, message: `record header size ${headerSize} is smaller than its own varint`})
  const typesEnd = Math.min(headerEnd, end)
  if (headerEnd > end) problems.push({at: 0, message: `record header size ${headerSize} runs past the bytes there are (${end - start})`})
  const columns: RecordColumn[] = []
  let at = start + hs.length
  let valueAt = headerEnd
  while (at < typesEnd) {
    const st = readVarint(buf, at, typesEnd)
    if (st === null) {
      problems.push({at: at - start, message: 'a serial type runs past the record header'})
      break
    }
    const t = st.value
    if (st.big !== undefined || t < 0) {
      problems.push({at: at - start, message: `serial type ${st.big ?? t} is not a valid serial type`})
      break
    }
    const length = serialTypeLength(t)
    // the bytes of the value that are there: all `length`, or fewer where the bytes given end
    const have = Math.max(0, Math.min(length, end - valueAt))
    const value = valueAt <= end ? readValue(buf, valueAt, t, length, have, encoding) : null
    columns.push({serialType: t, typeOffset: at - start, typeLength: st.length, valueOffset: valueAt - start, valueLength: length, value, complete: have === length})
    at += st.length
    valueAt += length
  }
  return {headerSize, headerSizeLength: hs.length, columns, problems}
}

/** recordEnd -- where the values of a decoded record end, relative to its start. */
export function recordLength(record: DecodedRecord): number {
  const last = record.columns[record.columns.length - 1]
  return last === undefined ? record.headerSize : last.valueOffset + last.valueLength
}
