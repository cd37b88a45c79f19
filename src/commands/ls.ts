/*
 * mpool ls -- the pools open now: key, file, pagesize, cached/maxcache, dirty, pinned, policy.
 */
import {ShellCommand} from '../cli/base.js'
import {poolsTable} from '../render/tables.js'
import type {PoolListing} from '../session/pools.js'

export default class Ls extends ShellCommand {
  static override description = 'Lists every pool open now (one pool server each), with its file, pagesize, cache use, dirty and pinned pages and policy. Prints "no pools open" when there are none.'
  static override examples = ['<%= config.bin %> ls', '<%= config.bin %> ls --json']
  static override summary = 'List the open pools.'

  async run(): Promise<{pools: PoolListing[]}> {
    await this.parse(Ls)
    const {listPools} = await import('../session/index.js')
    const pools = await listPools()
    this.say(poolsTable(pools))
    return {pools}
  }
}
