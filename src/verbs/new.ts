/**
 * new -- mpool_new: a page added at the end of the file, zero-filled, pinned once.
 */
import {defineVerb} from './verb.js'

export interface NewResult {
  pgno: number
  /** where the page will be in the file: pgno × pagesize */
  offset: number
}

export const newVerb = defineVerb({
  name: 'new',
  summary: 'Add a page at the end of the file (pinned); prints its page number.',
  description:
    'mpool_new: the new page is page npages of the file, zero-filled, pinned once and not dirty. ' +
    'It stays pinned until `mpool put PGNO`. Prints only the number, so scripts can say pg=$(mpool new).',
  examples: ['<%= config.bin %> new', 'pg=$(<%= config.bin %> new) && <%= config.bin %> put "$pg" --text hello'],
  args: {},
  flags: {},
  label: () => 'new',
  async run(pool): Promise<NewResult> {
    const {pgno, page} = await pool.new()
    return {pgno, offset: pgno * page.length}
  },
  render: (result) => String(result.pgno),
})
