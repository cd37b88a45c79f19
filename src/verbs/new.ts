/**
 * new -- mpool_new: a page added at the end of the file, zero-filled, pinned once.
 *
 * Policy: stdout is the pgno alone, so that scripts can say pg=$(mpool new); in a file with a
 * format the format's number is said beside it as a note (the shell's stderr, the REPL's next
 * line) and in --json (`format`, `page`).
 */
import {namePage, numberingOf} from '../render/page-names.js'
import {formatPage} from './formats.js'
import {defineVerb} from './verb.js'

export interface NewResult {
  pgno: number
  /** where the page will be in the file: pgno × pagesize */
  offset: number
  /** the file's page format and the format's number of the new page, when it has one */
  format?: string
  page?: number
}

export const newVerb = defineVerb({
  name: 'new',
  summary: 'Add a page at the end of the file (pinned); prints its page number.',
  description:
    'mpool_new: the new page is page npages of the file, zero-filled, pinned once and not dirty. ' +
    'It stays pinned until `mpool put PGNO`. Prints only the number, so scripts can say pg=$(mpool new); ' +
    "in a SQLite, Berkeley DB or PostgreSQL file the format's own number is said on stderr (`pgno 13 = SQLite page 14`).",
  examples: ['<%= config.bin %> new', 'pg=$(<%= config.bin %> new) && <%= config.bin %> put "$pg" --text hello'],
  args: {},
  flags: {},
  label: () => 'new',
  async run(pool): Promise<NewResult> {
    const {pgno, page} = await pool.new()
    return {pgno, offset: pgno * page.length, ...formatPage((await pool.layout()).format, pgno)}
  },
  render: (result) => String(result.pgno),
  note(result) {
    const numbering = numberingOf(result)
    return numbering === null ? null : `new page: ${namePage(result.pgno, numbering)}`
  },
})
