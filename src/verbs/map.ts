/**
 * map -- what every page of the pool's file is for: one line per page (the format's page
 * number, pgno, kind, owner, cells, free bytes), then pages per kind and per owner.
 *
 * Policy: over a pool, map shows the pool's current view -- a cached page as it is cached, dirty
 * or not -- and, like dump, moves no pin, no recency and no counter (every page is peeked). A
 * plain page file has no map: EFTYPE (exit 6), saying so.
 */
import type {PageMap} from '../formats/index.js'
import {mapView} from '../render/map.js'
import {mapJson} from '../render/map-json.js'
import {mapPages, needFormat, withPoolPages} from './formats.js'
import {defineVerb} from './verb.js'

export const mapVerb = defineVerb({
  name: 'map',
  summary: "Say what every page of the pool's file is for (its format's structures: tables, indexes, freelist...).",
  description:
    "Walks the file's structures as its format defines them (SQLite: every b-tree of sqlite_schema, the overflow chains, " +
    'the freelist and the pointer map) over the pool as it is now, cached pages as cached: one line per page with the ' +
    "format's page number, pgno, kind, owner, cells and free bytes, then pages per kind and per owner. " +
    'Moves no pin, recency or counter. --json gives {format, pagesize, pages: [{page, pgno, kind, owner, cells, free}], problems}.',
  examples: ['<%= config.bin %> map', '<%= config.bin %> map --json | jq \'.pages[] | select(.kind == "overflow")\'', '<%= config.bin %> map --file test.db'],
  args: {},
  flags: {},
  label: () => 'map',
  async run(pool): Promise<PageMap> {
    const poolInfo = await pool.layout()
    const {info, format} = await needFormat(poolInfo.format ?? null, poolInfo.file, 'map')
    return withPoolPages(pool, poolInfo.npages, new Map(), (read) => mapPages(info, format, read, poolInfo.npages), {all: true})
  },
  render: (result, {color}) => mapView(result, color),
  json: (result, explain) => mapJson(result, explain),
})
