/**
 * meta -- a Berkeley DB meta page: DBMETA (db_page.h's _dbmeta33), then the access method's own
 * fields (BTMETA, HMETA, QMETA), then the crypto trailer every meta page ends with.
 *
 * Policy: every field is shown under db_page.h's member name at its own offset; the per-method
 * part follows the page's type byte, not the file's magic, so a damaged meta page still shows
 * what its bytes say. Unused space is left out: it holds nothing to read.
 */
import {flagNames, type PageFields} from '../page-fields.js'
import type {DecodedField} from '../types.js'
import {
  BTM_FLAGS,
  DB_IV_BYTES,
  DB_MAC_KEY,
  HASHM_FLAGS,
  MAGIC,
  META_CHKSUM,
  META_CRYPTO_MAGIC,
  META_IV,
  METAFLAGS,
  P_BTREEMETA,
  P_HASHMETA,
  P_QAMMETA,
  UID_LENGTH,
  pageType,
  validPagesize,
} from './constants.js'
import {lsnField} from './header.js'

/** NCACHED -- the hash meta page's spare points. */
const NCACHED = 32

/** The 4-byte fields each access method's meta page adds after DBMETA (BTMETA, HMETA, QMETA), by page type. */
const METHOD_FIELDS: Record<number, ReadonlyArray<readonly [string, number]>> = {
  [P_BTREEMETA]: [['minkey', 76], ['re_len', 80], ['re_pad', 84], ['root', 88]],
  [P_HASHMETA]: [['max_bucket', 72], ['high_mask', 76], ['low_mask', 80], ['ffactor', 84], ['nelem', 88], ['h_charkey', 92]],
  [P_QAMMETA]: [['first_recno', 72], ['cur_recno', 76], ['re_len', 80], ['re_pad', 84], ['rec_page', 88], ['page_ext', 92]],
}

function magicMeaning(value: number): string {
  const entry = Object.entries(MAGIC).find(([, magic]) => magic === value)
  return entry === undefined ? 'not a Berkeley DB magic number' : `DB_${entry[0].toUpperCase()}MAGIC`
}

/** decodeMeta -- the fields of a meta page, whose type byte is `type`. */
export function decodeMeta(r: PageFields, type: number): DecodedField[] {
  const fields: Array<DecodedField | null> = [
    lsnField(r, 'file-header'),
    r.uint('pgno', 8, 4, 'file-header'),
    r.uint('magic', 12, 4, 'file-header', magicMeaning),
    r.uint('version', 16, 4, 'file-header'),
    r.uint('pagesize', 20, 4, 'file-header', (v) => (validPagesize(v) ? '' : 'not a page size Berkeley DB allows')),
    r.uint('encrypt_alg', 24, 1, 'file-header', (v) => (v === 0 ? 'not encrypted' : 'encrypted')),
    r.uint('type', 25, 1, 'file-header', (v) => pageType(v).name),
    r.uint('metaflags', 26, 1, 'file-header', (v) => flagNames(v, METAFLAGS)),
    r.uint('free', 28, 4, 'file-header', (v) => (v === 0 ? 'no free pages' : 'first page of the free list')),
    r.uint('last_pgno', 32, 4, 'file-header'),
    r.uint('nparts', 36, 4, 'file-header'),
    r.uint('key_count', 40, 4, 'file-header'),
    r.uint('record_count', 44, 4, 'file-header'),
    r.uint('flags', 48, 4, 'file-header', (v) => flagNames(v, type === P_HASHMETA ? HASHM_FLAGS : type === P_BTREEMETA ? BTM_FLAGS : [])),
    r.fits(52, UID_LENGTH) ? r.field('uid', 52, UID_LENGTH, r.hex(52, UID_LENGTH), 'file-header') : null,
  ]
  for (const [name, offset] of METHOD_FIELDS[type] ?? []) fields.push(r.uint(name, offset, 4, 'file-header'))
  if (type === P_HASHMETA && r.fits(96, NCACHED * 4)) {
    const spares: number[] = []
    for (let i = 0; i < NCACHED; i++) spares.push(r.u32(96 + i * 4)!)
    fields.push(r.field('spares', 96, NCACHED * 4, spares, 'file-header'))
  }
  fields.push(
    r.uint('crypto_magic', META_CRYPTO_MAGIC, 4, 'file-header'),
    r.fits(META_IV, DB_IV_BYTES) ? r.field('iv', META_IV, DB_IV_BYTES, r.hex(META_IV, DB_IV_BYTES), 'checksum') : null,
    r.fits(META_CHKSUM, DB_MAC_KEY) ? r.field('chksum', META_CHKSUM, DB_MAC_KEY, r.hex(META_CHKSUM, DB_MAC_KEY), 'checksum') : null,
  )
  return fields.filter((f): f is DecodedField => f !== null)
}
