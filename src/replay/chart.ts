/**
 * chart -- the replay report as a picture: hit ratio against cache size, as grouped
 * horizontal bars, one group per cache size and one bar per policy, OPT's bar last.
 *
 *   maxcache 100
 *     lru    ███████████████████████████████████            70.0%
 *     arc    ███████████████████████████████████████▌       78.9%
 *     opt    ███████████████████████████████████████▌       78.9%
 *            0%                     50%                  100%
 *
 * Why bars and not a line chart (asciichart was the other candidate): a replay has a handful
 * of cache sizes, not a time series. A line chart plots one column per sample, so five sizes
 * make five columns unless the points are stretched by interpolation, and it has no x-axis
 * labels; its lines overprint wherever policies agree (and they often do, e.g. every policy
 * once the cache holds every page), so a series can vanish; and with colour off, as in a pipe,
 * the lines cannot be told apart at all. Labelled bars keep every value readable, exact to an
 * eighth of a cell (Unicode's eighth blocks), in colour or not, and need no dependency.
 *
 * Policy: the bar width is chosen by the caller (the terminal's width on a TTY, a fixed width
 * otherwise) so that plain output is stable; colour is added after the text is laid out.
 */
import type {ReplayResult} from '../workload/simulator.js'
import type {Palette} from '../render/palette.js'
import {lookup, percent1, seriesOf, sizesOf} from './table.js'

/** The bar width, in cells, when the caller has no terminal to fit. */
export const DEFAULT_BAR_WIDTH = 50
export const MIN_BAR_WIDTH = 20
export const MAX_BAR_WIDTH = 60

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']
const FULL = '█'
const INDENT = '    '

/** bar -- `ratio` (0..1) as a bar of at most `width` cells, in eighths of a cell, padded to `width`. */
export function bar(ratio: number, width: number): string {
  const eighths = Math.round(Math.min(1, Math.max(0, ratio)) * width * 8)
  const full = Math.floor(eighths / 8)
  const text = FULL.repeat(full) + EIGHTHS[eighths % 8]
  return text + ' '.repeat(width - [...text].length)
}

/** barWidth -- the bar width that fits a terminal of `columns` columns (DEFAULT_BAR_WIDTH if unknown). */
export function barWidth(columns: number | undefined): number {
  if (columns === undefined || !Number.isFinite(columns) || columns <= 0) return DEFAULT_BAR_WIDTH
  const chrome = INDENT.length + 'clock'.length + 2 + 2 + '100.0%'.length + 1
  return Math.max(MIN_BAR_WIDTH, Math.min(MAX_BAR_WIDTH, columns - chrome))
}

/** scale -- the ruler under the bars: 0% at the left edge, 50% in the middle, 100% at the right. */
function scale(width: number): string {
  const line = Array.from({length: width + 4}, () => ' ')
  const put = (at: number, text: string) => [...text].forEach((ch, i) => (line[at + i] = ch))
  put(0, '0%')
  put(Math.max(3, Math.round(width / 2) - 1), '50%')
  put(width - 4, '100%')
  return line.join('').trimEnd()
}

/**
 * hitRatioChart -- the results as grouped bars: for each cache size, ascending, one bar per
 * policy in the order of the results and OPT last, each labelled with its hit ratio.
 */
export function hitRatioChart(results: readonly ReplayResult[], options: {width?: number; palette?: Palette | null} = {}): string {
  const width = options.width ?? DEFAULT_BAR_WIDTH
  const palette = options.palette ?? null
  const series = seriesOf(results)
  const labelWidth = Math.max(...series.map((s) => s.length))
  const heading = (text: string) => (palette === null ? text : palette.heading(text))
  const lines = [heading(`hit ratio against cache size (one ${FULL} = ${+(100 / width).toFixed(2)}% of accesses)`)]
  for (const size of sizesOf(results)) {
    lines.push(heading(`  maxcache ${size}`))
    for (const s of series) {
      const r = lookup(results, s, size)
      if (r === undefined) continue
      const drawn = bar(r.hitRatio, width)
      const painted = palette === null ? drawn : palette.series[s](drawn)
      lines.push(`${INDENT}${s.padEnd(labelWidth)}  ${painted}  ${percent1(r.hitRatio).padStart(6)}`)
    }
  }
  const ruler = scale(width)
  lines.push(`${INDENT}${' '.repeat(labelWidth)}  ${palette === null ? ruler : palette.dim(ruler)}`)
  return lines.join('\n')
}
