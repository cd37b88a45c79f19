/**
 * fsm -- a relation's free space map fork (RELFILENODE_fsm): freespace.c, fsmpage.c and
 * fsm_internals.h.
 *
 *   FSM fork, depth first:  block 0  root (level 2)
 *                           block 1  level 1, logical page 0
 *                           block 2  level 0, logical page 0: slots = heap blocks 0 .. S-1
 *                           block 3  level 0, logical page 1: heap blocks S .. 2S-1
 *                           ...      block S+2: level 1, logical page 1, then its leaves
 *   one page:  PageHeaderData | fp_next_slot (int32) | fp_nodes: a binary tree of uint8 categories,
 *              node i's children at 2i+1 and 2i+2, NonLeafNodesPerPage inner nodes, then the S slots
 *
 * Policy, each in a sentence:
 *  - A page of the fork is an FSM page because the file's name says it is (detect.ts reads the
 *    fork from RELFILENODE_fsm); its bytes alone look like an empty heap page.
 *  - Where a page sits in the tree comes from its block number alone, as fsm_logical_to_physical
 *    lays the tree out depth first; a leaf page's slot s is heap block logical page * S + s, an
 *    upper page's slot s the highest category of its child page.
 *  - One item per non-zero node, numbered as pageinspect's fsm_page_contents numbers them; a leaf
 *    node also gives its slot and what the slot stands for; a category is shown as the bytes free
 *    it promises (fsm_space_cat_to_avail: category * BLCKSZ/256, 255 meaning MaxFSMRequestSize).
 *  - An inner node that is not the higher of its two children is named as a problem (PostgreSQL
 *    rebuilds such a page when a search meets it, fsm_search_avail), as is a block past the tree.
 */
import type {PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {ITEM_ID_SIZE, MAXALIGN, SIZE_OF_PAGE_HEADER} from './constants.js'

/** offsetof(FSMPageData, fp_nodes): fp_next_slot before it. */
const NEXT_SLOT_SIZE = 4
/** FSM_CATEGORIES: a category is one byte. */
const CATEGORIES = 256
const MAX_CATEGORY = CATEGORIES - 1

/** The FSM's shape at one page size, as fsm_internals.h and freespace.c define it. */
export interface FsmShape {
  /** NodesPerPage */
  nodes: number
  /** NonLeafNodesPerPage */
  inner: number
  /** LeafNodesPerPage = SlotsPerFSMPage */
  slots: number
  /** FSM_TREE_DEPTH */
  depth: number
  /** FSM_CAT_STEP */
  step: number
  /** MaxFSMRequestSize (MaxHeapTupleSize) */
  maxRequest: number
  /** blocks in a subtree whose top page is at level l, for l = 0 .. depth-1 */
  subtree: number[]
}

/** fsmShape -- the FSM's shape for pages of `pagesize` bytes. */
export function fsmShape(pagesize: number): FsmShape {
  const nodes = pagesize - SIZE_OF_PAGE_HEADER - NEXT_SLOT_SIZE
  const inner = Math.floor(pagesize / 2) - 1
  const slots = nodes - inner
  const depth = slots >= 1626 ? 3 : 4
  const subtree = [1]
  for (let l = 1; l < depth; l++) subtree.push(1 + slots * subtree[l - 1]!)
  const maxHeapTuple = pagesize - Math.ceil((SIZE_OF_PAGE_HEADER + ITEM_ID_SIZE) / MAXALIGN) * MAXALIGN
  return {nodes, inner, slots, depth, step: Math.floor(pagesize / CATEGORIES), maxRequest: maxHeapTuple, subtree}
}

/** Where one FSM page sits in the tree: FSMAddress. */
export interface FsmAddress {
  level: number
  logpageno: number
}

/** fsmAddress -- the level and logical page number of FSM block `blkno` (the inverse of fsm_logical_to_physical), or null past the tree. */
export function fsmAddress(shape: FsmShape, blkno: number): FsmAddress | null {
  let level = shape.depth - 1
  if (blkno >= shape.subtree[level]!) return null
  let logpageno = 0
  let rest = blkno
  // each step skips the page at the top of a subtree and goes down into the child that holds the block
  while (rest > 0) {
    rest -= 1
    level -= 1
    const size = shape.subtree[level]!
    logpageno = logpageno * shape.slots + Math.floor(rest / size)
    rest %= size
  }
  return {level, logpageno}
}

/** fsmPhysical -- fsm_logical_to_physical: the block of the FSM page at `address`. */
export function fsmPhysical(shape: FsmShape, address: FsmAddress): number {
  let leafno = address.logpageno * shape.slots ** address.level
  let pages = 0
  for (let l = 0; l < shape.depth; l++) {
    pages += leafno + 1
    leafno = Math.floor(leafno / shape.slots)
  }
  return pages - address.level - 1
}

/** availText -- fsm_space_cat_to_avail in words: what a category promises. */
function availText(shape: FsmShape, category: number): string {
  if (category === 0) return `less than ${shape.step} bytes free`
  return `at least ${category === MAX_CATEGORY ? shape.maxRequest : category * shape.step} bytes free`
}

/** heapRange -- the heap blocks below slot `slot` of the page at `address`. */
function heapRange(shape: FsmShape, address: FsmAddress, slot: number): string {
  const per = shape.slots ** address.level
  const first = (address.logpageno * shape.slots + slot) * per
  return per === 1 ? `heap block ${first}` : `heap blocks ${first}..${first + per - 1}`
}

/** slotMeaning -- what slot `slot` of the page at `address` stands for. */
function slotMeaning(shape: FsmShape, address: FsmAddress, slot: number): string {
  if (address.level === 0) return heapRange(shape, address, slot)
  const child = fsmPhysical(shape, {level: address.level - 1, logpageno: address.logpageno * shape.slots + slot})
  return `FSM block ${child}: ${heapRange(shape, address, slot)}`
}

/** decodeFsmPage -- FSMPageData of FSM block `blkno`: fp_next_slot, fp_nodes, and one item per non-zero node. */
export function decodeFsmPage(r: PageFields, blkno: number): {fields: DecodedField[]; items: DecodedItem[]} {
  const shape = fsmShape(r.page.length)
  const at = SIZE_OF_PAGE_HEADER
  const nodesAt = at + NEXT_SLOT_SIZE
  if (shape.slots <= 0) {
    r.problem(null, `a ${r.page.length}-byte page is too small for a free space map page (PostgreSQL's pages are 1024 to 32768 bytes)`)
    return {fields: [], items: []}
  }
  const address = fsmAddress(shape, blkno)
  if (address === null) r.problem(null, `block ${blkno} is past the last block of a ${shape.depth}-level free space map (${shape.subtree[shape.depth - 1]! - 1})`)
  const next = r.littleEndian ? r.page.readInt32LE(at) : r.page.readInt32BE(at)
  const nextMeaning = next >= 0 && next < shape.slots ? 'the slot the next search starts from' : `not a slot (0..${shape.slots - 1}): a search starts from slot 0`
  const where = address === null ? 'past the tree' : `level ${address.level}, logical page ${address.logpageno}: ${slotRange(shape, address)}`
  const fields = [
    r.field('fp_next_slot', at, NEXT_SLOT_SIZE, next, 'page-header', nextMeaning),
    r.field('fp_nodes', nodesAt, shape.nodes, r.u8(nodesAt)!, 'payload', `the page's highest category (node 0), ${availText(shape, r.u8(nodesAt)!)}; ${where}`),
  ]
  const items: DecodedItem[] = []
  checkTree(r, shape, nodesAt)
  for (let node = 0; node < shape.nodes; node++) {
    const category = r.page[nodesAt + node]!
    if (category === 0) continue
    const off = nodesAt + node
    const item: DecodedItem = {index: node, offset: r.base + off, length: 1, fields: []}
    if (node < shape.inner) item.fields.push(r.field('category', off, 1, category, 'cell', `the higher of nodes ${2 * node + 1} and ${2 * node + 2}: ${availText(shape, category)}`))
    else {
      const slot = node - shape.inner
      item.fields.push(r.field('slot', off, 1, slot, 'cell', address === null ? '' : slotMeaning(shape, address, slot)))
      item.fields.push(r.field('category', off, 1, category, 'cell', availText(shape, category)))
    }
    items.push(item)
  }
  return {fields, items}
}

/** slotRange -- what the page's slots stand for: heap blocks, or the logical pages of the level below. */
function slotRange(shape: FsmShape, address: FsmAddress): string {
  const first = address.logpageno * shape.slots
  const what = address.level === 0 ? 'heap blocks' : `level ${address.level - 1} pages`
  return `slots are ${what} ${first}..${first + shape.slots - 1}`
}

/** checkTree -- every inner node must be the higher of its children, as fsmpage.c keeps them; the first that is not is named, with how many more. */
function checkTree(r: PageFields, shape: FsmShape, nodesAt: number): void {
  let first = -1
  let highestOfFirst = 0
  let wrong = 0
  for (let node = 0; node < shape.inner; node++) {
    const left = 2 * node + 1
    const highest = Math.max(left < shape.nodes ? r.page[nodesAt + left]! : 0, left + 1 < shape.nodes ? r.page[nodesAt + left + 1]! : 0)
    if (r.page[nodesAt + node] === highest) continue
    if (wrong++ === 0) [first, highestOfFirst] = [node, highest]
  }
  if (wrong === 0) return
  const more = wrong > 1 ? `, and ${wrong - 1} more inner nodes are not` : ''
  r.problem(nodesAt + first, `FSM node ${first} is ${r.page[nodesAt + first]!}, but the higher of its children ${2 * first + 1} and ${2 * first + 2} is ${highestOfFirst}${more} (PostgreSQL rebuilds such a page when a search meets it)`)
}
