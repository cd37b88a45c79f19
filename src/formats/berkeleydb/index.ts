/**
 * berkeleydb -- Berkeley DB 5.3 files (btree, recno, hash, queue) as a page format.
 *
 * detect.ts finds the meta page and the byte order; meta.ts, header.ts and items.ts decode what
 * db_page.h lays out; map.ts gives every page its kind and, walking the master database
 * (owners.ts), its subdatabase, for map and for a decode's owner (locate). db_dump -da is the tool this agrees with.
 */
import type {PageFormat} from '../types.js'
import {detectBerkeleyDb} from './detect.js'
import {locateBerkeleyDb, mapBerkeleyDb} from './map.js'
import {decodeBerkeleyDbPage} from './page.js'

export const berkeleydb: PageFormat = {
  name: 'berkeleydb',
  detect: (head) => detectBerkeleyDb(head),
  decode: decodeBerkeleyDbPage,
  map: mapBerkeleyDb,
  locate: locateBerkeleyDb,
}
