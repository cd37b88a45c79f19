/**
 * dump -- look into the pool without touching it: the cache in the replacer's order, or one
 * page's bytes as the pool holds them, optionally marked where they differ from the file.
 *
 * Policy: dump only looks (frames, stats, peek): it never pins, never moves a page's recency and
 * never counts a get, so looking cannot change what it shows.
 */
import {usageError} from '../common/exit-status.js'
import {type CacheDump, type DumpResult, markNextVictim, type PageDump, renderDump} from '../render/cache-view.js'
import {changedRanges} from '../render/hex.js'
import {pageResult} from '../render/page.js'
import type {PeekResult} from '../session/handle.js'
import {booleanFlag} from './spec.js'
import {chosenPages, decodePoolPage, FORMAT_FLAGS, renderDecodeReport, type DecodeReport} from './formats.js'
import {formatFlag, hexLayoutOf} from './hex-format.js'
import {byteWindow, isRange, pagesArg, refuseWindowWith, spanLabel, WINDOW_FLAGS} from './ranges.js'
import {defineVerb} from './verb.js'

export {markNextVictim, renderDump, type CacheDump, type ChangedRange, type DumpResult, type PageDump} from '../render/cache-view.js'

/** renderPages -- one result, or a range's pages one after another. */
export function renderPages<R>(result: R | R[], view: (r: R) => string): string {
  return Array.isArray(result) ? result.map(view).join('\n') : view(result)
}

export const dumpVerb = defineVerb({
  name: 'dump',
  summary: "Look at the cache (frames in the replacer's order) or at one page, without changing anything.",
  description:
    "Without PGNO: every cached page in the replacement policy's order (least recently used first under lru), " +
    'with its frame, pins and who holds them, dirty state, and the next victim marked. ' +
    'With PGNO: the page as the pool holds it (no pin, no recency or counter change); --diff marks the bytes that ' +
    'differ from the file (highlighted in colour; in plain text a ^^ line under each changed row, then a list of ranges). ' +
    "In a file of a known format, --page N names the page by the format's own number, --decode shows its fields, " +
    'and --decode --diff names the fields that differ from the file, from what to what. ' +
    'PGNO may be a range A-B (both included): each page in turn (--json: an array). --offset N --length N (within the page) shows just those bytes, at their file offsets.',
  examples: ['<%= config.bin %> dump', '<%= config.bin %> dump 3', '<%= config.bin %> dump 3 --diff', '<%= config.bin %> dump 3 --decode --diff', '<%= config.bin %> dump --page 5 --decode', '<%= config.bin %> dump 0 --file test.db --pagesize 4096', '<%= config.bin %> dump 3-7', '<%= config.bin %> dump 3 --offset 0x10 --length 32'],
  args: {pgno: pagesArg('page to show, or a range A-B; without it (and without --page), the whole cache')},
  flags: {
    diff: booleanFlag({description: 'mark the bytes that differ from the file (needs PGNO); with --decode, name the fields that differ'}),
    format: formatFlag,
    ...FORMAT_FLAGS,
    ...WINDOW_FLAGS,
  },
  label: ({args, flags}) => (flags.page === undefined ? spanLabel('dump', args.pgno) : `dump --page ${flags.page}`),
  async run(pool, {args, flags}): Promise<DumpResult | DecodeReport | Array<PageDump | DecodeReport>> {
    if (args.pgno === undefined && flags.page === undefined) {
      if (flags.diff) throw usageError('--diff compares one page with the file: give a page number, e.g. mpool dump 3 --diff')
      if (flags.decode) throw usageError('--decode shows one page: give a page number, e.g. mpool dump 3 --decode')
      const [info, stats, frames] = [await pool.layout(), await pool.stats(), await pool.frames()]
      const format = info.format ?? null
      const rows = markNextVictim(frames, stats.cached >= stats.maxcache).map((f) => (format === null ? f : {...f, page: f.pgno + format.firstPage}))
      const cache: CacheDump = {kind: 'cache', key: stats.key, policy: stats.policy, maxcache: stats.maxcache, hardLimit: stats.hardLimit, cached: stats.cached, frames: rows}
      return format === null ? cache : {...cache, format: format.format}
    }
    const info = await pool.layout()
    if (flags.decode) refuseWindowWith(flags, '--decode')
    if (flags.diff) refuseWindowWith(flags, '--diff')
    const window = byteWindow(flags, info.pagesize)
    const seen = new Map<number, Buffer>() // the pages a range's decodes have peeked, each once
    const one = async (snap: PeekResult): Promise<PageDump | DecodeReport> => {
      const page: PageDump = {kind: 'page', ...pageResult(snap.pgno, snap.bytes, snap, info.format, window)}
      if (flags.decode) return decodePoolPage(pool, {layout: info, pgno: snap.pgno, bytes: snap.bytes, page, seen, ...(flags.diff && snap.file !== undefined ? {fileBytes: snap.file} : {})})
      if (flags.diff && snap.file !== undefined) page.changed = changedRanges(snap.bytes, snap.file).map((r) => ({...r, offset: page.offset + r.start}))
      return page
    }
    const pgnos = chosenPages(args.pgno, flags.page, info.format, info, info.file ?? 'the file')
    // One call for the page or the whole range (one round trip to a server).
    const snaps = await pool.peekRange(pgnos[0]!, pgnos.at(-1)!, {withFile: flags.diff})
    if (!isRange(args.pgno)) return one(snaps[0]!)
    const pages: Array<PageDump | DecodeReport> = []
    for (const snap of snaps) pages.push(await one(snap))
    return pages
  },
  render: (result, {color, flags}) => renderPages(result, (r) => (r.kind === 'decoded' ? renderDecodeReport(r, color, {layout: hexLayoutOf(flags)}) : renderDump(r, color, {layout: hexLayoutOf(flags)}))),
})
