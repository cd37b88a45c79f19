/**
 * sqlite -- the SQLite page format: detect (the database header), decode (one page) and map
 * (every page, by walking the schema's b-trees, the freelist and the pointer map).
 */

import type {FormatInfo, PageFormat, PageLocation, PageMapEntry, PageReader} from '../types.js'
import {BTREE_KIND} from './btree.js'
import {recordNames} from './columns.js'
import {decodeSqlite} from './decode.js'
import {detectSqlite, factsOf} from './header.js'
import {isPtrmapPage, lockBytePage, mapSqlite, sqliteMapper} from './map.js'
import {ownerOf} from './owner.js'
import {schemaOf, type SqliteFile} from './walk.js'

export {descend, leafScan, scanRows, schemaOf, payloadOf, valuesOf, overflowChain, compareValues, btreeAt} from './walk.js'
export type {BtreeKey, Descent, ScanRow, SchemaEntry, SqliteFile} from './walk.js'
export type {SqlValue} from './record.js'

/** sqliteFile -- the walker's view of a file: a reader by mpool pgno, its page count, the header's facts. */
export function sqliteFile(read: PageReader, npages: number, info: FormatInfo): SqliteFile {
  return {read, npages, facts: factsOf(info)}
}

/**
 * locateSqlite -- one page's map line, as cheaply as can be: the lock-byte and pointer-map pages
 * by arithmetic, a freelist page by walking the freelist's trunks (a freed b-tree page keeps its
 * old bytes, so its type byte is not to be trusted), a b-tree page by its type byte (its owner
 * then unknown: null, unless `owner` asks for it); only a page that is none of these (an overflow
 * page) needs the whole map. With `owner`, a b-tree page's owner is found from above (owner.ts)
 * and its records' values are named by the owner's CREATE statement (columns.ts).
 */
function locateSqlite(read: PageReader, npages: number, info: FormatInfo, pgno: number, options: {owner?: boolean} = {}): PageLocation {
  const facts = factsOf(info)
  const page = pgno + 1
  const bare: PageMapEntry = {page, pgno, kind: 'unknown', owner: null, cells: null, free: null}
  if (page === lockBytePage(info.pagesize)) return {...bare, kind: 'lock-byte'}
  if (facts.autoVacuum && isPtrmapPage(page, facts.usable, info.pagesize)) return {...bare, kind: 'ptrmap'}
  const free = freelistKind(read, npages, facts.freelistTrunk, facts.usable, page)
  if (free !== null) return {...bare, kind: free}
  const type = read(pgno)[pgno === 0 ? 100 : 0] ?? 0
  const kind = BTREE_KIND[type]
  if (kind !== undefined) return options.owner === true ? withOwner(sqliteFile(read, npages, info), {...bare, kind}) : {...bare, kind}
  return mapSqlite(sqliteFile(read, npages, info)).pages[pgno] ?? bare
}

/** withOwner -- a b-tree page's line with its owner and its records' column names, where the schema says. */
function withOwner(file: SqliteFile, line: PageMapEntry): PageLocation {
  // No try here: the walk never throws on bad bytes, and a pool's reader asks for pages by throwing (verbs/formats.ts withPoolPages).
  const schema = schemaOf(file)
  const owner = ownerOf(file, line.page, schema)
  if (owner === null) return line
  const names = recordNames(schema, owner)
  return {...line, owner: owner.name, ...(names === null ? {} : {columns: names.names, rowidAlias: names.rowidAlias})}
}

/** freelistKind -- whether SQLite page `page` is a freelist trunk or leaf; each trunk read once. */
function freelistKind(read: PageReader, npages: number, firstTrunk: number, usable: number, page: number): 'freelist-trunk' | 'freelist-leaf' | null {
  const seen = new Set<number>()
  const maxLeaves = Math.floor(usable / 4) - 2
  for (let trunk = firstTrunk; trunk >= 1 && trunk <= npages && !seen.has(trunk); ) {
    if (trunk === page) return 'freelist-trunk'
    seen.add(trunk)
    const buf = read(trunk - 1)
    const leaves = Math.min(buf.readUInt32BE(4), maxLeaves)
    for (let i = 0; i < leaves; i++) if (buf.readUInt32BE(8 + 4 * i) === page) return 'freelist-leaf'
    trunk = buf.readUInt32BE(0)
  }
  return null
}

export const sqlite: PageFormat = {
  name: 'sqlite',
  detect: detectSqlite,
  decode: decodeSqlite,
  map: (read, npages, info) => mapSqlite(sqliteFile(read, npages, info)),
  mapper: sqliteMapper,
  locate: locateSqlite,
}
