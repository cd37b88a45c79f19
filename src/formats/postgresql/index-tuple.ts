/**
 * index-tuple -- the generic index tuple (itup.h's IndexTupleData: t_tid, t_info, then the key)
 * that btree, hash, GiST and GIN entry pages keep behind their line pointers, and the one loop
 * that turns an index page's line pointers into items.
 *
 * Policy, each in a sentence:
 *  - A tuple is read where pageinspect reads one: a LP_NORMAL pointer whose tuple is MAXALIGNed,
 *    at least as long as the tuple's fixed header and inside the page, or a LP_DEAD pointer whose
 *    bytes are still on the page; a normal pointer that fails this is named as a problem.
 *  - The key data starts after IndexTupleData, or after the null bitmap too when INDEX_NULL_MASK
 *    is set, MAXALIGNed (IndexInfoFindDataOffset), and ends at the tuple's t_info size; it is
 *    previewed as the hex bt_page_items prints, clipped.
 *  - A t_info size other than lp_len is named: the line pointer and the tuple disagree.
 */
import type {PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {INDEX_AM_RESERVED_BIT, INDEX_ATTRIBUTE_BITMAP_SIZE, INDEX_NULL_MASK, INDEX_SIZE_MASK, INDEX_TUPLE_SIZE, INDEX_VAR_MASK, LP_DEAD, LP_NORMAL, MAXALIGN} from './constants.js'
import {type LinePointer, linePointerFields} from './header.js'
import {ctidText, tupleFits} from './heap.js'

/** dataOffset -- IndexInfoFindDataOffset: where an index tuple's key data starts. */
export function dataOffset(info: number): number {
  const header = (info & INDEX_NULL_MASK) !== 0 ? INDEX_TUPLE_SIZE + INDEX_ATTRIBUTE_BITMAP_SIZE : INDEX_TUPLE_SIZE
  return Math.ceil(header / MAXALIGN) * MAXALIGN
}

/** spacedHex -- bytes as bt_page_items shows data: hex pairs separated by spaces. */
export function spacedHex(bytes: Buffer): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')
}

/** How many bytes of a key the preview shows. */
const KEY_PREVIEW = 32

/** keyField -- the key bytes [start, end) of the tuple at `t`, previewed as spaced hex. */
export function keyField(r: PageFields, t: number, start: number, end: number, meaning?: string): DecodedField {
  const data = r.page.subarray(t + start, t + end)
  return r.field('data', t + start, end - start, spacedHex(data.subarray(0, KEY_PREVIEW)) + (data.length > KEY_PREVIEW ? ' ..' : ''), 'payload', meaning)
}

/** The fixed part of an index tuple, and where its key lies. */
export interface IndexTupleHead {
  fields: DecodedField[]
  /** t_info */
  info: number
  /** where the key starts, from the tuple's start */
  start: number
  /** where the tuple ends (t_info's size, within lp_len), from its start */
  end: number
}

/** indexTupleHead -- t_tid and t_info of the tuple behind `p`, with t_info's size and flags in words. */
export function indexTupleHead(r: PageFields, p: LinePointer): IndexTupleHead {
  const t = p.lp_off
  const info = r.u16(t + 6)!
  const size = info & INDEX_SIZE_MASK
  const flags = [`size ${size}`]
  if ((info & INDEX_NULL_MASK) !== 0) flags.push('INDEX_NULL_MASK')
  if ((info & INDEX_VAR_MASK) !== 0) flags.push('INDEX_VAR_MASK')
  if ((info & INDEX_AM_RESERVED_BIT) !== 0) flags.push('INDEX_AM_RESERVED_BIT')
  const fields = [r.field('t_tid', t, 6, ctidText(r, t), 'cell'), r.field('t_info', t + 6, 2, info, 'cell', flags.join('|'))]
  if (size !== p.lp_len) r.problem(t + 6, `lp ${p.lp}: t_info says ${size} bytes but lp_len is ${p.lp_len}`)
  return {fields, info, start: dataOffset(info), end: Math.min(size, p.lp_len)}
}

/** plainIndexTuple -- an IndexTuple with nothing after its key: t_tid, t_info, data. */
export function plainIndexTuple(r: PageFields, p: LinePointer): DecodedField[] {
  const head = indexTupleHead(r, p)
  if (head.start < head.end) head.fields.push(keyField(r, p.lp_off, head.start, head.end))
  return head.fields
}

/** A decoder of the tuple behind one line pointer, whose bytes are known to be on the page. */
export type TupleDecoder = (r: PageFields, p: LinePointer) => DecodedField[]

/**
 * decodeTuples -- one item per line pointer: the pointer's fields, then the tuple `decode` reads,
 * where there is a tuple of at least `minSize` bytes to read.
 */
export function decodeTuples(r: PageFields, pointers: LinePointer[], minSize: number, decode: TupleDecoder): DecodedItem[] {
  return pointers.map((p) => {
    const fields = linePointerFields(r, p)
    const readable = tupleFits(r, p, minSize) || (p.lp_flags === LP_DEAD && p.lp_len >= minSize && r.fits(p.lp_off, p.lp_len))
    if (readable) fields.push(...decode(r, p))
    else if (p.lp_flags === LP_NORMAL) r.problem(p.at, `lp ${p.lp}: a normal line pointer to ${p.lp_len} bytes at ${p.lp_off} that is not an index tuple on this page`)
    return {index: p.lp, offset: r.base + (readable ? p.lp_off : p.at), length: readable ? p.lp_len : 4, fields}
  })
}

/** decodeIndexTuples -- decodeTuples over generic IndexTuples, each read by `decode` (plainIndexTuple unless given). */
export function decodeIndexTuples(r: PageFields, pointers: LinePointer[], decode: TupleDecoder = plainIndexTuple): DecodedItem[] {
  return decodeTuples(r, pointers, INDEX_TUPLE_SIZE, decode)
}
