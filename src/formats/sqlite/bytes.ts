/**
 * bytes -- the SQLite file format's integers: big-endian fixed widths and the 1..9-byte varint.
 *
 * Policy: every read is bounded by an `end` the caller gives (the page's end, or the usable
 * size); a read that would cross it returns null instead of reading past, so a damaged page can
 * never make a decoder look outside its own bytes.
 */

/** u16 -- the big-endian 2-byte integer at `off`, or null if it does not fit before `end`. */
export function u16(buf: Buffer, off: number, end = buf.length): number | null {
  return off >= 0 && off + 2 <= end ? (buf[off]! << 8) | buf[off + 1]! : null
}

/** u32 -- the big-endian 4-byte unsigned integer at `off`, or null. */
export function u32(buf: Buffer, off: number, end = buf.length): number | null {
  return off >= 0 && off + 4 <= end ? buf.readUInt32BE(off) : null
}

/** A varint read: its value (exact up to 2^53; see `big`), and how many bytes it took. */
export interface Varint {
  value: number
  length: number
  /** the exact 64-bit two's-complement value, when `value` is not exact */
  big?: bigint
}

/**
 * readVarint -- SQLite's varint at `off`: up to 8 bytes of 7 bits, high bit set meaning "more",
 * then a 9th byte of 8 bits. Null when it runs into `end`.
 */
export function readVarint(buf: Buffer, off: number, end = buf.length): Varint | null {
  let value = 0
  for (let i = 0; i < 8; i++) {
    if (off + i >= end || off + i < 0) return null
    const byte = buf[off + i]!
    value = value * 128 + (byte & 0x7f)
    if ((byte & 0x80) === 0) return value <= Number.MAX_SAFE_INTEGER ? {value, length: i + 1} : bigVarint(buf, off, i + 1)
  }
  if (off + 8 >= end) return null
  return bigVarint(buf, off, 9)
}

function bigVarint(buf: Buffer, off: number, length: number): Varint {
  let big = 0n
  for (let i = 0; i < length; i++) {
    const byte = buf[off + i]!
    big = i === 8 ? (big << 8n) | BigInt(byte) : (big << 7n) | BigInt(byte & 0x7f)
  }
  big = BigInt.asIntN(64, big)
  return {value: Number(big), length, big}
}

/** varintText -- a varint's exact value as a JSON value: a number when exact, else a decimal string. */
export function varintValue(v: Varint): number | string {
  return v.big === undefined ? v.value : v.big.toString()
}

/** hex -- bytes as lower-case hex pairs separated by spaces ("0d 00 00"), at most `max` bytes. */
export function hex(buf: Buffer, off: number, length: number, max = 16): string {
  const shown = Math.max(0, Math.min(length, max, buf.length - off))
  const parts: string[] = []
  for (let i = 0; i < shown; i++) parts.push(buf[off + i]!.toString(16).padStart(2, '0'))
  return parts.join(' ') + (length > shown ? ' ..' : '')
}
