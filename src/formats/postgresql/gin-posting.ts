/**
 * gin-posting -- the heap TIDs of a GinPostingList segment (ginpostinglist.c): the first TID
 * uncompressed, then each next one as a varbyte-encoded delta.
 *
 *   GinPostingList:  first (ItemPointerData, 6) | nbytes (uint16) | bytes[nbytes]
 *   a TID as an integer:  block << 11 | offset   (MaxHeapTuplesPerPageBits = 11; 43 bits in all)
 *   varbyte:  7 bits a byte, low bits first, the high bit set on every byte but an integer's last;
 *             at most 7 bytes, the 7th taken whole
 *
 * Policy, each in a sentence:
 *  - The deltas are read only inside the segment's nbytes (and the bytes the caller says are on
 *    the page); an integer that runs past them, a 7th byte with its continuation bit, a delta of 0
 *    (TIDs must increase), a block past 2^32 - 1 or an offset of 0 is named as a problem and ends
 *    the segment's list there, so damaged bytes give a shorter list, never a wrong long one.
 *  - TIDs are the `(block,offset)` text PostgreSQL prints and gin_leafpage_items returns, the
 *    first one included.
 */
import type {PageFields} from '../page-fields.js'

/** MaxHeapTuplesPerPageBits: the offset number's bits in a TID's integer. */
const OFFSET_BITS = 2 ** 11
/** MaxBytesPerInteger */
const MAX_BYTES = 7
const MAX_BLOCK = 0xffffffff

/** The TIDs of one segment, and where the reading stopped if it stopped early. */
export interface PostingTids {
  tids: string[]
  /** a sentence naming what ended the list early, or null */
  problem: string | null
  /** the page offset of the byte the problem is at */
  at: number
}

/**
 * postingTids -- the TIDs of the segment whose `first` is at page offset `off`, whose varbyte bytes
 * are [off + 8, off + 8 + length) (its nbytes, clipped to the page by the caller).
 */
export function postingTids(r: PageFields, off: number, length: number): PostingTids {
  const block = r.u16(off)! * 65536 + r.u16(off + 2)!
  const offset = r.u16(off + 4)!
  const tids = [`(${block},${offset})`]
  let value = block * OFFSET_BITS + offset
  const end = off + 8 + length
  let p = off + 8
  while (p < end) {
    const start = p
    let delta = 0
    let scale = 1
    let more = true
    for (let i = 0; more && i < MAX_BYTES; i++) {
      if (p >= end) return {tids, problem: `the varbyte TID at ${start} runs past the segment's end at ${end}`, at: start}
      const c = r.page[p++]!
      // the 7th byte is taken whole: 43 bits need 6 * 7 + 1
      delta += (i === MAX_BYTES - 1 ? c : c & 0x7f) * scale
      scale *= 128
      more = i < MAX_BYTES - 1 && (c & 0x80) !== 0
      if (i === MAX_BYTES - 1 && (c & 0x80) !== 0) return {tids, problem: `the varbyte TID at ${start} has a 7th byte with its continuation bit set`, at: p - 1}
    }
    if (delta === 0) return {tids, problem: `the varbyte TID at ${start} is a delta of 0: a posting list's TIDs must increase`, at: start}
    value += delta
    const tidBlock = Math.floor(value / OFFSET_BITS)
    const tidOffset = value % OFFSET_BITS
    if (tidBlock > MAX_BLOCK) return {tids, problem: `the varbyte TID at ${start} makes block ${tidBlock}, past the largest block number`, at: start}
    if (tidOffset === 0) return {tids, problem: `the varbyte TID at ${start} makes (${tidBlock},0): offset 0 is no tuple`, at: start}
    tids.push(`(${tidBlock},${tidOffset})`)
  }
  return {tids, problem: null, at: end}
}
