/**
 * tables -- the shell's tables: the stats sheet, the cache's frames, the open pools.
 *
 * Policy: columns are separated by two spaces and padded so they line up (left-aligned text,
 * right-aligned numbers); colour, when there is a palette, is added after the padding so that
 * escapes never break the alignment. Plain output is stable text for grep and awk.
 */
import {formatTitle} from '../formats/choose.js'
import type {MPoolStats} from '../pool/index.js'
import type {FrameView, PinHolder} from '../session/handle.js'
import type {Palette} from './palette.js'
import type {PoolListing} from '../session/pools.js'

type Cell = string | number

/** table -- rows under a header, aligned; `paint` may colour a whole row after padding. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>, paint?: (row: number, line: string) => string): string {
  // One pass for the widths and which columns are all numbers (loops, not a spread: a map of a
  // big file has rows by the hundred thousand, more than a call takes arguments).
  const widths = header.map((h) => h.length)
  const numeric = header.map(() => rows.length > 0)
  for (const row of rows) {
    for (let c = 0; c < header.length; c++) {
      const cell = row[c]!
      const width = String(cell).length
      if (width > widths[c]!) widths[c] = width
      if (typeof cell !== 'number') numeric[c] = false
    }
  }
  const line = (cells: readonly Cell[]) => {
    let text = ''
    for (let c = 0; c < cells.length; c++) {
      const cell = String(cells[c])
      text += (c === 0 ? '' : '  ') + (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))
    }
    return text.trimEnd()
  }
  const out = [line(header)]
  rows.forEach((row, i) => out.push(paint === undefined ? line(row) : paint(i, line(row))))
  return out.join('\n')
}

/** What each of BSD's nine counters counts, under its own name. */
export const COUNTERS = [
  ['cachehit', 'gets that found the page cached'],
  ['cachemiss', 'gets that did not'],
  ['pagealloc', 'frames allocated'],
  ['pageflush', 'frames taken from a victim for reuse'],
  ['pageget', 'calls to get'],
  ['pagenew', 'calls to new'],
  ['pageput', 'calls to put'],
  ['pageread', 'reads from the file (a page, or a read-ahead run in one read)'],
  ['pagewrite', 'pages written to the file'],
] as const

/** The read-ahead counters, shown after BSD's nine when read-ahead is on. */
export const PREFETCH_COUNTERS = [
  ['prefetch', 'pages read ahead, beyond the page a miss asked for'],
  ['prefetchhit', 'gets that found a page read ahead (counted as misses too)'],
  ['prefetchwaste', 'pages read ahead and evicted before any get'],
] as const

/** percent -- a ratio as a whole percentage, e.g. 0.571 -> `57%`. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`
}

/**
 * statsSheet -- mpool_stat's report: the pool and its file, occupancy and hit rate, then the
 * nine counters under BSD's names, one a line (`grep pagewrite` finds one).
 */
export function statsSheet(stats: MPoolStats & {file?: string | null; fileChanged?: string; format?: string | null}, palette: Palette | null): string {
  const heading = (s: string) => (palette === null ? s : palette.heading(s))
  const hits = stats.pageget === 0 ? 'no gets yet' : `${percent(stats.hitRate)} (${stats.cachehit} hit${stats.cachehit === 1 ? '' : 's'}, ${stats.cachemiss} miss${stats.cachemiss === 1 ? '' : 'es'})`
  const cache = `${stats.cached} of ${stats.maxcache} pages: ${stats.pinned} pinned, ${stats.dirty} dirty, ${stats.overcommit} over the limit`
  const about: Array<[string, string]> = [
    ['pool', `${stats.key ?? '(private)'}${stats.file ? `  ${stats.file}` : ''}`],
    ...(stats.format === undefined ? [] : ([['format', stats.format ?? 'none (a plain page file)']] as Array<[string, string]>)),
    ['policy', [stats.policy, stats.hardLimit ? 'hard limit' : '', stats.readahead > 0 ? `readahead ${stats.readahead}` : '', stats.writeBehind ? 'write-behind' : '', stats.journal ? 'journal' : ''].filter((s) => s !== '').join(', ')],
    ['pagesize', String(stats.pagesize)],
    ['npages', `${stats.npages}${stats.trailing > 0 ? ` (+${stats.trailing} trailing bytes, never read)` : ''}`],
    ['cache', cache],
    ['hit rate', hits],
    ...(stats.fileChanged === undefined ? [] : ([['warning', `${stats.fileChanged}; close the pool and open the file again`]] as Array<[string, string]>)),
  ]
  const counters = stats.readahead > 0 ? [...COUNTERS, ...PREFETCH_COUNTERS] : COUNTERS
  const labelWidth = Math.max(...about.map(([k]) => k.length), ...counters.map(([k]) => k.length))
  const valueWidth = Math.max(...counters.map(([k]) => String(stats[k]).length))
  const lines = about.map(([k, v]) => `${heading(k.padEnd(labelWidth))}  ${v}`)
  lines.push('')
  for (const [name, meaning] of counters) {
    lines.push(`${heading(name.padEnd(labelWidth))}  ${String(stats[name]).padStart(valueWidth)}  ${palette === null ? meaning : palette.dim(meaning)}`)
  }
  return lines.join('\n')
}

/** holderText -- who holds pins: `4242 mpool get 3, 4300 repl`. */
export function holderText(holders: readonly PinHolder[]): string {
  return holders.map((h) => `${h.pid} ${h.command}`).join(', ')
}

/** A frame as `dump` reports it: the pool's view plus whether it goes next. */
export interface FrameRow extends FrameView {
  /** the replacer's next victim (the first unpinned frame in its order) */
  nextVictim: boolean
  /** the format's number of the page (SQLite: pgno + 1), when the file has a format */
  page?: number
}

/**
 * framesTable -- the cache in the replacer's order, next victim first (least recently used
 * first under LRU): frame, page, pins, who holds them, dirty, and the next victim marked; in a
 * file with a format, the format's page number beside the pgno.
 */
export function framesTable(frames: readonly FrameRow[], palette: Palette | null, format: string | null = null): string {
  const state = (f: FrameRow) => [f.pins, f.dirty ? 'dirty' : f.prefetched === true ? 'ahead' : 'clean', f.nextVictim ? '<- next victim' : '', holderText(f.holders)]
  // in a file with a format, mpool's pgno and the format's number side by side, as map has them
  const rows = frames.map((f) => (format === null ? [f.frame, f.pgno, ...state(f)] : [f.frame, f.pgno, f.page ?? '-', ...state(f)]))
  const heads = format === null ? ['frame', 'page'] : ['frame', 'pgno', `${formatTitle(format)} page`]
  return table([...heads, 'pins', 'state', 'next', 'held by'], rows, (i, line) => {
    if (palette === null) return line
    const f = frames[i]
    if (f.nextVictim) return palette.warn(line)
    if (f.pins > 0) return palette.pinned(line)
    return line
  })
}

/**
 * poolsTable -- the open pools: key, file, format (`-`: a plain page file), pagesize,
 * cached/maxcache, dirty, pinned, policy. A pool whose server does not answer is still open:
 * its row says so, with the pid, where the occupancy would be.
 */
export function poolsTable(pools: readonly PoolListing[]): string {
  if (pools.length === 0) return 'no pools open'
  const rows = pools.map((p) =>
    p.answering
      ? [p.key, p.fileChanged === undefined ? p.file : `${p.file} (changed under the pool)`, p.format ?? '-', p.pagesize, `${p.cached}/${p.maxcache}`, p.dirty ?? '-', p.pinned ?? '-', `${p.policy}${p.journal === true ? ', journal' : ''}`]
      : [p.key, p.file, p.format ?? '-', p.pagesize, `not answering${p.pid === null ? '' : ` (pid ${p.pid})`}`, '-', '-', `${p.policy}${p.journal === true ? ', journal' : ''}`],
  )
  return table(['key', 'file', 'format', 'pagesize', 'cached', 'dirty', 'pinned', 'policy'], rows)
}
