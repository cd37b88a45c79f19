/**
 * get -- mpool_get: pin a page and show it.
 *
 * The page stays pinned after the command ends (pins outlive their takers in a shared pool):
 * give it back with `mpool put PGNO`. The header comes from a peek after the get, which moves
 * no pin, recency or counter. In a file of a known format the page may be named by the
 * format's own number (--page) and shown decoded (--decode); the other pages a decode needs to
 * say what this one is are peeked, never got.
 */
import {type PageResult, pageResult, pageView} from '../render/page.js'
import type {PeekResult} from '../session/handle.js'
import {chosenPages, decodePoolPage, FORMAT_FLAGS, needFormat, renderDecodeReport, type DecodeReport} from './formats.js'
import {formatFlag, hexLayoutOf} from './hex-format.js'
import {byteWindow, isRange, pagesArg, refuseWindowWith, spanLabel, WINDOW_FLAGS} from './ranges.js'
import {defineVerb} from './verb.js'

export const getVerb = defineVerb({
  name: 'get',
  summary: 'Pin a page and show its bytes (hexy rows, or --format hexdump; file offsets), or decoded by its format.',
  description:
    'mpool_get: pins page PGNO (a miss reads it from the file, evicting the next victim if the cache is full) ' +
    'and prints a header (page, offset, frame, pins, dirty) and the page in hexy\'s rows at its file offsets (--format hexdump: exactly as `hexdump -C` shows it). ' +
    "In a SQLite, Berkeley DB or PostgreSQL file, --page N names the page by the format's own number and --decode shows its fields. " +
    'The pin is held until `mpool put PGNO`. PGNO may be a range A-B (both included): each page is pinned and shown in turn (--json: an array), ' +
    'after the whole range is checked against the file. --offset N --length N (within the page) shows just those bytes, at their file offsets.',
  examples: ['<%= config.bin %> get 0', '<%= config.bin %> get 7 --explain', '<%= config.bin %> get 3 --raw | sha256sum', '<%= config.bin %> get 3 --json', '<%= config.bin %> get --page 5 --decode', '<%= config.bin %> get 3-7 --raw > pages.bin', '<%= config.bin %> get 3 --offset 0x10 --length 16'],
  args: {pgno: pagesArg('page number (0 is the first page; decimal or 0x hex), or a range A-B; or give --page')},
  flags: {format: formatFlag, ...FORMAT_FLAGS, ...WINDOW_FLAGS},
  label: ({args, flags}) => (flags.page === undefined ? spanLabel('get', args.pgno) : `get --page ${flags.page}`),
  async run(pool, {args, flags}): Promise<PageResult | DecodeReport | Array<PageResult | DecodeReport>> {
    const info = await pool.layout()
    if (flags.decode) refuseWindowWith(flags, '--decode')
    const window = byteWindow(flags, info.pagesize) // refused before any page is pinned, as all below
    if (flags.decode) await needFormat(info.format, info.file, '--decode')
    const pgnos = chosenPages(args.pgno, flags.page, info.format, info, info.file ?? 'the file')
    // One call for the page or the whole range (one round trip to a server): each page pinned, with its frame as its get left it.
    const got = await pool.getRange(pgnos[0]!, pgnos.at(-1)!)
    const seen = new Map<number, Buffer>() // the pages a range's decodes have peeked, each once
    const one = async (snap: PeekResult): Promise<PageResult | DecodeReport> => {
      const page = pageResult(snap.pgno, snap.bytes, snap, info.format, window)
      return flags.decode ? decodePoolPage(pool, {layout: info, pgno: snap.pgno, bytes: snap.bytes, page, seen}) : page
    }
    if (!isRange(args.pgno)) return one(got[0]!)
    const pages: Array<PageResult | DecodeReport> = []
    for (const snap of got) pages.push(await one(snap))
    return pages
  },
  render(result, {color, flags}) {
    const view = (r: PageResult | DecodeReport): string => ('kind' in r && r.kind === 'decoded' ? renderDecodeReport(r, color, {layout: hexLayoutOf(flags)}) : pageView(r as PageResult, color, {layout: hexLayoutOf(flags)}))
    return Array.isArray(result) ? result.map(view).join('\n') : view(result)
  },
})
