/**
 * ls -- `mpool ls`: the pools open now, with key, file, pagesize, cached/maxcache, dirty,
 * pinned and policy (stale sockets are cleaned on the way).
 */
import {poolsTable} from '../../render/tables.js'
import type {PoolListing} from '../../session/pools.js'
import {defineCommand} from '../shell.js'

export const lsCommand = defineCommand({
  name: 'ls',
  summary: 'List the open pools.',
  description: 'Lists every pool open now (one pool server each), with its file, pagesize, cache use, dirty and pinned pages and policy. Prints "no pools open" when there are none.',
  examples: ['<%= config.bin %> ls', '<%= config.bin %> ls --json'],
  args: {},
  flags: {},
  onPool: false,
  async run(): Promise<{pools: PoolListing[]}> {
    const {listPools} = await import('../../session/pools.js')
    return {pools: await listPools()}
  },
  render: (result) => poolsTable(result.pools),
})
