/**
 * postgresql -- PostgreSQL relation files (heap and btree index, layout version 4) as a page format.
 *
 * detect.ts reads page 0's header; header.ts, heap.ts and btree.ts decode what bufpage.h,
 * htup_details.h and nbtree.h lay out; checksum.ts is pg_checksum_page. pageinspect is the tool
 * this agrees with.
 */
import type {PageFormat} from '../types.js'
import {detectPostgres} from './detect.js'
import {mapPostgres} from './map.js'
import {decodePostgresPage} from './page.js'

export const postgresql: PageFormat = {
  name: 'postgresql',
  detect: detectPostgres,
  decode: decodePostgresPage,
  map: mapPostgres,
}
