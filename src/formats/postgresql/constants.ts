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

/** The page ids other index access methods keep in the special space's last two bytes. */
export const HASHO_PAGE_ID = 0xff80
export const GIST_PAGE_ID = 0xff81
export const SPGIST_PAGE_ID = 0xff82

/** HashPageOpaqueData (hash.h): hasho_prevblkno, hasho_nextblkno, hasho_bucket, hasho_flag, hasho_page_id. */
export const HASH_OPAQUE_SIZE = 16
export const LH_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'LH_OVERFLOW_PAGE'],
  [0x0002, 'LH_BUCKET_PAGE'],
  [0x0004, 'LH_BITMAP_PAGE'],
  [0x0008, 'LH_META_PAGE'],
  [0x0010, 'LH_BUCKET_BEING_POPULATED'],
  [0x0020, 'LH_BUCKET_BEING_SPLIT'],
  [0x0040, 'LH_BUCKET_NEEDS_SPLIT_CLEANUP'],
  [0x0080, 'LH_PAGE_HAS_DEAD_TUPLES'],
]
export const LH_OVERFLOW_PAGE = 0x0001
export const LH_BUCKET_PAGE = 0x0002
export const LH_BITMAP_PAGE = 0x0004
export const LH_META_PAGE = 0x0008
/** HASH_MAGIC, in the hash metapage's hashm_magic. */
export const HASH_MAGIC = 0x6440640
/** HASH_MAX_SPLITPOINTS: the length of hashm_spares. */
export const HASH_MAX_SPLITPOINTS = 98

/** GISTPageOpaqueData (gist.h): nsn, rightlink, flags, gist_page_id. */
export const GIST_OPAQUE_SIZE = 16
export const GIST_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'F_LEAF'],
  [0x0002, 'F_DELETED'],
  [0x0004, 'F_TUPLES_DELETED'],
  [0x0008, 'F_FOLLOW_RIGHT'],
  [0x0010, 'F_HAS_GARBAGE'],
]
export const F_LEAF = 0x0001
export const F_DELETED = 0x0002

/** SpGistPageOpaqueData (spgist_private.h): flags, nRedirection, nPlaceholder, spgist_page_id. */
export const SPGIST_OPAQUE_SIZE = 8
export const SPGIST_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'SPGIST_META'],
  [0x0002, 'SPGIST_DELETED'],
  [0x0004, 'SPGIST_LEAF'],
  [0x0008, 'SPGIST_NULLS'],
]
export const SPGIST_META = 0x0001
export const SPGIST_DELETED = 0x0002
export const SPGIST_LEAF = 0x0004
/** SPGIST_MAGIC_NUMBER, in the SP-GiST metapage's magicNumber. */
export const SPGIST_MAGIC_NUMBER = 0xba0babee
/** tupstate of SP-GiST tuples. */
export const SPGIST_TUPSTATES = ['SPGIST_LIVE', 'SPGIST_REDIRECT', 'SPGIST_DEAD', 'SPGIST_PLACEHOLDER']

/** GinPageOpaqueData (ginblock.h): rightlink, maxoff, flags; GIN keeps no page id. */
export const GIN_OPAQUE_SIZE = 8
export const GIN_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x0001, 'GIN_DATA'],
  [0x0002, 'GIN_LEAF'],
  [0x0004, 'GIN_DELETED'],
  [0x0008, 'GIN_META'],
  [0x0010, 'GIN_LIST'],
  [0x0020, 'GIN_LIST_FULLROW'],
  [0x0040, 'GIN_INCOMPLETE_SPLIT'],
  [0x0080, 'GIN_COMPRESSED'],
]
export const GIN_DATA = 0x0001
export const GIN_LEAF = 0x0002
export const GIN_DELETED = 0x0004
export const GIN_META = 0x0008
export const GIN_LIST = 0x0010
export const GIN_COMPRESSED = 0x0080
export const GIN_ALL_FLAGS = 0x00ff

/** BrinSpecialSpace (brin_page.h): four uint16s, the page type in the last and the flags before it. */
export const BRIN_SPECIAL_SIZE = 8
export const BRIN_PAGETYPE_META = 0xf091
export const BRIN_PAGETYPE_REVMAP = 0xf092
export const BRIN_PAGETYPE_REGULAR = 0xf093
export const BRIN_FLAGS: ReadonlyArray<readonly [number, string]> = [[0x0001, 'BRIN_EVACUATE_PAGE']]
/** BRIN_META_MAGIC, in the BRIN metapage's brinMagic. */
export const BRIN_META_MAGIC = 0xa8109cfa
/** BrinTuple's bt_info bits. */
export const BRIN_OFFSET_MASK = 0x1f
export const BRIN_INFO_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x20, 'BRIN_EMPTY_RANGE_MASK'],
  [0x40, 'BRIN_PLACEHOLDER_MASK'],
  [0x80, 'BRIN_NULLS_MASK'],
]

/** The page kinds of `map`, documented in the README. */
export const KINDS = {
  heap: 'heap',
  btreeMeta: 'btree-meta',
  btreeLeaf: 'btree-leaf',
  btreeInternal: 'btree-internal',
  hashMeta: 'hash-meta',
  hashBucket: 'hash-bucket',
  hashOverflow: 'hash-overflow',
  hashBitmap: 'hash-bitmap',
  gistLeaf: 'gist-leaf',
  gistInternal: 'gist-internal',
  spgistMeta: 'spgist-meta',
  spgistLeaf: 'spgist-leaf',
  spgistInner: 'spgist-inner',
  ginMeta: 'gin-meta',
  ginEntryLeaf: 'gin-entry-leaf',
  ginEntryInternal: 'gin-entry-internal',
  ginDataLeaf: 'gin-data-leaf',
  ginDataInternal: 'gin-data-internal',
  ginPending: 'gin-pending',
  brinMeta: 'brin-meta',
  brinRevmap: 'brin-revmap',
  brinRegular: 'brin-regular',
  /** a page of the free space map fork (RELFILENODE_fsm) */
  fsm: 'fsm',
  /** a page of the visibility map fork (RELFILENODE_vm) */
  vm: 'vm',
  /** a new page, an unused hash page, or a deleted btree, GiST, SP-GiST or GIN page */
  free: 'free',
  /** a page whose special space is no access method's that mpool knows */
  otherIndex: 'index',
} as const

/** The kinds whose pages keep no line pointers: what lies after the header is the access method's own array or struct. */
export const KINDS_WITHOUT_ITEMS: ReadonlySet<string> = new Set([
  KINDS.btreeMeta,
  KINDS.hashMeta,
  KINDS.hashBitmap,
  KINDS.spgistMeta,
  KINDS.ginMeta,
  KINDS.ginDataLeaf,
  KINDS.ginDataInternal,
  KINDS.brinMeta,
  KINDS.brinRevmap,
  KINDS.fsm,
  KINDS.vm,
])

/** RELSEG_SIZE * BLCKSZ: a relation's segment files are 1 GiB each (PostgreSQL's default build). */
export const SEGMENT_BYTES = 1024 * 1024 * 1024

/** validPagesize -- BLCKSZ values PostgreSQL can be built with: powers of two, 1 KiB .. 32 KiB. */
export function validPagesize(size: number): boolean {
  return size >= 1024 && size <= 32768 && (size & (size - 1)) === 0
}
