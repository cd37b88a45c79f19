/**
 * cache-view -- what `mpool dump` shows: the cache's frames in the replacer's order (with what
 * the next miss will do), or one page with the bytes that differ from the file marked and
 * listed as ranges.
 */
import {counted} from '../common/plural.js'
import {type ByteRange, type HexLayout} from './hex.js'
import {type PageResult, pageView} from './page.js'
import type {Palette} from './palette.js'
import {type FrameRow, framesTable} from './tables.js'

/** The cache, as `dump` without a page number reports it. */
export interface CacheDump {
  kind: 'cache'
  key: string | null
  policy: string
  maxcache: number
  /** with every frame pinned, a miss fails (EBUSY) instead of growing the cache */
  hardLimit: boolean
  cached: number
  /** frames in the replacer's order: the next victim (pins aside) first; each with its `page` in the format's numbering, if any */
  frames: FrameRow[]
  /** the file's page format, when it has one */
  format?: string
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
  // --offset counts within the page and the hex rows show file offsets: each range names both, so either can be found.
  const span = (first: number, length: number): string => (length === 1 ? `0x${first.toString(16)}` : `0x${first.toString(16)}-0x${(first + length - 1).toString(16)}`)
  const list = ranges.map((r) => {
    const plural = r.end - r.start === 1 ? 'offset' : 'offsets'
    return `page ${plural} ${span(r.start, r.end - r.start)} = file ${plural} ${span(r.offset, r.end - r.start)}`
  })
  return `${counted(bytes, 'byte')} ${bytes === 1 ? 'differs' : 'differ'} from the file, in ${counted(ranges.length, 'range')}: ${list.join(', ')}`
}

/** renderDump -- the cache table, or the page view (with its changed ranges under --diff). */
export function renderDump(result: DumpResult, color: Palette | null, options: {where?: string; layout?: HexLayout} = {}): string {
  if (result.kind === 'page') {
    const view = pageView(result, color, {...options, ...(result.changed === undefined ? {} : {changed: result.changed})})
    return result.changed === undefined ? view : `${view}\n${rangeText(result.changed)}`
  }
  const name = result.key === null ? 'private pool' : `pool ${result.key}`
  const free = result.maxcache - result.cached
  const head = `${name}: ${result.cached} of ${result.maxcache} frames in use, ${result.policy} order (next victim first)` +
    (free > 0
      ? `; ${free} free, so the next miss takes a free frame`
      : result.frames.every((f) => f.pins > 0)
        ? `; every frame pinned, so the next miss ${result.hardLimit ? 'fails with EBUSY (hard limit)' : 'grows the cache past maxcache'}`
        : '')
  return result.frames.length === 0 ? `${head}\nthe cache is empty` : `${head}\n${framesTable(result.frames, color, result.format ?? null)}`
}

