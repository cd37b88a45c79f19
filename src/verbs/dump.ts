/*
 * dump -- look into the pool without touching it: the cache in the replacer's order, or one
 * page's bytes as the pool holds them, optionally marked where they differ from the file.
 *
 * Policy: dump only looks (frames, stats, peek): it never pins, never moves a page's recency and
 * never counts a get, so looking cannot change what it shows.
 */
import {Flags} from '@oclif/core'
import {usageError} from '../cli/errors.js'
import {changedRanges, type ByteRange} from '../render/hex.js'
import {type PageResult, pageView} from '../render/page.js'
import {type FrameRow, framesTable} from '../render/tables.js'
import {defineVerb, labelPgno, pgnoArg} from './verb.js'

/** The cache, as `dump` without a page number reports it. */
export interface CacheDump {
  kind: 'cache'
  key: string | null
  policy: string
  maxcache: number
  cached: number
  /** frames in the replacer's order: the next victim (pins aside) first */
  frames: FrameRow[]
}

/** A changed run of bytes, inside the page and in the file. */
export interface ChangedRange extends ByteRange {
  /** the file offset of `start` */
  offset: number
}

/** One page, as `dump PGNO` reports it; `changed` only with --diff. */
export interface PageDump extends PageResult {
  kind: 'page'
  changed?: ChangedRange[]
}

export type DumpResult = CacheDump | PageDump

/** nextVictim -- marks the first unpinned frame in the replacer's order, when the cache is full. */
export function markNextVictim<F extends {pins: number}>(frames: readonly F[], full: boolean): Array<F & {nextVictim: boolean}> {
  const victim = full ? frames.findIndex((f) => f.pins === 0) : -1
  return frames.map((f, i) => ({...f, nextVictim: i === victim}))
}

function rangeText(ranges: readonly ChangedRange[]): string {
  const bytes = ranges.reduce((n, r) => n + r.end - r.start, 0)
  if (ranges.length === 0) return 'no bytes differ from the file'
  const list = ranges.map((r) => (r.end - r.start === 1 ? `0x${r.offset.toString(16)}` : `0x${r.offset.toString(16)}-0x${(r.offset + r.end - r.start - 1).toString(16)}`))
  return `${bytes} byte${bytes === 1 ? '' : 's'} differ from the file, in ${ranges.length} range${ranges.length === 1 ? '' : 's'}: ${list.join(', ')}`
}

/** renderDump -- the cache table, or the page view (with its changed ranges under --diff). */
export function renderDump(result: DumpResult, color: Parameters<typeof pageView>[1], where?: string): string {
  if (result.kind === 'page') {
    const view = pageView(result, color, {...(result.changed === undefined ? {} : {changed: result.changed}), ...(where === undefined ? {} : {where})})
    return result.changed === undefined ? view : `${view}\n${rangeText(result.changed)}`
  }
  const name = result.key === null ? 'private pool' : `pool ${result.key}`
  const free = result.maxcache - result.cached
  const head = `${name}: ${result.cached} of ${result.maxcache} frames in use, ${result.policy} order (next victim first)` +
    (free > 0 ? `; ${free} free, so the next miss takes a free frame` : '')
  return result.frames.length === 0 ? `${head}\nthe cache is empty` : `${head}\n${framesTable(result.frames, color)}`
}

export const dumpVerb = defineVerb({
  name: 'dump',
  summary: "Look at the cache (frames in the replacer's order) or at one page, without changing anything.",
  description:
    "Without PGNO: every cached page in the replacement policy's order (least recently used first under lru), " +
    'with its frame, pins and who holds them, dirty state, and the next victim marked. ' +
    'With PGNO: the page as the pool holds it (no pin, no recency or counter change); --diff marks the bytes that ' +
    'differ from the file (highlighted in colour; in plain text a ^^ line under each changed row, then a list of ranges).',
  examples: ['<%= config.bin %> dump', '<%= config.bin %> dump 3', '<%= config.bin %> dump 3 --diff', '<%= config.bin %> dump 0 --file test.db --pagesize 4096'],
  args: {pgno: pgnoArg({description: 'page to show; without it, the whole cache'})},
  flags: {
    diff: Flags.boolean({description: 'mark the bytes that differ from the file (needs PGNO)', default: false}),
  },
  label: ({args}) => labelPgno('dump', args.pgno),
  async run(pool, {args, flags}): Promise<DumpResult> {
    if (args.pgno === undefined) {
      if (flags.diff) throw usageError('--diff compares one page with the file: give a page number, e.g. mpool dump 3 --diff')
      const [stats, frames] = [await pool.stats(), await pool.frames()]
      return {kind: 'cache', key: stats.key, policy: stats.policy, maxcache: stats.maxcache, cached: stats.cached, frames: markNextVictim(frames, stats.cached >= stats.maxcache)}
    }
    const snap = await pool.peek(args.pgno, {withFile: flags.diff})
    const pagesize = snap.bytes.length
    const offset = args.pgno * pagesize
    const page: PageDump = {kind: 'page', pgno: args.pgno, offset, pagesize, cached: snap.cached, frame: snap.frame, pins: snap.pins, dirty: snap.dirty, hex: snap.bytes.toString('hex')}
    if (flags.diff && snap.file !== undefined) page.changed = changedRanges(snap.bytes, snap.file).map((r) => ({...r, offset: offset + r.start}))
    return page
  },
  render: (result, {color}) => renderDump(result, color),
})
