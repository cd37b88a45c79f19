/**
 * gist -- GiST index pages (access/gist.h): leaf and internal pages of IndexTuples.
 *
 * Policy, each in a sentence:
 *  - A page is a GiST page when its special space is GISTPageOpaqueData's 16 bytes ending in
 *    gist_page_id GIST_PAGE_ID (0xFF81); F_LEAF makes it `gist-leaf`, F_DELETED `free`, and any
 *    other `gist-internal` (GiST has no metapage: block 0 is the root).
 *  - The NSN is shown as an LSN, as gist_page_opaque_info shows it; an internal tuple's t_tid names
 *    the child block (its offset is 0xFFFF), a leaf tuple's the heap tuple.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {F_DELETED, F_LEAF, GIST_FLAGS, GIST_OPAQUE_SIZE, GIST_PAGE_ID, KINDS} from './constants.js'
import {type LinePointer, lsnText} from './header.js'
import {decodeIndexTuples} from './index-tuple.js'
import {blockMeaning, type IndexPages} from './index-pages.js'

function is(r: PageFields): boolean {
  return r.page.length - r.u16(16)! === GIST_OPAQUE_SIZE && r.u16(r.page.length - 2) === GIST_PAGE_ID
}

function kind(r: PageFields): string {
  const flags = r.u16(r.page.length - 4)!
  if ((flags & F_DELETED) !== 0) return KINDS.free
  return (flags & F_LEAF) !== 0 ? KINDS.gistLeaf : KINDS.gistInternal
}

function special(r: PageFields): DecodedField[] {
  const s = r.page.length - GIST_OPAQUE_SIZE
  return [
    r.field('nsn', s, 8, lsnText(r.u32(s)!, r.u32(s + 4)!), 'special', 'the LSN of the last split of this page'),
    r.uint('rightlink', s + 8, 4, 'special', (v) => blockMeaning(v, 'right sibling'))!,
    r.uint('flags', s + 12, 2, 'special', (v) => flagNames(v, GIST_FLAGS))!,
    r.uint('gist_page_id', s + 14, 2, 'special', () => 'GIST_PAGE_ID')!,
  ]
}

function decode(r: PageFields, kindName: string, pointers: LinePointer[]): {fields: DecodedField[]; items: DecodedItem[]} {
  return {fields: special(r), items: kindName === KINDS.free ? [] : decodeIndexTuples(r, pointers)}
}

export const gistPages: IndexPages = {is, kind, decode}
