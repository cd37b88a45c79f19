/**
 * page -- one Berkeley DB page decoded: the meta page, or the common header, the index array and
 * the items, by the page's own type byte.
 *
 * Policy, each in a sentence:
 *  - The owner (the subdatabase) is the caller's map line's (locate with owner, map.ts): the
 *    page's bytes do not say which database of the file it is part of.
 *  - The page's type byte decides how it is read, so a page is decoded by what it says it is;
 *    a page that says another pgno than where it lies is named as a problem, not trusted less.
 *  - A page of all zeros was allocated and never written: it decodes with no problem, as
 *    P_INVALID, except in a hash file, where it is a bucket page not yet written, which Berkeley DB
 *    (and db_dump) reads as an empty P_HASH page; its kind is then `hash`.
 *  - With checksums (DBMETA_CHKSUM) the header is followed by the page's 4-byte checksum (at 28,
 *    after two bytes of padding) and the index array starts at 32; an encrypted file's pages are shown as header only, since their
 *    items are ciphertext.
 */
import {PageFields, allZero} from '../page-fields.js'
import type {DecodedField, DecodedItem, DecodedPage, FormatInfo, PageMapEntry} from '../types.js'
import {
  P_BTREEMETA,
  P_HASH,
  P_HASHMETA,
  P_HEAPMETA,
  P_OVERFLOW,
  P_QAMDATA,
  P_QAMMETA,
  PAGE_CHKSUM_OFFSET,
  PAGE_CHKSUM_SIZE,
  PG_CHKSUM_SIZE,
  PG_CRYPTO_SIZE,
  QPAGE_SIZE,
  SIZEOF_PAGE,
  pageType,
} from './constants.js'
import {decodeHeader, decodeQueueHeader} from './header.js'
import {decodeItems, decodeOverflow, decodeQueueRecords, readIndex} from './items.js'
import {decodeMeta} from './meta.js'

const META_TYPES = new Set([P_BTREEMETA, P_HASHMETA, P_QAMMETA, P_HEAPMETA])

/** isMetaType -- whether a page type byte is one of the meta page types. */
export function isMetaType(type: number): boolean {
  return META_TYPES.has(type)
}

/** isZeroPage -- a page allocated and never written. */
export const isZeroPage = allZero

/** zeroPageKind -- what a never-written page is: an empty bucket in a hash file, else P_INVALID. */
export function zeroPageKind(info: FormatInfo): string {
  return info.details.accessMethod === 'hash' ? pageType(P_HASH).kind : pageType(0).kind
}

/** pageReader -- a bounded reader of `page` in the file's byte order. */
export function pageReader(page: Buffer, pgno: number, info: FormatInfo): PageFields {
  return new PageFields(page, pgno, info.details.byteOrder !== 'big')
}

/** overhead -- where the index array (or an overflow page's data) starts: P_OVERHEAD. */
export function overhead(info: FormatInfo): number {
  if (info.details.encrypted === true) return PG_CRYPTO_SIZE
  return info.details.checksum === true ? PG_CHKSUM_SIZE : SIZEOF_PAGE
}

function checksumField(r: PageFields, info: FormatInfo): DecodedField | null {
  if (info.details.checksum !== true || info.details.encrypted === true || !r.fits(PAGE_CHKSUM_OFFSET, PAGE_CHKSUM_SIZE)) return null
  return r.field('chksum', PAGE_CHKSUM_OFFSET, PAGE_CHKSUM_SIZE, r.hex(PAGE_CHKSUM_OFFSET, PAGE_CHKSUM_SIZE), 'checksum')
}

/** decodeBerkeleyDbPage -- the DecodedPage of `page` (mpool pgno `pgno`); `entry`, its map line where the caller has it, names its subdatabase. */
export function decodeBerkeleyDbPage(page: Buffer, pgno: number, info: FormatInfo, entry?: PageMapEntry): DecodedPage {
  const r = pageReader(page, pgno, info)
  const type = r.u8(25) ?? 0
  const {kind} = pageType(type)
  const decoded: DecodedPage = {format: 'berkeleydb', page: pgno, pgno, kind, owner: entry?.owner ?? null, fields: [], items: [], problems: r.problems}
  if (page.length < SIZEOF_PAGE) {
    r.problem(0, `the page is ${page.length} bytes, shorter than the ${SIZEOF_PAGE}-byte page header`)
    return decoded
  }
  if (isZeroPage(page)) {
    decoded.kind = zeroPageKind(info)
    decoded.fields = decodeHeader(r, type)
    return decoded
  }
  const said = r.u32(8)!
  if (said !== pgno) r.problem(8, `the page says it is page ${said}, but it lies at page ${pgno}`)
  if (isMetaType(type)) {
    decoded.fields = decodeMeta(r, type)
    return decoded
  }
  if (type === P_QAMDATA) {
    decoded.fields = decodeQueueHeader(r)
    const reLen = Number(info.details.reLen ?? 0)
    const recPage = Number(info.details.recPage ?? 0)
    if (info.details.encrypted !== true) decoded.items = decodeQueueRecords(r, pgno, QPAGE_SIZE, reLen, recPage)
    return decoded
  }
  decoded.fields = decodeHeader(r, type)
  const chksum = checksumField(r, info)
  if (chksum !== null) decoded.fields.push(chksum)
  if (info.details.encrypted === true) return decoded
  const start = overhead(info)
  const entries = r.u16(20)!
  const hfOffset = r.u16(22)!
  let items: DecodedItem[] = []
  if (type === P_OVERFLOW) items = decodeOverflow(r, start, hfOffset)
  else if (pageType(type).kind !== 'unknown' && type !== 0) {
    if (hfOffset > page.length) r.problem(22, `hf_offset ${hfOffset} is past the end of the page`)
    const index = readIndex(r, start, entries)
    if (index.field !== null) decoded.fields.push(index.field)
    items = decodeItems(r, type, start, index.offsets)
  } else if (type !== 0) r.problem(25, `type ${type} is not a Berkeley DB page type`)
  decoded.items = items
  return decoded
}
