/**
 * constants -- Berkeley DB 5.3's on-disk numbers, as db_page.h, btree.h, hash.h and qam.h define
 * them, with the names mpool shows for them.
 *
 * Policy: names are db_page.h's own (P_LBTREE, B_KEYDATA, BTM_RECNO ...) so that a user can look
 * them up; the page kinds `map` prints are those page types in lower-case words, listed once here
 * and documented in the README.
 */

/** Meta page magic numbers (DB_BTREEMAGIC ...), and the access method each names. */
export const MAGIC = {
  btree: 0x053162,
  hash: 0x061561,
  queue: 0x042253,
  heap: 0x074582,
} as const

export type AccessMethod = keyof typeof MAGIC

/** SIZEOF_PAGE -- the common page header, 26 bytes (LSN, pgno, prev, next, entries, hf_offset, level, type). */
export const SIZEOF_PAGE = 26
/** The queue data page header (QPAGE_NORMAL): records start here. */
export const QPAGE_SIZE = 28
/** DBMETA, the meta header every access method's meta page starts with. */
export const DBMETA_SIZE = 72
/** DB_FILE_ID_LEN -- the uid in the meta page. */
export const UID_LENGTH = 20
/**
 * With DBMETA_CHKSUM, every page keeps a 4-byte checksum after its header, 4-byte aligned
 * (PG_CHKSUM: bytes 26-27 are padding, the checksum is bytes 28-31), and the index array starts
 * at 32. Measured on files db_load -c chksum=1 made, which db_dump -da reads the same way.
 */
export const PAGE_CHKSUM_OFFSET = 28
export const PAGE_CHKSUM_SIZE = 4
export const PG_CHKSUM_SIZE = 32
/** With encryption the header is PG_CRYPTO: 20 bytes of MAC and 16 of IV, padded to 64. */
export const PG_CRYPTO_SIZE = 64
/** Where an access method's meta page keeps crypto_magic, the IV and the checksum. */
export const META_CRYPTO_MAGIC = 460
export const META_IV = 476
export const META_CHKSUM = 492
export const DB_MAC_KEY = 20
export const DB_IV_BYTES = 16

/** Page types (P_*), in db_page.h's numbering, with the kind names `map` prints. */
export const PAGE_TYPES: ReadonlyArray<{type: number; name: string; kind: string}> = [
  {type: 0, name: 'P_INVALID', kind: 'invalid'},
  {type: 1, name: '__P_DUPLICATE', kind: 'duplicate'},
  {type: 2, name: 'P_HASH_UNSORTED', kind: 'hash-unsorted'},
  {type: 3, name: 'P_IBTREE', kind: 'btree-internal'},
  {type: 4, name: 'P_IRECNO', kind: 'recno-internal'},
  {type: 5, name: 'P_LBTREE', kind: 'btree-leaf'},
  {type: 6, name: 'P_LRECNO', kind: 'recno-leaf'},
  {type: 7, name: 'P_OVERFLOW', kind: 'overflow'},
  {type: 8, name: 'P_HASHMETA', kind: 'hash-meta'},
  {type: 9, name: 'P_BTREEMETA', kind: 'btree-meta'},
  {type: 10, name: 'P_QAMMETA', kind: 'queue-meta'},
  {type: 11, name: 'P_QAMDATA', kind: 'queue-data'},
  {type: 12, name: 'P_LDUP', kind: 'duplicate-leaf'},
  {type: 13, name: 'P_HASH', kind: 'hash'},
  {type: 14, name: 'P_HEAPMETA', kind: 'heap-meta'},
  {type: 15, name: 'P_HEAP', kind: 'heap'},
  {type: 16, name: 'P_IHEAP', kind: 'heap-internal'},
]

/** The kind of a page on the meta page's free list (its type is P_INVALID). */
export const FREE_KIND = 'free'
/** The kind of a page whose type byte is none of db_page.h's. */
export const UNKNOWN_KIND = 'unknown'

export const P_IBTREE = 3
export const P_IRECNO = 4
export const P_LBTREE = 5
export const P_LRECNO = 6
export const P_OVERFLOW = 7
export const P_HASHMETA = 8
export const P_BTREEMETA = 9
export const P_QAMMETA = 10
export const P_QAMDATA = 11
export const P_LDUP = 12
export const P_HASH_UNSORTED = 2
export const P_HASH = 13
export const P_HEAPMETA = 14

/** pageType -- db_page.h's name and mpool's kind for a page type byte. */
export function pageType(type: number): {name: string; kind: string} {
  return PAGE_TYPES[type] ?? {name: `type ${type}`, kind: UNKNOWN_KIND}
}

/** The meta page type each magic must come with. */
export const META_TYPE: Record<AccessMethod, number> = {btree: P_BTREEMETA, hash: P_HASHMETA, queue: P_QAMMETA, heap: P_HEAPMETA}

/** DBMETA metaflags. */
export const METAFLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'DBMETA_CHKSUM'],
  [0x02, 'DBMETA_PART_RANGE'],
  [0x04, 'DBMETA_PART_CALLBACK'],
]

/** Btree (and recno) meta flags, btree.h. */
export const BTM_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x001, 'BTM_DUP'],
  [0x002, 'BTM_RECNO'],
  [0x004, 'BTM_RECNUM'],
  [0x008, 'BTM_FIXEDLEN'],
  [0x010, 'BTM_RENUMBER'],
  [0x020, 'BTM_SUBDB'],
  [0x040, 'BTM_DUPSORT'],
  [0x080, 'BTM_COMPRESS'],
]
export const BTM_RECNO = 0x002
export const BTM_SUBDB = 0x020

/** Hash meta flags, hash.h. */
export const HASHM_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'DB_HASH_DUP'],
  [0x02, 'DB_HASH_SUBDB'],
  [0x04, 'DB_HASH_DUPSORT'],
]

/** Btree item types (B_*), with B_DELETE as a flag on top. */
export const B_KEYDATA = 1
export const B_DUPLICATE = 2
export const B_OVERFLOW = 3
export const B_DELETE = 0x80
export const B_TYPES: Record<number, string> = {1: 'B_KEYDATA', 2: 'B_DUPLICATE', 3: 'B_OVERFLOW', 4: 'B_BLOB'}

/** Hash item types (H_*). */
export const H_KEYDATA = 1
export const H_DUPLICATE = 2
export const H_OFFPAGE = 3
export const H_OFFDUP = 4
export const H_TYPES: Record<number, string> = {1: 'H_KEYDATA', 2: 'H_DUPLICATE', 3: 'H_OFFPAGE', 4: 'H_OFFDUP', 5: 'H_BLOB'}

/** BKEYDATA's header: len (2) and type (1). */
export const BKEYDATA_SIZE = 3
/** BOVERFLOW and BINTERNAL's fixed part: 12 bytes. */
export const BOVERFLOW_SIZE = 12
export const BINTERNAL_SIZE = 12
/** RINTERNAL: pgno and nrecs. */
export const RINTERNAL_SIZE = 8
/** HOFFPAGE: type, 3 unused, pgno, tlen. HOFFDUP: type, 3 unused, pgno. */
export const HOFFPAGE_SIZE = 12
export const HOFFDUP_SIZE = 8

/** Queue record flags (QAMDATA.flags). */
export const QAM_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'QAM_VALID'],
  [0x02, 'QAM_SET'],
]

/** Page sizes Berkeley DB accepts: powers of two from 512 to 65536. */
export function validPagesize(size: number): boolean {
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0
}
