/**
 * index-pages -- what each index access method's page module gives the page decoder, and the
 * small readings they share.
 *
 * Policy: an access method is recognised by its special space alone (its size, and the page id
 * or page type the access method keeps in its last bytes), since a relation file does not name
 * its access method; the module then names the page's kind and decodes its special space, its
 * metapage or other contents, and its items.
 */
import type {PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import type {LinePointer} from './header.js'

/** One index access method's pages. */
export interface IndexPages {
  /** is -- whether the page's special space is this access method's */
  is(r: PageFields): boolean
  /** kind -- the documented kind of one of its pages (constants.ts KINDS) */
  kind(r: PageFields): string
  /** decode -- the fields after the page header (metapage, contents, then the special space) and the items */
  decode(r: PageFields, kind: string, pointers: LinePointer[]): {fields: DecodedField[]; items: DecodedItem[]}
}

/** InvalidBlockNumber: a link to no page. */
export const INVALID_BLOCK = 0xffffffff

/** blockMeaning -- a block link in words: none, or what it leads to. */
export function blockMeaning(value: number, what: string): string {
  return value === INVALID_BLOCK ? 'InvalidBlockNumber: none' : what
}

/** magicField -- a 4-byte magic number, a problem if it is not `magic`. */
export function magicField(r: PageFields, name: string, off: number, magic: number, magicName: string): DecodedField {
  const value = r.u32(off)!
  if (value !== magic) r.problem(off, `${name} is 0x${value.toString(16)}, not ${magicName} 0x${magic.toString(16)}`)
  return r.field(name, off, 4, value, 'file-header', value === magic ? magicName : `not ${magicName}`)
}

/** uintFields -- consecutive unsigned fields of `width` bytes from `off`, one per name. */
export function uintFields(r: PageFields, off: number, width: 2 | 4, names: readonly string[]): DecodedField[] {
  return names.map((name, i) => r.uint(name, off + i * width, width, 'file-header')!)
}

/** int64Text -- a signed 64-bit integer at `off` as a decimal string (JSON has no int64). */
export function int64Text(r: PageFields, off: number): string {
  return (r.littleEndian ? r.page.readBigInt64LE(off) : r.page.readBigInt64BE(off)).toString()
}
