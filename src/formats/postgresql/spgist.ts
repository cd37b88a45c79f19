/**
 * spgist -- SP-GiST index pages (access/spgist_private.h): the metapage, inner pages and leaf
 * pages, with SP-GiST's own tuples.
 *
 * Policy, each in a sentence:
 *  - A page is an SP-GiST page when its special space is SpGistPageOpaqueData's 8 bytes ending in
 *    spgist_page_id SPGIST_PAGE_ID (0xFF82); SPGIST_META makes it `spgist-meta`, SPGIST_DELETED
 *    `free`, SPGIST_LEAF `spgist-leaf`, and any other `spgist-inner` (SPGIST_NULLS, the tree of
 *    null keys, is shown in the flags).
 *  - SP-GiST tuples are not IndexTuples: each starts with a 32-bit word of C bit fields
 *    (tupstate:2 and then size:30 on a leaf, allTheSame:1, nNodes:13, prefixSize:16 on an inner
 *    tuple), filled from the low bits on a little-endian machine and from the high bits on a
 *    big-endian one. A live leaf tuple has t_info (its chain's next offset) and heapPtr; a live
 *    inner tuple its prefix and node tuples (IndexTuples whose t_tid is the child); a redirect,
 *    dead or placeholder tuple (SpGistDeadTupleData) has its pointer and xid.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {INDEX_SIZE_MASK, KINDS, MAXALIGN, SIZE_OF_PAGE_HEADER, SPGIST_DELETED, SPGIST_FLAGS, SPGIST_LEAF, SPGIST_MAGIC_NUMBER, SPGIST_META, SPGIST_OPAQUE_SIZE, SPGIST_PAGE_ID, SPGIST_TUPSTATES} from './constants.js'
import type {LinePointer} from './header.js'
import {ctidText} from './heap.js'
import {decodeTuples, keyField} from './index-tuple.js'
import {type IndexPages, magicField} from './index-pages.js'

/** SPGIST_CACHED_PAGES: the metapage's cache of last used pages. */
const CACHED_PAGES = 8
/** SGLTHDRSZ, SGITHDRSZ, SGDTSIZE: the MAXALIGNed headers of leaf, inner and dead tuples. */
const LEAF_HEADER = 16
const INNER_HEADER = 8
const DEAD_SIZE = 16
/** sizeof(SpGistLeafTupleData) before alignment: the word, t_info and heapPtr. */
const LEAF_FIXED = 12
/** The smallest SP-GiST tuple (an inner tuple's header). */
const MIN_TUPLE = INNER_HEADER
const SPGIST_LIVE = 0
/** Node tuples listed of an inner tuple. */
const NODES_SHOWN = 16

function is(r: PageFields): boolean {
  return r.page.length - r.u16(16)! === SPGIST_OPAQUE_SIZE && r.u16(r.page.length - 2) === SPGIST_PAGE_ID
}

function kind(r: PageFields): string {
  const flags = r.u16(r.page.length - SPGIST_OPAQUE_SIZE)!
  if ((flags & SPGIST_META) !== 0) return KINDS.spgistMeta
  if ((flags & SPGIST_DELETED) !== 0) return KINDS.free
  return (flags & SPGIST_LEAF) !== 0 ? KINDS.spgistLeaf : KINDS.spgistInner
}

function special(r: PageFields): DecodedField[] {
  const s = r.page.length - SPGIST_OPAQUE_SIZE
  return [
    r.uint('flags', s, 2, 'special', (v) => flagNames(v, SPGIST_FLAGS))!,
    r.uint('nRedirection', s + 2, 2, 'special', () => 'redirection tuples on the page')!,
    r.uint('nPlaceholder', s + 4, 2, 'special', () => 'placeholder tuples on the page')!,
    r.uint('spgist_page_id', s + 6, 2, 'special', () => 'SPGIST_PAGE_ID')!,
  ]
}

/** SpGistMetaPageData: magicNumber, then the last used pages, each "blkno: freeSpace". */
function metapage(r: PageFields): DecodedField[] {
  const m = SIZE_OF_PAGE_HEADER
  const cached: string[] = []
  for (let i = 0; i < CACHED_PAGES; i++) {
    const blkno = r.u32(m + 4 + i * 8)!
    const free = r.littleEndian ? r.page.readInt32LE(m + 8 + i * 8) : r.page.readInt32BE(m + 8 + i * 8)
    cached.push(`${blkno}: ${free}`)
  }
  return [magicField(r, 'magicNumber', m, SPGIST_MAGIC_NUMBER, 'SPGIST_MAGIC_NUMBER'), r.field('lastUsedPages', m + 4, CACHED_PAGES * 8, cached, 'file-header', 'cached pages, "blkno: freeSpace"')]
}

/** The bit fields of a tuple's first word, as the machine that wrote it laid them out. */
function bits(r: PageFields, word: number, widths: readonly number[]): number[] {
  const values: number[] = []
  let shift = r.littleEndian ? 0 : 32
  for (const width of widths) {
    if (!r.littleEndian) shift -= width
    values.push(Math.floor(word / 2 ** shift) % 2 ** width)
    if (r.littleEndian) shift += width
  }
  return values
}

function leafTuple(r: PageFields, p: LinePointer, size: number, fields: DecodedField[]): void {
  const t = p.lp_off
  const info = r.u16(t + 4)!
  fields.push(r.field('t_info', t + 4, 2, info, 'cell', `nextOffset ${info & 0x3fff}${(info & 0x8000) !== 0 ? '|has a null bitmap' : ''}`))
  fields.push(r.field('heapPtr', t + 6, 6, ctidText(r, t + 6), 'cell', 'the heap tuple'))
  const end = Math.min(size, p.lp_len)
  if (LEAF_HEADER < end) fields.push(keyField(r, t, LEAF_HEADER, end))
}

function innerTuple(r: PageFields, p: LinePointer, nNodes: number, prefixSize: number, fields: DecodedField[]): void {
  const t = p.lp_off
  const end = Math.min(p.lp_len, r.page.length - t)
  if (prefixSize > 0 && INNER_HEADER + prefixSize <= end) fields.push(keyField(r, t, INNER_HEADER, INNER_HEADER + prefixSize, 'the prefix'))
  const children: string[] = []
  let off = INNER_HEADER + prefixSize
  for (let i = 0; i < nNodes; i++) {
    if (off + 8 > end) {
      r.problem(t, `lp ${p.lp}: ${nNodes} nodes do not fit in the tuple's ${p.lp_len} bytes`)
      break
    }
    if (children.length < NODES_SHOWN) children.push(ctidText(r, t + off))
    const size = r.u16(t + off + 6)! & INDEX_SIZE_MASK
    if (size < 8) {
      r.problem(t + off + 6, `lp ${p.lp}: node ${i} says it is ${size} bytes`)
      break
    }
    off += Math.ceil(size / MAXALIGN) * MAXALIGN
  }
  if (children.length > 0) fields.push(r.field('nodes', t + INNER_HEADER + prefixSize, Math.min(off, end) - INNER_HEADER - prefixSize, children, 'payload', `the nodes' t_tid: child tuples${nNodes > NODES_SHOWN ? `, the first ${NODES_SHOWN} shown` : ''}`))
}

function spgistTuple(leafPage: boolean) {
  return (r: PageFields, p: LinePointer): DecodedField[] => {
    const t = p.lp_off
    const word = r.u32(t)!
    const live = bits(r, word, [2])[0] === SPGIST_LIVE
    const fields: DecodedField[] = []
    if (live && !leafPage) {
      const [tupstate, allTheSame, nNodes, prefixSize] = bits(r, word, [2, 1, 13, 16]) as [number, number, number, number]
      fields.push(r.field('tupstate', t, 4, tupstate, 'cell', SPGIST_TUPSTATES[tupstate]), r.field('allTheSame', t, 4, allTheSame, 'cell'))
      fields.push(r.field('nNodes', t, 4, nNodes, 'cell'), r.field('prefixSize', t, 4, prefixSize, 'cell'))
      innerTuple(r, p, nNodes, prefixSize, fields)
      return fields
    }
    const [tupstate, size] = bits(r, word, [2, 30]) as [number, number]
    fields.push(r.field('tupstate', t, 4, tupstate, 'cell', SPGIST_TUPSTATES[tupstate]), r.field('size', t, 4, size, 'cell'))
    if (size !== p.lp_len) r.problem(t, `lp ${p.lp}: the tuple says ${size} bytes but lp_len is ${p.lp_len}`)
    if (live && p.lp_len >= LEAF_FIXED) leafTuple(r, p, size, fields)
    else if (!live && p.lp_len >= DEAD_SIZE) {
      fields.push(r.field('pointer', t + 6, 6, ctidText(r, t + 6), 'cell', tupstate === 1 ? 'where the tuple went' : ''))
      fields.push(r.uint('xid', t + 12, 4, 'cell')!)
    }
    return fields
  }
}

function decode(r: PageFields, kindName: string, pointers: LinePointer[]): {fields: DecodedField[]; items: DecodedItem[]} {
  if (kindName === KINDS.spgistMeta) return {fields: [...metapage(r), ...special(r)], items: []}
  const items = kindName === KINDS.free ? [] : decodeTuples(r, pointers, MIN_TUPLE, spgistTuple(kindName === KINDS.spgistLeaf))
  return {fields: special(r), items}
}

export const spgistPages: IndexPages = {is, kind, decode}
