/**
 * stats -- mpool_stat: the nine counters under BSD's names, occupancy and the hit rate.
 * Only looks: no pin, recency or counter changes.
 */
import type {MPoolStats} from '../pool/index.js'
import {statsSheet} from '../render/tables.js'
import {defineVerb} from './verb.js'

/** The counters, the file, and the file's page format name (null: a plain page file). */
export type StatsResult = MPoolStats & {file: string | null; format: string | null}

export const statsVerb = defineVerb({
  name: 'stats',
  summary: "Show the pool's counters (BSD's nine, by name), occupancy and hit rate.",
  description:
    'mpool_stat: cachehit, cachemiss, pagealloc, pageflush, pageget, pagenew, pageput, pageread and pagewrite, ' +
    'plus pages cached, pinned, dirty and over maxcache, the hit rate and the policy. Changes nothing.',
  examples: ['<%= config.bin %> stats', '<%= config.bin %> stats --json | jq .hitRate'],
  args: {},
  flags: {},
  label: () => 'stats',
  async run(pool): Promise<StatsResult> {
    const [stats, info] = [await pool.stats(), await pool.info()]
    return {...stats, file: info.file, format: info.format?.format ?? null}
  },
  render: (result, {color}) => statsSheet(result, color),
})
