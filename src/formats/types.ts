/**
 * types -- the contract every page format speaks: detect a file, decode one page, map a file.
 *
 * Policy, each in a sentence:
 *  - A format is pure: functions of bytes and of what the format's own header said. No I/O, no
 *    pool, no colour; the caller reads the pages (through a pool or a file) and renders the result.
 *  - A decoder never throws on bad bytes, never reads past the page and never loops: whatever
 *    does not make sense is named in `problems`, and decoding goes on as far as it safely can.
 *  - Field names are the format's own (SQLite's file-format document, PostgreSQL's bufpage.h and
 *    htup_details.h, Berkeley DB's db_page.h), so that a user can look them up.
 *  - Every offset is a file offset (`pgno * pagesize + offset in page`), the one offset space the
 *    hex view shows.
 *  - Page numbers: `pgno` is mpool's (0-based, page = bytes pgno*pagesize ..); `page` is the
 *    format's own (SQLite counts from 1, so page = pgno + 1; Berkeley DB and PostgreSQL from 0).
 *  - Values are JSON values: 64-bit quantities (LSNs, big rowids) are decimal strings or "X/Y" as
 *    their tools print them, never bigint, so that `--json` needs no special case.
 */

/** The documented format names; `null` in JSON means a plain page file. */
export type FormatName = 'sqlite' | 'berkeleydb' | 'postgresql'

/**
 * The colour regions of a page. A decoder tags each field with one, the hex view colours the
 * field's bytes by it, and the legend names it.
 */
export type Region =
  | 'file-header' // SQLite's 100-byte database header, a Berkeley DB meta page's fields
  | 'page-header' // the b-tree / heap / common page header
  | 'pointer' // cell pointers, line pointers, index offsets
  | 'cell' // a cell, tuple or item: its header fields
  | 'payload' // the data of a cell: record values, keys, tuple data
  | 'freeblock' // free space the format keeps track of (SQLite freeblocks)
  | 'unused' // free space between pointers and content
  | 'special' // PostgreSQL's special space, Berkeley DB trailers
  | 'overflow' // overflow / freelist / pointer-map page contents
  | 'checksum' // a page checksum

export type FieldValue = number | string | boolean | null | Array<number | string>

/** One named field: where its bytes are, what they hold, and what that means. */
export interface DecodedField {
  name: string
  /** file offset of the first byte */
  offset: number
  /** bytes */
  length: number
  value: FieldValue
  /** a plain-words reading of the value, where one helps ("table leaf", "HEAP_XMIN_COMMITTED|...") */
  meaning?: string
  region: Region
}

/** One item of a page: a SQLite cell, a PostgreSQL tuple or index tuple, a Berkeley DB item. */
export interface DecodedItem {
  /** the item's number on the page, as its format counts (SQLite cell 0.., PostgreSQL lp 1..) */
  index: number
  offset: number
  length: number
  fields: DecodedField[]
}

/** Something wrong with the bytes: where, and what, in one sentence. */
export interface PageProblem {
  /** file offset, or null when the problem is not at one place */
  offset: number | null
  message: string
}

/** A decoded page: the `--decode --json` document. */
export interface DecodedPage {
  format: FormatName
  /** the format's page number */
  page: number
  /** mpool's page number */
  pgno: number
  /** a documented kind name (the `map` kinds): table-leaf, heap, btree-leaf, ... */
  kind: string
  /**
   * the table, index or subdatabase whose structure holds the page, as the caller's `entry` (the
   * format's locate with owner) names it, as in `map`; null where the format names none or no
   * entry was given
   */
  owner: string | null
  fields: DecodedField[]
  items: DecodedItem[]
  problems: PageProblem[]
}

/** What detection learned from the file's first bytes; passed back to decode and map. */
export interface FormatInfo {
  format: FormatName
  pagesize: number
  /** where pagesize came from, for people: "the SQLite header" */
  source: string
  /** the format's page number of pgno 0: 1 for SQLite, 0 for the others (a later PostgreSQL segment file: its first block's number) */
  firstPage: number
  /** format-specific facts a decoder needs (reserved bytes, byte order, db type, checksums ...) */
  details: Record<string, number | string | boolean | null>
}

/** One line of `mpool map`. */
export interface PageMapEntry {
  page: number
  pgno: number
  kind: string
  /** the table or index (or database) whose structure holds the page, where the format says */
  owner: string | null
  cells: number | null
  /** bytes free on the page, where the format says */
  free: number | null
  /** bytes of record payload on the page, where the format says (SQLite: dbstat's `payload`) */
  payload?: number | null
}

/**
 * One page's map line as locate gives it, and, when the owner was asked for, what the owner's
 * schema says of the page's records: the names of their values, so a decoder can name them.
 */
export interface PageLocation extends PageMapEntry {
  /** the names of the values in the page's records, in record order, where the schema gives them */
  columns?: string[]
  /** SQLite: the index in `columns` of the INTEGER PRIMARY KEY, stored as NULL: its value is the rowid */
  rowidAlias?: number | null
}

/** `map --json`. */
export interface PageMap {
  format: FormatName
  pagesize: number
  pages: PageMapEntry[]
  problems: PageProblem[]
  /** the same lines as columns, where the format keeps them so (SQLite; page-columns.ts): not enumerable, so no part of the JSON */
  readonly columns?: PageColumns
}

/**
 * A page map's lines as columns: index p of each array is the format's page p, for p from
 * `first` (the page number of mpool pgno 0) to `first + count - 1`. Every line has all of
 * PageMapEntry's fields, payload included.
 */
export interface PageColumns {
  readonly first: number
  readonly count: number
  /** a code into kindNames, per page */
  readonly kind: Uint8Array
  readonly kindNames: readonly string[]
  /** a code into ownerNames per page, or NO_OWNER (-1) */
  readonly owner: Int32Array
  readonly ownerNames: readonly string[]
  /** counts, or NO_COUNT (-2^31) where the format does not give one (null in the entries) */
  readonly cells: Int32Array
  readonly free: Int32Array
  readonly payload: Int32Array
}

/**
 * Reads one page by mpool pgno; the caller decides whether that goes through a pool or a file.
 * The buffer is good until the next call: a reader may reuse it (a file read in large blocks),
 * so a format copies what it keeps.
 */
export type PageReader = (pgno: number) => Buffer

/**
 * A page map built from a file's pages as they are read, block by block in page order (the
 * file is read once, in large blocks, and no page is held after its block): `add` each block,
 * then `finish`, which may read a few pages again (one at a time, in any order) for what the
 * pass could not know yet.
 */
export interface PageMapper {
  /** add -- `count` pages from mpool pgno `firstPgno`, `pagesize` apart in `bytes` from offset 0; pgno 0 first, none skipped */
  add(bytes: Uint8Array, firstPgno: number, count: number): void
  /**
   * blocks -- where the reader reads the pages, in the mapper's own memory, so that it copies
   * nothing: `count` slots, read into in turn (several at once) and each passed to add as the
   * very view blockFor gave; a view is good until the next blockFor of its slot.
   */
  blocks: {count: number; blockFor(bytes: number, slot: number): Uint8Array}
  /** finish -- the map, once every page has been added */
  finish(read: PageReader): PageMap
}

/** A page format: the three pure entry points. */
export interface PageFormat {
  name: FormatName
  /**
   * detect -- the format of a file whose first bytes are `head` (at least 512 of them, or the whole
   * file); `name`, the file's base name where the caller has one, says what the bytes cannot (which
   * segment of a PostgreSQL relation a file is)
   */
  detect(head: Buffer, fileSize: number, name?: string): FormatInfo | null
  /**
   * decode -- one page; `page` is exactly `info.pagesize` bytes. `entry`, the page's line of the
   * map where the caller has it, says what the bytes alone cannot (a SQLite overflow or freelist
   * page looks like any other bytes, a record's values have no names).
   */
  decode(page: Buffer, pgno: number, info: FormatInfo, entry?: PageLocation): DecodedPage
  /** map -- every page of the file, by walking the format's structures */
  map(read: PageReader, npages: number, info: FormatInfo): PageMap
  /** mapper -- the same map, fed the file's pages in order a block at a time (formats that can; else the caller uses map) */
  mapper?(npages: number, info: FormatInfo): PageMapper
  /**
   * locate -- the map line of one page, as cheaply as the format allows (SQLite reads the
   * freelist and, only for a page that is no b-tree page, the whole map). Formats whose pages say
   * what they are need not have it: decode's `entry` is optional. With `owner`, the owner of a
   * b-tree page too, and its records' column names (SQLite reads the schema and a lookup's pages
   * for it): what a decode asks for, and a grid label does not.
   */
  locate?(read: PageReader, npages: number, info: FormatInfo, pgno: number, options?: {owner?: boolean}): PageLocation
}
