/**
 * sqlite -- the SQLite page format: detect (the database header), decode (one page) and map
 * (every page, by walking the schema's b-trees, the freelist and the pointer map).
 */

import type {FormatInfo, PageFormat, PageMapEntry, PageReader} from '../types.js'
import {decodeSqlite} from './decode.js'
import {detectSqlite, factsOf} from './header.js'
import {isPtrmapPage, lockBytePage, mapSqlite} from './map.js'
import type {SqliteFile} from './walk.js'

export {descend, leafScan, scanRows, schemaOf, payloadOf, valuesOf, overflowChain, compareValues, btreeAt} from './walk.js'
export type {BtreeKey, Descent, ScanRow, SchemaEntry, SqliteFile} from './walk.js'
export type {SqlValue} from './record.js'

/** sqliteFile -- the walker's view of a file: a reader by mpool pgno, its page count, the header's facts. */
export function sqliteFile(read: PageReader, npages: number, info: FormatInfo): SqliteFile {
  return {read, npages, facts: factsOf(info)}
}

/**
 * locateSqlite -- one page's map line. Pages whose kind arithmetic settles (lock-byte, pointer
 * map) are answered without reading; any other page's kind and owner need the map.
 */
function locateSqlite(read: PageReader, npages: number, info: FormatInfo, pgno: number): PageMapEntry {
  const facts = factsOf(info)
  const page = pgno + 1
  const bare: PageMapEntry = {page, pgno, kind: 'unknown', owner: null, cells: null, free: null, payload: null}
  if (page === lockBytePage(info.pagesize)) return {...bare, kind: 'lock-byte'}
  if (facts.autoVacuum && isPtrmapPage(page, facts.usable, info.pagesize)) return {...bare, kind: 'ptrmap'}
  return mapSqlite(sqliteFile(read, npages, info)).pages[pgno] ?? bare
}

export const sqlite: PageFormat = {
  name: 'sqlite',
  detect: detectSqlite,
  decode: decodeSqlite,
  map: (read, npages, info) => mapSqlite(sqliteFile(read, npages, info)),
  locate: locateSqlite,
}
