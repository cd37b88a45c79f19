/**
 * ls -- `mpool ls`: the pools open now, with key, file, pagesize, cached/maxcache, dirty,
 * pinned and policy (stale sockets are cleaned on the way). `--keys` prints only the keys, one
 * a line (nothing when none is open): what Tab completion of --key asks (completion-hook.ts).
 */
import {poolsTable} from '../../render/tables.js'
import type {PoolListing} from '../../session/pools.js'
import {booleanFlag} from '../../verbs/spec.js'
import {defineCommand} from '../shell.js'

export const lsCommand = defineCommand({
  name: 'ls',
  summary: 'List the open pools.',
  description: 'Lists every pool open now (one pool server each), with its file, pagesize, cache use, dirty and pinned pages and policy. Prints "no pools open" when there are none.',
  examples: ['<%= config.bin %> ls', '<%= config.bin %> ls --json', '<%= config.bin %> ls --keys'],
  args: {},
  flags: {
    keys: booleanFlag({description: 'print only the keys, one a line (for scripts and Tab completion)'}),
  },
  onPool: false,
  async run(): Promise<{pools: PoolListing[]}> {
    const {listPools} = await import('../../session/pools.js')
    return {pools: await listPools()}
  },
  render(result, {flags}) {
    if (flags.keys !== true) return poolsTable(result.pools)
    if (result.pools.length === 0) return null // no line at all: no key to offer
    return result.pools.map((pool) => pool.key).join('\n')
  },
})
