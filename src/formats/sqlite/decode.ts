/**
 * decode -- one SQLite page as named fields, by the file-format document's names, in the way
 * showdb's decode lines have them: offset, bytes, value, meaning.
 *
 * What a page is comes from its bytes where they say (a b-tree page's type byte; page 1), from
 * arithmetic where the format fixes it (pointer-map and lock-byte pages), and otherwise from the
 * map line the caller passes (`entry`): an overflow or freelist page is just bytes without it,
 * decoded as `unknown` with a problem that says so.
 *
 * A record's values are named as the owner's CREATE statement names them (`email`), where the
 * caller's `entry` carries the names (locate with owner); otherwise, and for a value past the
 * names or a name that another field of the cell has, `column N`.
 *
 * Policy: column values are clipped for people (text at TEXT_CLIP characters, blobs at BLOB_CLIP
 * bytes, as x'..' hex) and the field says so in its meaning; a value that continues on an
 * overflow page shows what this page has and says where the rest is.
 */

import type {DecodedField, DecodedItem, DecodedPage, FormatInfo, PageLocation, PageMapEntry, PageProblem, Region} from '../types.js'
import {hex, readVarint, u16, u32, varintValue} from './bytes.js'
import {BTREE_KIND, isBtreeType, parseBtreePage, PAGE_TYPE, type BtreePage, type Cell} from './btree.js'
import {factsOf, HEADER_FIELDS, type SqliteFacts} from './header.js'
import {isPtrmapPage, lockBytePage} from './map.js'
import {decodeRecord, serialTypeName, type SqlValue} from './record.js'

export const TEXT_CLIP = 64
export const BLOB_CLIP = 32

const PAGE_TYPE_NAMES: Record<number, string> = {
  2: 'interior index b-tree page',
  5: 'interior table b-tree page',
  10: 'leaf index b-tree page',
  13: 'leaf table b-tree page',
}

const PTRMAP_TYPES: Record<number, string> = {
  1: 'PTRMAP_ROOTPAGE (a b-tree root page)',
  2: 'PTRMAP_FREEPAGE (a freelist page)',
  3: 'PTRMAP_OVERFLOW1 (the first page of an overflow chain; parent is the cell\'s page)',
  4: 'PTRMAP_OVERFLOW2 (a later overflow page; parent is the previous one)',
  5: 'PTRMAP_BTREE (a non-root b-tree page; parent is its parent page)',
}

/** kindOfPage -- what page pgno is, from the map line if given, else from arithmetic and its type byte. */
export function kindOfPage(page: Buffer, pgno: number, facts: SqliteFacts, entry?: PageMapEntry): string {
  if (entry !== undefined) return entry.kind
  const sqlitePage = pgno + 1
  if (sqlitePage === lockBytePage(facts.pagesize)) return 'lock-byte'
  if (facts.autoVacuum && isPtrmapPage(sqlitePage, facts.usable, facts.pagesize)) return 'ptrmap'
  if (sqlitePage === facts.freelistTrunk) return 'freelist-trunk'
  const type = page[pgno === 0 ? 100 : 0] ?? 0
  return BTREE_KIND[type] ?? 'unknown'
}

/** A builder of fields at file offsets: base is the page's file offset. */
class Fields {
  readonly list: DecodedField[] = []
  constructor(
    readonly page: Buffer,
    readonly base: number,
  ) {}

  add(name: string, off: number, length: number, value: DecodedField['value'], region: Region, meaning?: string): DecodedField {
    // one literal or the other, not a property added after: each field is then one allocation
    const offset = this.base + off
    const field: DecodedField = meaning === undefined ? {name, offset, length, value, region} : {name, offset, length, value, region, meaning}
    this.list.push(field)
    return field
  }

  u8(name: string, off: number, region: Region, meaning?: (v: number) => string | undefined): void {
    const v = this.page[off] ?? 0
    this.add(name, off, 1, v, region, meaning?.(v))
  }

  u16(name: string, off: number, region: Region, meaning?: (v: number) => string | undefined): void {
    const v = u16(this.page, off) ?? 0
    this.add(name, off, 2, v, region, meaning?.(v))
  }

  u32(name: string, off: number, region: Region, meaning?: (v: number) => string | undefined): void {
    const v = u32(this.page, off) ?? 0
    this.add(name, off, 4, v, region, meaning?.(v))
  }
}

/** shown -- a column value as a JSON value for people: clipped text, x'..' blobs, exact big integers. */
export function shownValue(value: SqlValue): {value: DecodedField['value']; clipped: boolean} {
  if (value === null || typeof value === 'number') {
    if (typeof value === 'number' && !Number.isFinite(value)) return {value: String(value), clipped: false}
    return {value, clipped: false}
  }
  if (typeof value === 'bigint') return {value: value.toString(), clipped: false}
  if (typeof value === 'string') {
    // TEXT_CLIP counts characters (code points); a string of no more UTF-16 units has no more of them
    if (value.length <= TEXT_CLIP) return {value, clipped: false}
    const chars = [...value]
    return chars.length > TEXT_CLIP ? {value: chars.slice(0, TEXT_CLIP).join('') + '…', clipped: true} : {value, clipped: false}
  }
  const clipped = value.length > BLOB_CLIP
  return {value: `x'${value.subarray(0, BLOB_CLIP).toString('hex')}${clipped ? '…' : ''}'`, clipped}
}

/** decodeSqlite -- the DecodedPage of SQLite page pgno + 1. */
export function decodeSqlite(page: Buffer, pgno: number, info: FormatInfo, entry?: PageLocation): DecodedPage {
  const facts = factsOf(info)
  const base = pgno * info.pagesize
  const kind = kindOfPage(page, pgno, facts, entry)
  const fields = new Fields(page, base)
  const items: DecodedItem[] = []
  const problems: PageProblem[] = []
  if (pgno === 0) headerFields(fields)
  if (kind in KIND_TO_TYPE || (kind === 'unknown' && isBtreeType(page[pgno === 0 ? 100 : 0] ?? 0))) {
    btreeFields(page, pgno, facts, fields, items, problems, entry)
  } else if (kind === 'overflow') {
    fields.u32('next overflow page', 0, 'overflow', (v) => (v === 0 ? 'the last page of the chain' : `page ${v}`))
    const used = entry?.payload ?? null
    fields.add('overflow content', 4, facts.usable - 4, used, 'payload', used === null ? `up to ${facts.usable - 4} bytes of payload` : `${used} bytes of payload`)
  } else if (kind === 'freelist-trunk') {
    trunkFields(page, facts, fields, problems, base)
  } else if (kind === 'freelist-leaf') {
    fields.add('freelist leaf page', 0, facts.usable, null, 'unused', 'a free page; its bytes mean nothing')
  } else if (kind === 'ptrmap') {
    ptrmapItems(page, pgno, facts, items, base)
  } else if (kind === 'lock-byte') {
    fields.add('lock-byte page', 0, info.pagesize, null, 'unused', 'holds the file offsets 2^30.. that locks use; SQLite never stores data here')
  } else if (pgno !== 0) {
    problems.push({offset: base, message: `page ${pgno + 1} is no b-tree page (type byte ${page[0]}); only the map can say whether it is an overflow or freelist page`})
  }
  if (facts.reserved > 0) fields.add('reserved space', facts.usable, facts.reserved, hex(page, facts.usable, facts.reserved), 'special', 'bytes reserved at the end of each page (extensions)')
  return {format: 'sqlite', page: pgno + 1, pgno, kind, owner: entry?.owner ?? null, fields: fields.list, items, problems}
}

const KIND_TO_TYPE: Record<string, number> = {
  'index-interior': PAGE_TYPE.indexInterior,
  'table-interior': PAGE_TYPE.tableInterior,
  'index-leaf': PAGE_TYPE.indexLeaf,
  'table-leaf': PAGE_TYPE.tableLeaf,
}

/** headerFields -- the 100-byte database header of page 1. */
function headerFields(fields: Fields): void {
  fields.add('header string', 0, 16, fields.page.subarray(0, 15).toString('latin1'), 'file-header', 'the SQLite magic')
  for (const f of HEADER_FIELDS) {
    if (f.offset === 92) {
      const zero = fields.page.subarray(72, 92).every((b) => b === 0)
      fields.add('reserved for expansion', 72, 20, zero ? 0 : hex(fields.page, 72, 20, 20), 'file-header', zero ? 'zero, as it must be' : 'must be zero: it is not')
    }
    if (f.length === 1) fields.u8(f.name, f.offset, 'file-header', f.meaning)
    else if (f.length === 2) fields.u16(f.name, f.offset, 'file-header', f.meaning)
    else fields.u32(f.name, f.offset, 'file-header', f.meaning)
  }
}

/** The names a cell's own fields have: a value may not take one of them (nor a serial type's); `rowid` is a table cell's only. */
const CELL_FIELDS = new Set(['left child page', 'payload size', 'record header size', 'local payload', 'first overflow page'])

/**
 * ValueNames -- the field names of a page's record values, resolved once a page (a leaf has
 * hundreds of cells): the schema's name, else `column N` where there is none, another field of
 * the cell has it, or an earlier value has it already.
 */
export class ValueNames {
  private readonly resolved: string[]
  private readonly named: boolean[]

  constructor(
    names: readonly string[],
    readonly rowidAlias: number | null,
    isTable: boolean,
  ) {
    const seen = new Set<string>()
    this.resolved = names.map((name, i) => {
      const key = name.toLowerCase()
      const usable = name !== '' && !CELL_FIELDS.has(name) && !(isTable && name === 'rowid') && !/^(serial type|column) \d+$/.test(name) && !seen.has(key)
      seen.add(key)
      return usable ? name : `column ${i}`
    })
    this.named = this.resolved.map((name, i) => name !== `column ${i}`)
  }

  /** of -- value i's field name */
  of(i: number): string {
    return this.resolved[i] ?? `column ${i}`
  }

  /** isNamed -- whether value i has the schema's name (not `column i`) */
  isNamed(i: number): boolean {
    return this.named[i] ?? false
  }
}

/**
 * Words -- the strings a page's cells have in common (a serial type's name, what a value's serial
 * type says, `serial type N`, `N bytes`), each made once a page: a leaf's hundreds of cells mostly
 * repeat a few, and making each again was much of a decode's work and of the garbage after it.
 */
class Words {
  private readonly typeNames = new Map<number, string>()
  private readonly typeFields: string[] = []
  private readonly typeMeanings: Array<Map<number, string>> = []
  private readonly byteCounts = new Map<number, string>()

  constructor(private readonly names: ValueNames) {}

  /** typeName -- serialTypeName(t) */
  typeName(t: number): string {
    let name = this.typeNames.get(t)
    if (name === undefined) this.typeNames.set(t, (name = serialTypeName(t)))
    return name
  }

  /** typeField -- the field name of value i's serial type */
  typeField(i: number): string {
    return (this.typeFields[i] ??= `serial type ${i}`)
  }

  /** typeMeaning -- what value i's serial type t says: its name, and the column's where the schema gives one */
  typeMeaning(i: number, t: number): string {
    const byType = (this.typeMeanings[i] ??= new Map())
    let meaning = byType.get(t)
    if (meaning === undefined) byType.set(t, (meaning = this.names.isNamed(i) ? `${this.typeName(t)}, for ${this.names.of(i)}` : this.typeName(t)))
    return meaning
  }

  /** bytes -- `N bytes` */
  bytes(n: number): string {
    let text = this.byteCounts.get(n)
    if (text === undefined) this.byteCounts.set(n, (text = `${n} bytes`))
    return text
  }
}

function namesOf(entry: PageLocation | undefined, isTable: boolean): ValueNames {
  return new ValueNames(entry?.columns ?? [], entry?.rowidAlias ?? null, isTable)
}

/** btreeFields -- the b-tree page header, cell pointers, cells and freeblocks. */
function btreeFields(page: Buffer, pgno: number, facts: SqliteFacts, fields: Fields, items: DecodedItem[], problems: PageProblem[], entry: PageLocation | undefined): void {
  const tree = parseBtreePage(page, pgno, facts.usable)
  const names = namesOf(entry, tree.isTable)
  const h = tree.headerOffset
  const base = fields.base
  fields.u8('page type', h, 'page-header', (v) => PAGE_TYPE_NAMES[v] ?? 'invalid')
  fields.u16('first freeblock', h + 1, 'page-header', (v) => (v === 0 ? 'none' : `at page offset ${v}`))
  fields.u16('cell count', h + 3, 'page-header')
  fields.u16('cell content start', h + 5, 'page-header', (v) => (v === 0 ? '65536' : undefined))
  fields.u8('fragmented free bytes', h + 7, 'page-header')
  if (!tree.isLeaf && isBtreeType(tree.type)) fields.u32('right-most pointer', h + 8, 'page-header', (v) => `page ${v}`)
  const ptrs = h + tree.headerSize
  for (let i = 0; i < tree.pointers.length; i++) {
    const p = tree.pointers[i]!
    fields.add(`cell pointer ${i}`, ptrs + 2 * i, 2, p, 'pointer', `cell ${i} at page offset ${p}`)
  }
  const ptrEnd = ptrs + 2 * tree.pointers.length
  const gap = Math.min(tree.contentStart, facts.usable) - ptrEnd
  if (gap > 0) fields.add('unallocated space', ptrEnd, gap, gap, 'unused', `${gap} free bytes between the cell pointers and the cell content`)
  tree.freeblocks.forEach((f, i) => {
    fields.add(`freeblock ${i} next`, f.offset, 2, f.next, 'freeblock', f.next === 0 ? 'the last freeblock' : `next at page offset ${f.next}`)
    fields.add(`freeblock ${i} size`, f.offset + 2, 2, f.size, 'freeblock', `${f.size} bytes free`)
  })
  for (const p of tree.problems) problems.push({offset: p.at === null ? null : base + p.at, message: p.message})
  const words = new Words(names)
  for (let i = 0; i < tree.cells.length; i++) items.push(cellItem(page, tree, tree.cells[i]!, facts, base, problems, names, words))
}

/** cellItem -- one cell's fields: child, sizes, rowid, the record header, the values, the overflow. */
function cellItem(page: Buffer, tree: BtreePage, cell: Cell, facts: SqliteFacts, base: number, problems: PageProblem[], names: ValueNames, words: Words): DecodedItem {
  const f = new Fields(page, base)
  if (cell.leftChild !== null) f.add('left child page', cell.offset, 4, cell.leftChild, 'cell', `page ${cell.leftChild}`)
  if (cell.payloadSize !== null) f.add('payload size', cell.payloadSizeOffset, cell.payloadSizeLength, cell.payloadSize, 'cell', words.bytes(cell.payloadSize))
  if (cell.rowid !== null) f.add('rowid', cell.rowidOffset, cell.rowid.length, varintValue(cell.rowid), 'cell', tree.isLeaf ? undefined : 'the largest rowid in the left child')
  if (cell.payloadSize !== null) {
    const start = cell.payloadOffset
    const end = start + cell.local
    const record = decodeRecord(page, start, end, facts.encoding)
    if (record.headerSizeLength > 0) f.add('record header size', start, record.headerSizeLength, record.headerSize, 'cell', words.bytes(record.headerSize))
    // Loops, not forEach with closures, and the words from the page's Words: this runs for every
    // value of every cell of the page, in a command too short for V8 to optimize it.
    const columns = record.columns
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!
      f.add(words.typeField(i), start + c.typeOffset, c.typeLength, c.serialType, 'cell', words.typeMeaning(i, c.serialType))
    }
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!
      const here = Math.max(0, Math.min(c.valueLength, cell.local - c.valueOffset))
      const {value, clipped} = shownValue(c.value)
      let meaning = words.typeName(c.serialType)
      if (i === names.rowidAlias && c.serialType === 0 && cell.rowid !== null) meaning += `: ${names.of(i)} is the INTEGER PRIMARY KEY, stored as NULL; its value is the rowid, ${varintValue(cell.rowid)}`
      if (clipped) meaning += `, clipped for display`
      if (!c.complete) meaning += `, ${here} here, the rest on overflow page ${cell.overflowPage}`
      f.add(names.of(i), start + Math.min(c.valueOffset, cell.local), here, value, 'payload', meaning)
    }
    for (const p of record.problems) if (cell.local >= (cell.payloadSize ?? 0)) problems.push({offset: base + start + p.at, message: `cell ${cell.index}: ${p.message}`})
    if (cell.local < (cell.payloadSize ?? 0)) {
      f.add('local payload', start, cell.local, cell.local, 'payload', `${cell.local} of ${cell.payloadSize} bytes on this page, ${(cell.payloadSize ?? 0) - cell.local} on overflow pages`)
      f.add('first overflow page', end, 4, cell.overflowPage, 'overflow', `page ${cell.overflowPage}`)
    }
  }
  // in offset order (a stable sort); most cells' fields are made in that order already, and are left as they are
  if (!inOffsetOrder(f.list)) f.list.sort((a, b) => a.offset - b.offset)
  return {index: cell.index, offset: base + cell.offset, length: cell.size, fields: f.list}
}

/** inOffsetOrder -- whether `fields` are in ascending offset order already (equal offsets side by side are: a stable sort leaves them as they are). */
function inOffsetOrder(fields: readonly DecodedField[]): boolean {
  for (let i = 1; i < fields.length; i++) if (fields[i]!.offset < fields[i - 1]!.offset) return false
  return true
}

/** trunkFields -- a freelist trunk page: the next trunk, the count, the leaf pages it lists. */
function trunkFields(page: Buffer, facts: SqliteFacts, fields: Fields, problems: PageProblem[], base: number): void {
  fields.u32('next freelist trunk page', 0, 'overflow', (v) => (v === 0 ? 'the last trunk' : `page ${v}`))
  const listed = u32(page, 4) ?? 0
  const max = Math.floor(facts.usable / 4) - 2
  fields.add('leaf page count', 4, 4, listed, 'overflow', listed > max ? `more than fit (${max})` : undefined)
  if (listed > max) problems.push({offset: base + 4, message: `the trunk lists ${listed} leaf pages, more than fit (${max})`})
  for (let i = 0; i < Math.min(listed, max); i++) fields.add(`leaf page ${i}`, 8 + 4 * i, 4, u32(page, 8 + 4 * i) ?? 0, 'pointer')
}

/** ptrmapItems -- a pointer-map page: one 5-byte entry per following page, type and parent. */
function ptrmapItems(page: Buffer, pgno: number, facts: SqliteFacts, items: DecodedItem[], base: number): void {
  const entries = Math.min(Math.floor(facts.usable / 5), Math.max(0, facts.dbPages - (pgno + 1)))
  for (let i = 0; i < entries; i++) {
    const off = 5 * i
    const type = page[off] ?? 0
    const parent = u32(page, off + 1) ?? 0
    const described = pgno + 2 + i
    items.push({
      index: i,
      offset: base + off,
      length: 5,
      fields: [
        {name: 'type', offset: base + off, length: 1, value: type, region: 'overflow', meaning: `page ${described}: ${PTRMAP_TYPES[type] ?? (type === 0 ? 'no entry' : 'invalid')}`},
        {name: 'parent page', offset: base + off + 1, length: 4, value: parent, region: 'pointer'},
      ],
    })
  }
}

