/**
 * items -- the items of a Berkeley DB page: the index array (inp[]) and what each entry points
 * at, by page type, as db_page.h lays them out.
 *
 *   btree / recno / duplicate leaf  BKEYDATA {len, type, data[len]} or BOVERFLOW {type, pgno, tlen}
 *   btree internal                  BINTERNAL {len, type, pgno, nrecs, data[len]}
 *   recno internal                  RINTERNAL {pgno, nrecs}
 *   hash                            HKEYDATA {type, data}, HOFFPAGE {type, pgno, tlen}, HOFFDUP {type, pgno};
 *                                   an item's length is the gap to the item before it (LEN_HITEM)
 *   overflow                        OV_LEN bytes of data after the header
 *   queue data                      fixed-size QAMDATA records {flags, data[re_len]}
 *
 * Policy, each in a sentence:
 *  - The index array is read only as far as it fits before the page's end; `entries` beyond that
 *    is named as a problem, so a wild count can never make the decoder loop or read past the page.
 *  - An item whose offset or length leaves the page, or starts inside the header or the index
 *    array, is named and shown only as far as its bytes are on the page.
 *  - Key and data bytes are previewed (text when printable, as db_dump does, else hex), clipped.
 */
import {flagNames, preview, type PageFields} from '../page-fields.js'
import type {DecodedField, DecodedItem} from '../types.js'
import {
  B_DELETE,
  B_DUPLICATE,
  B_OVERFLOW,
  B_TYPES,
  BINTERNAL_SIZE,
  BKEYDATA_SIZE,
  BOVERFLOW_SIZE,
  H_OFFDUP,
  H_OFFPAGE,
  H_TYPES,
  HOFFDUP_SIZE,
  HOFFPAGE_SIZE,
  P_HASH,
  P_HASH_UNSORTED,
  P_IBTREE,
  P_IRECNO,
  P_LBTREE,
  P_LDUP,
  P_LRECNO,
  QAM_FLAGS,
  RINTERNAL_SIZE,
} from './constants.js'

/** readIndex -- inp[]: `entries` 2-byte offsets from `start`, as many as fit on the page. */
export function readIndex(r: PageFields, start: number, entries: number): {offsets: number[]; field: DecodedField | null} {
  const fit = Math.max(0, Math.floor((r.page.length - start) / 2))
  const count = Math.min(entries, fit)
  if (entries > fit) r.problem(20, `entries is ${entries} but only ${fit} index slots fit on the page`)
  const offsets: number[] = []
  for (let i = 0; i < count; i++) offsets.push(r.u16(start + i * 2)!)
  const field = count === 0 ? null : r.field('inp', start, count * 2, offsets, 'pointer', `${count} item offsets`)
  return {offsets, field}
}

/** The type of the item at `off`, its name, and whether B_DELETE is set. */
function typeField(r: PageFields, off: number, names: Record<number, string>): {type: number; field: DecodedField} | null {
  const raw = r.u8(off)
  if (raw === null) return null
  const type = raw & ~B_DELETE
  if (names[type] === undefined) r.problem(off, `the item at ${off} has unknown type ${type}`)
  const name = names[type] ?? `unknown item type ${type}`
  const meaning = (raw & B_DELETE) !== 0 ? `${name}|B_DELETE` : name
  return {type, field: r.field('type', off, 1, raw, 'cell', meaning)}
}

/** A data field over [off, off+length) clipped to the page; a clip is named. */
function dataField(r: PageFields, name: string, off: number, length: number, item: number): DecodedField | null {
  const end = Math.min(r.page.length, off + length)
  if (end < off + length) r.problem(Math.min(off, r.page.length - 1), `item ${item}'s ${name} runs ${off + length - r.page.length} bytes past the end of the page`)
  if (end <= off) return null
  return r.field(name, off, end - off, preview(r.page.subarray(off, end)), 'payload', end - off < length ? `first ${end - off} of ${length} bytes` : undefined)
}

function item(r: PageFields, index: number, off: number, length: number, fields: Array<DecodedField | null>): DecodedItem {
  const shown = Math.max(0, Math.min(length, r.page.length - off))
  return {index, offset: r.base + off, length: shown, fields: fields.filter((f): f is DecodedField => f !== null)}
}

/** bkeydata -- BKEYDATA or BOVERFLOW / off-page duplicate at `off`. */
function bkeydata(r: PageFields, index: number, off: number, role: string): DecodedItem {
  const t = typeField(r, off + 2, B_TYPES)
  if (t === null) return item(r, index, off, 0, [])
  if (t.type === B_OVERFLOW || t.type === B_DUPLICATE) {
    return item(r, index, off, BOVERFLOW_SIZE, [
      t.field,
      r.uint('pgno', off + 4, 4, 'cell', () => (t.type === B_OVERFLOW ? 'first overflow page' : 'root of the off-page duplicate tree')),
      t.type === B_OVERFLOW ? r.uint('tlen', off + 8, 4, 'cell', () => `total length of the ${role}`) : null,
    ])
  }
  const len = r.u16(off)!
  return item(r, index, off, BKEYDATA_SIZE + len, [r.field('len', off, 2, len, 'cell'), t.field, dataField(r, role, off + BKEYDATA_SIZE, len, index)])
}

/** binternal -- BINTERNAL at `off`: a separator key and the child page it leads to. */
function binternal(r: PageFields, index: number, off: number): DecodedItem {
  const len = r.u16(off) ?? 0
  const t = typeField(r, off + 2, B_TYPES)
  return item(r, index, off, BINTERNAL_SIZE + len, [
    r.uint('len', off, 2, 'cell'),
    t?.field ?? null,
    r.uint('pgno', off + 4, 4, 'cell', () => 'child page'),
    r.uint('nrecs', off + 8, 4, 'cell', () => 'records below (with DB_RECNUM)'),
    len > 0 ? dataField(r, 'data', off + BINTERNAL_SIZE, len, index) : null,
  ])
}

/** rinternal -- RINTERNAL at `off`: a child page and how many records lie under it. */
function rinternal(r: PageFields, index: number, off: number): DecodedItem {
  return item(r, index, off, RINTERNAL_SIZE, [r.uint('pgno', off, 4, 'cell', () => 'child page'), r.uint('nrecs', off + 4, 4, 'cell', () => 'records below')])
}

/** hashItem -- an H_* item at `off` of `length` bytes (LEN_HITEM). */
function hashItem(r: PageFields, index: number, off: number, length: number): DecodedItem {
  const role = index % 2 === 0 ? 'key' : 'data'
  const t = typeField(r, off, H_TYPES)
  if (t === null) return item(r, index, off, 0, [])
  if (t.type === H_OFFPAGE) {
    return item(r, index, off, HOFFPAGE_SIZE, [t.field, r.uint('pgno', off + 4, 4, 'cell', () => 'first overflow page'), r.uint('tlen', off + 8, 4, 'cell', () => `total length of the ${role}`)])
  }
  if (t.type === H_OFFDUP) return item(r, index, off, HOFFDUP_SIZE, [t.field, r.uint('pgno', off + 4, 4, 'cell', () => 'root of the off-page duplicate tree')])
  return item(r, index, off, length, [t.field, length > 1 ? dataField(r, role, off + 1, length - 1, index) : null])
}

/** checkOffset -- an item offset must fall after the index array and inside the page. */
function checkOffset(r: PageFields, index: number, off: number, itemsStart: number): boolean {
  if (off >= itemsStart && off < r.page.length) return true
  r.problem(null, `item ${index}'s offset ${off} is outside the item space ${itemsStart}..${r.page.length - 1}`)
  return false
}

/** decodeItems -- the items of a btree, recno, duplicate or hash page whose index array starts at `start`. */
export function decodeItems(r: PageFields, type: number, start: number, offsets: number[]): DecodedItem[] {
  const itemsStart = start + offsets.length * 2
  const items: DecodedItem[] = []
  offsets.forEach((off, i) => {
    if (!checkOffset(r, i, off, itemsStart)) return
    if (type === P_LBTREE) items.push(bkeydata(r, i, off, i % 2 === 0 ? 'key' : 'data'))
    else if (type === P_LRECNO || type === P_LDUP) items.push(bkeydata(r, i, off, 'data'))
    else if (type === P_IBTREE) items.push(binternal(r, i, off))
    else if (type === P_IRECNO) items.push(rinternal(r, i, off))
    else if (type === P_HASH || type === P_HASH_UNSORTED) {
      const before = i === 0 ? r.page.length : offsets[i - 1]!
      if (before <= off || before > r.page.length) {
        r.problem(null, `hash item ${i} at ${off} does not end before item ${i - 1} at ${before}`)
        items.push(hashItem(r, i, off, 1))
      } else items.push(hashItem(r, i, off, before - off))
    }
  })
  return items
}

/** decodeOverflow -- an overflow page's data: OV_LEN bytes after the header. */
export function decodeOverflow(r: PageFields, start: number, ovLen: number): DecodedItem[] {
  if (start + ovLen > r.page.length) r.problem(22, `OV_LEN ${ovLen} runs past the end of the page`)
  const data = dataField(r, 'data', start, Math.min(ovLen, r.page.length - start), 0)
  return data === null ? [] : [item(r, 0, start, data.length, [data])]
}

/**
 * decodeQueueRecords -- a queue data page's records: slot i holds record number
 * (pgno - 1) * rec_page + i + 1; only slots with a flag set hold a record.
 */
export function decodeQueueRecords(r: PageFields, pgno: number, start: number, reLen: number, recPage: number): DecodedItem[] {
  const size = Math.ceil((reLen + 1) / 4) * 4
  const items: DecodedItem[] = []
  if (reLen <= 0 || recPage <= 0) return items
  const slots = Math.min(recPage, Math.floor((r.page.length - start) / size))
  for (let i = 0; i < slots; i++) {
    const off = start + i * size
    const flags = r.u8(off)!
    if (flags === 0) continue
    const recno = (pgno - 1) * recPage + i + 1
    items.push(item(r, recno, off, 1 + reLen, [r.field('flags', off, 1, flags, 'cell', flagNames(flags, QAM_FLAGS)), dataField(r, 'data', off + 1, reLen, recno)]))
  }
  return items
}
