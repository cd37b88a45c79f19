/**
 * constants -- PostgreSQL's on-page numbers, as bufpage.h, itemid.h, htup_details.h, itup.h and
 * nbtree.h define them, with the names mpool shows for them.
 *
 * Policy: every name is the header's own (PD_ALL_VISIBLE, HEAP_XMIN_COMMITTED, BTP_LEAF ...), so
 * that a user can look it up; the page kinds `map` prints are listed once here and documented
 * in the README.
 */

/** SizeOfPageHeaderData: pd_lsn .. pd_prune_xid; the line pointer array starts here. */
export const SIZE_OF_PAGE_HEADER = 24
/** sizeof(ItemIdData) */
export const ITEM_ID_SIZE = 4
/** PG_PAGE_LAYOUT_VERSION since PostgreSQL 8.3. */
export const PAGE_LAYOUT_VERSION = 4
/** MAXIMUM_ALIGNOF on every platform PostgreSQL builds for today. */
export const MAXALIGN = 8

/** pd_flags (bufpage.h). */
export const PD_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'PD_HAS_FREE_LINES'],
  [0x0002, 'PD_PAGE_FULL'],
  [0x0004, 'PD_ALL_VISIBLE'],
]
export const PD_VALID_FLAG_BITS = 0x0007

/** lp_flags (itemid.h). */
export const LP_UNUSED = 0
export const LP_NORMAL = 1
export const LP_REDIRECT = 2
export const LP_DEAD = 3
export const LP_FLAG_NAMES = ['LP_UNUSED', 'LP_NORMAL', 'LP_REDIRECT', 'LP_DEAD']

/** SizeofHeapTupleHeaderData: the fixed part of a heap tuple header, t_bits starting at 23. */
export const SIZEOF_HEAP_TUPLE_HEADER = 23

/** t_infomask (htup_details.h). */
export const INFOMASK_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'HEAP_HASNULL'],
  [0x0002, 'HEAP_HASVARWIDTH'],
  [0x0004, 'HEAP_HASEXTERNAL'],
  [0x0008, 'HEAP_HASOID_OLD'],
  [0x0010, 'HEAP_XMAX_KEYSHR_LOCK'],
  [0x0020, 'HEAP_COMBOCID'],
  [0x0040, 'HEAP_XMAX_EXCL_LOCK'],
  [0x0080, 'HEAP_XMAX_LOCK_ONLY'],
  [0x0100, 'HEAP_XMIN_COMMITTED'],
  [0x0200, 'HEAP_XMIN_INVALID'],
  [0x0400, 'HEAP_XMAX_COMMITTED'],
  [0x0800, 'HEAP_XMAX_INVALID'],
  [0x1000, 'HEAP_XMAX_IS_MULTI'],
  [0x2000, 'HEAP_UPDATED'],
  [0x4000, 'HEAP_MOVED_OFF'],
  [0x8000, 'HEAP_MOVED_IN'],
]
export const HEAP_HASNULL = 0x0001

/** t_infomask2: the attribute count and three flags. */
export const HEAP_NATTS_MASK = 0x07ff
export const INFOMASK2_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x2000, 'HEAP_KEYS_UPDATED'],
  [0x4000, 'HEAP_HOT_UPDATED'],
  [0x8000, 'HEAP_ONLY_TUPLE'],
]

/** IndexTupleData: t_tid (6) and t_info (2). */
export const INDEX_TUPLE_SIZE = 8
export const INDEX_SIZE_MASK = 0x1fff
export const INDEX_AM_RESERVED_BIT = 0x2000
export const INDEX_VAR_MASK = 0x4000
export const INDEX_NULL_MASK = 0x8000
/** IndexAttributeBitMapData: INDEX_MAX_KEYS (32) bits. */
export const INDEX_ATTRIBUTE_BITMAP_SIZE = 4

/** BTPageOpaqueData: btpo_prev, btpo_next, btpo_level, btpo_flags, btpo_cycleid. */
export const BT_OPAQUE_SIZE = 16
export const BTP_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'BTP_LEAF'],
  [0x0002, 'BTP_ROOT'],
  [0x0004, 'BTP_DELETED'],
  [0x0008, 'BTP_META'],
  [0x0010, 'BTP_HALF_DEAD'],
  [0x0020, 'BTP_SPLIT_END'],
  [0x0040, 'BTP_HAS_GARBAGE'],
  [0x0080, 'BTP_INCOMPLETE_SPLIT'],
  [0x0100, 'BTP_HAS_FULLXID'],
]
export const BTP_LEAF = 0x0001
export const BTP_DELETED = 0x0004
export const BTP_META = 0x0008
export const BTP_HALF_DEAD = 0x0010
/** The highest btpo_flags bit nbtree.h defines; other index AMs keep a page id (0xFF8x) there. */
export const BTP_ALL_FLAGS = 0x01ff
/** In a tuple with INDEX_ALT_TID_MASK (INDEX_AM_RESERVED_BIT), t_tid's offset number holds these. */
export const BT_OFFSET_MASK = 0x0fff
export const BT_IS_POSTING = 0x2000
export const BT_PIVOT_HEAP_TID_ATTR = 0x1000
/** MAX_BT_CYCLE_ID: btree cycle ids stay below the page ids other index AMs keep in the same place. */
export const MAX_BT_CYCLE_ID = 0xff7f
/** BTREE_MAGIC, in the btree metapage's btm_magic. */
export const BTREE_MAGIC = 0x053162

/** The page kinds of `map`, documented in the README. */
export const KINDS = {
  heap: 'heap',
  btreeMeta: 'btree-meta',
  btreeLeaf: 'btree-leaf',
  btreeInternal: 'btree-internal',
  free: 'free',
  /** a page with a special space of another index access method (hash, GiST, GIN, SP-GiST, BRIN) */
  otherIndex: 'index',
} as const

/** validPagesize -- BLCKSZ values PostgreSQL can be built with: powers of two, 1 KiB .. 32 KiB. */
export function validPagesize(size: number): boolean {
  return size >= 1024 && size <= 32768 && (size & (size - 1)) === 0
}
