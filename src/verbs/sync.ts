/**
 * sync -- mpool_sync: write every dirty page, then flush the file.
 */
import {defineVerb} from './verb.js'

export interface SyncResult {
  /** pages written */
  written: number
}

export const syncVerb = defineVerb({
  name: 'sync',
  summary: 'Write every dirty page to the file, then flush it; prints how many pages it wrote.',
  description:
    'mpool_sync: writes every dirty page, pinned ones too, in page order (adjacent pages in one write), ' +
    'then flushes the file to stable storage. Written pages stay cached, clean.',
  examples: ['<%= config.bin %> sync', '<%= config.bin %> sync --explain'],
  args: {},
  flags: {},
  label: () => 'sync',
  async run(pool): Promise<SyncResult> {
    return {written: await pool.sync()}
  },
  render: (result) => `wrote ${result.written} page${result.written === 1 ? '' : 's'}`,
})
