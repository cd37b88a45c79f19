/**
 * close -- mpool_close: end the pool for everyone. Writes nothing (the man page is explicit);
 * reports the dirty pages it dropped and the pins still held, so a leak shows.
 */
import {defineVerb} from './verb.js'

export interface CloseResult {
  key: string | null
  /** dirty pages dropped unwritten, in page order */
  dirty: number[]
  /** pages still pinned at close, in page order */
  pinned: number[]
}

function pages(list: readonly number[]): string {
  return `${list.length === 1 ? 'page' : 'pages'} ${list.join(', ')}`
}

export const closeVerb = defineVerb({
  name: 'close',
  summary: 'Close the pool for everyone; says which dirty pages were dropped and which pins were held.',
  description:
    'mpool_close: ends the pool and its server. It writes nothing: run `mpool sync` first to keep changes. ' +
    'Reports the dirty pages dropped unwritten and the pages still pinned.',
  examples: ['<%= config.bin %> sync && <%= config.bin %> close', '<%= config.bin %> close --key demo'],
  args: {},
  flags: {},
  label: () => 'close',
  async run(pool): Promise<CloseResult> {
    const key = pool.key
    const report = await pool.close()
    return {key, dirty: [...report.dirty], pinned: [...report.pinned]}
  },
  render(result) {
    const name = result.key === null ? 'the pool' : `pool ${result.key}`
    const dropped = result.dirty.length === 0 ? 'no dirty pages dropped' : `dropped dirty ${pages(result.dirty)} without writing ${result.dirty.length === 1 ? 'it' : 'them'}`
    const pinned = result.pinned.length === 0 ? 'no pins held' : `${pages(result.pinned)} still pinned`
    return `closed ${name}: ${dropped}; ${pinned}`
  },
})
