/**
 * delete -- FreeBSD's mpool_delete: drop a page pinned once, without writing it.
 */
import {namePage, numberingOf} from '../render/page-names.js'
import {formatPage} from './formats.js'
import {defineVerb, labelPgno, pgnoArg} from './verb.js'

export interface DeleteResult {
  pgno: number
  /** the page was dirty: its changes never reached the file and are gone */
  dropped: boolean
  /** the file's page format and the format's number of the page, when it has one */
  format?: string
  page?: number
}

export const deleteVerb = defineVerb({
  name: 'delete',
  summary: 'Drop a pinned page from the cache without writing it.',
  description:
    "FreeBSD's mpool_delete: the page must be pinned exactly once. Its cached copy and any unwritten changes are gone; " +
    'the file keeps whatever it had.',
  examples: ['<%= config.bin %> get 3 >/dev/null && <%= config.bin %> delete 3'],
  args: {pgno: pgnoArg({required: true})},
  flags: {},
  label: ({args}) => labelPgno('delete', args.pgno),
  async run(pool, {args}): Promise<DeleteResult> {
    const before = await pool.peek(args.pgno).catch(() => null) // only looks; delete itself reports any error
    await pool.delete(args.pgno)
    return {pgno: args.pgno, dropped: before?.dirty === true, ...formatPage((await pool.layout()).format, args.pgno)}
  },
  render: (result) => `dropped ${namePage(result.pgno, numberingOf(result))} without writing it${result.dropped ? ' (it was dirty: its changes are lost)' : ''}`,
})
