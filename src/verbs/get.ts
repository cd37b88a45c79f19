/*
 * get -- mpool_get: pin a page and show it.
 *
 * The page stays pinned after the command ends (pins outlive their takers in a shared pool):
 * give it back with `mpool put PGNO`. The header comes from a peek after the get, which moves
 * no pin, recency or counter. In a file of a known format the page may be named by the
 * format's own number (--page) and shown decoded (--decode); the other pages a decode needs to
 * say what this one is are peeked, never got.
 */
import {type PageResult, pageResult, pageView} from '../render/page.js'
import {choosePgno, decodePoolPage, FORMAT_FLAGS, needFormat, renderDecodeReport, type DecodeReport} from './formats.js'
import {formatFlag, hexLayoutOf} from './hex-format.js'
import {defineVerb, labelPgno, pgnoArg} from './verb.js'

export const getVerb = defineVerb({
  name: 'get',
  summary: 'Pin a page and show its bytes (hexy rows, or --format hexdump; file offsets), or decoded by its format.',
  description:
    'mpool_get: pins page PGNO (a miss reads it from the file, evicting the next victim if the cache is full) ' +
    'and prints a header (page, offset, frame, pins, dirty) and the page in hexy\'s rows at its file offsets (--format hexdump: exactly as `hexdump -C` shows it). ' +
    "In a SQLite, Berkeley DB or PostgreSQL file, --page N names the page by the format's own number and --decode shows its fields. " +
    'The pin is held until `mpool put PGNO`.',
  examples: ['<%= config.bin %> get 0', '<%= config.bin %> get 7 --explain', '<%= config.bin %> get 3 --raw | sha256sum', '<%= config.bin %> get 3 --json', '<%= config.bin %> get --page 5 --decode'],
  args: {pgno: pgnoArg({description: 'page number (0 is the first page; decimal or 0x hex); or give --page'})},
  flags: {format: formatFlag, ...FORMAT_FLAGS},
  label: ({args, flags}) => (flags.page === undefined ? labelPgno('get', args.pgno) : `get --page ${flags.page}`),
  async run(pool, {args, flags}): Promise<PageResult | DecodeReport> {
    const info = await pool.info()
    const pgno = choosePgno(args.pgno, flags.page, info.format, info.npages, true)!
    if (flags.decode) needFormat(info.format, info.file, '--decode') // refused before the page is pinned
    const bytes = await pool.get(pgno)
    const page = pageResult(pgno, bytes, await pool.peek(pgno), info.format)
    return flags.decode ? decodePoolPage(pool, page, bytes) : page
  },
  render: (result, {color, flags}) => ('kind' in result && result.kind === 'decoded' ? renderDecodeReport(result, color, {layout: hexLayoutOf(flags)}) : pageView(result as PageResult, color, {layout: hexLayoutOf(flags)})),
})
