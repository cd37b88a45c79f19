/**
 * postgresql -- PostgreSQL relation files (heap, and btree, hash, GiST, GIN, SP-GiST and BRIN
 * indexes; layout version 4) as a page format.
 *
 * detect.ts reads page 0's header (and the file's name, for its segment); header.ts and heap.ts
 * decode what bufpage.h and htup_details.h lay out; page.ts knows an index page's access method
 * by its special space and hands it to btree.ts, hash.ts, gist.ts, gin.ts, spgist.ts or brin.ts
 * (index-pages.ts is their contract, index-tuple.ts the IndexTuple they share); checksum.ts is
 * pg_checksum_page. pageinspect is the tool this agrees with.
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
