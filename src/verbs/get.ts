/*
 * get -- mpool_get: pin a page and show it.
 *
 * The page stays pinned after the command ends (pins outlive their takers in a shared pool):
 * give it back with `mpool put PGNO`. The header comes from a peek after the get, which moves
 * no pin, recency or counter.
 */
import {type PageResult, pageResult, pageView} from '../render/page.js'
import {formatFlag, hexLayoutOf} from './hex-format.js'
import {defineVerb, labelPgno, pgnoArg} from './verb.js'

export const getVerb = defineVerb({
  name: 'get',
  summary: 'Pin a page and show its bytes (hexy rows, or --format hexdump; file offsets).',
  description:
    'mpool_get: pins page PGNO (a miss reads it from the file, evicting the next victim if the cache is full) ' +
    'and prints a header (page, offset, frame, pins, dirty) and the page in hexy\'s rows at its file offsets (--format hexdump: exactly as `hexdump -C` shows it). ' +
    'The pin is held until `mpool put PGNO`.',
  examples: ['<%= config.bin %> get 0', '<%= config.bin %> get 7 --explain', '<%= config.bin %> get 3 --raw | sha256sum', '<%= config.bin %> get 3 --json'],
  args: {pgno: pgnoArg({required: true})},
  flags: {format: formatFlag},
  label: ({args}) => labelPgno('get', args.pgno),
  async run(pool, {args}): Promise<PageResult> {
    const bytes = await pool.get(args.pgno)
    return pageResult(args.pgno, bytes, await pool.peek(args.pgno))
  },
  render: (result, {color, flags}) => pageView(result, color, {layout: hexLayoutOf(flags)}),
})
