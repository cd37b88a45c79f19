/**
 * vm -- a relation's visibility map fork (RELFILENODE_vm): visibilitymap.c.
 *
 *   one page:  PageHeaderData | map: MAPSIZE bytes, 4 heap blocks a byte, 2 bits each
 *              byte i, bits 2k and 2k+1: heap block (blkno * HEAPBLOCKS_PER_PAGE + 4i + k)
 *              VISIBILITYMAP_ALL_VISIBLE 0x01, VISIBILITYMAP_ALL_FROZEN 0x02
 *
 * Policy, each in a sentence:
 *  - A page of the fork is a VM page because the file's name says it is (detect.ts reads the
 *    fork from RELFILENODE_vm); its bytes alone look like an empty heap page.
 *  - VM block b covers heap blocks b * HEAPBLOCKS_PER_PAGE onwards (HEAPBLK_TO_MAPBLOCK), so the
 *    heap block numbers shown are the relation's, whatever segment of the fork the file is.
 *  - One item per non-zero byte of the map, numbered by its place in the map, with the heap blocks
 *    it covers and those of them all-visible and all-frozen, as pg_visibility_map lists them; a
 *    zero byte (four heap blocks with neither bit) is no item, as pageinspect leaves out
 *    an FSM's zero nodes.
 *  - All-frozen without all-visible is a state PostgreSQL never sets, named as a problem.
 */
import type {PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {SIZE_OF_PAGE_HEADER} from './constants.js'

/** HEAPBLOCKS_PER_BYTE: BITS_PER_BYTE / BITS_PER_HEAPBLOCK. */
const HEAPBLOCKS_PER_BYTE = 4
const ALL_VISIBLE = 0x01
const ALL_FROZEN = 0x02

/** heapBlocksPerPage -- HEAPBLOCKS_PER_PAGE: MAPSIZE (the page after its MAXALIGNed header) times 4. */
export function heapBlocksPerPage(pagesize: number): number {
  return Math.max(0, pagesize - SIZE_OF_PAGE_HEADER) * HEAPBLOCKS_PER_BYTE
}

/** decodeVmPage -- the map of VM block `blkno`: the whole map as one field, and one item per non-zero byte. */
export function decodeVmPage(r: PageFields, blkno: number): {fields: DecodedField[]; items: DecodedItem[]} {
  const mapsize = r.page.length - SIZE_OF_PAGE_HEADER
  const first = blkno * heapBlocksPerPage(r.page.length)
  const items: DecodedItem[] = []
  let visible = 0
  let frozen = 0
  let frozenOnly: number | null = null
  for (let i = 0; i < mapsize; i++) {
    const off = SIZE_OF_PAGE_HEADER + i
    const byte = r.page[off]!
    if (byte === 0) continue
    const block = first + i * HEAPBLOCKS_PER_BYTE
    const allVisible: number[] = []
    const allFrozen: number[] = []
    for (let k = 0; k < HEAPBLOCKS_PER_BYTE; k++) {
      const bits = byte >> (2 * k)
      if ((bits & ALL_VISIBLE) !== 0) allVisible.push(block + k)
      if ((bits & ALL_FROZEN) !== 0) allFrozen.push(block + k)
      if ((bits & (ALL_VISIBLE | ALL_FROZEN)) === ALL_FROZEN) frozenOnly ??= block + k
    }
    visible += allVisible.length
    frozen += allFrozen.length
    items.push({
      index: i,
      offset: r.base + off,
      length: 1,
      fields: [
        r.field('map', off, 1, byte, 'cell', `heap blocks ${block}..${block + HEAPBLOCKS_PER_BYTE - 1}`),
        r.field('all_visible', off, 1, allVisible, 'cell', 'VISIBILITYMAP_ALL_VISIBLE'),
        r.field('all_frozen', off, 1, allFrozen, 'cell', 'VISIBILITYMAP_ALL_FROZEN'),
      ],
    })
  }
  if (frozenOnly !== null) r.problem(SIZE_OF_PAGE_HEADER + Math.floor((frozenOnly - first) / HEAPBLOCKS_PER_BYTE), `heap block ${frozenOnly} is all-frozen but not all-visible, which PostgreSQL never sets`)
  const last = first + Math.max(0, mapsize) * HEAPBLOCKS_PER_BYTE - 1
  const fields = mapsize <= 0 ? [] : [r.field('map', SIZE_OF_PAGE_HEADER, mapsize, visible, 'payload', `heap blocks ${first}..${last}: ${visible} all-visible, ${frozen} all-frozen`)]
  return {fields, items}
}
