/**
 * table -- the replay report as a table: one row per cache size, one column per policy, the
 * hit ratio in each cell and Belady's OPT in the last column.
 *
 * Policy: numbers are right-aligned and padded before any colour is added, so escapes never
 * break the alignment; plain output is stable text for grep and awk. A ratio is shown as a
 * percentage with one decimal; the exact counts are in --json.
 */
import type {ReplayResult} from '../workload/simulator.js'
import type {ReadAheadResult} from '../workload/read-ahead.js'
import type {Palette, Series} from '../render/palette.js'

/** seriesOf -- the series of a result set in first-seen order (the policies, then opt). */
export function seriesOf(results: readonly ReplayResult[]): Series[] {
  return [...new Set(results.map((r) => r.policy))]
}

/** sizesOf -- the cache sizes of a result set, ascending. */
export function sizesOf(results: readonly ReplayResult[]): number[] {
  return [...new Set(results.map((r) => r.maxcache))].sort((a, b) => a - b)
}

/** percent1 -- a ratio as a percentage with one decimal: 0.3834 -> `38.3%`. */
export function percent1(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`
}

/** lookup -- the result of `series` at `maxcache`. */
export function lookup(results: readonly ReplayResult[], series: Series, maxcache: number): ReplayResult | undefined {
  return results.find((r) => r.policy === series && r.maxcache === maxcache)
}

/**
 * readsTable -- with read-ahead: the reads each policy made, beside its misses (without
 * read-ahead every miss is one read), by cache size (rows) and policy (columns).
 */
export function readsTable(results: readonly ReadAheadResult[]): string {
  const series = seriesOf(results)
  const sizes = sizesOf(results)
  const header = ['maxcache', ...series]
  const cells = sizes.map((size) => [String(size), ...series.map((s) => {
    const r = results.find((x) => x.policy === s && x.maxcache === size)
    return r === undefined ? '-' : `${r.reads} reads / ${r.misses} misses`
  })])
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)))
  return [header, ...cells].map((row) => row.map((cell, c) => cell.padStart(widths[c])).join('  ')).join('\n')
}

/**
 * resultsTable -- hit ratios by cache size (rows) and policy (columns, OPT last). With a
 * palette, the header takes each policy's colour and the best real policy of a row is bold.
 */
export function resultsTable(results: readonly ReplayResult[], palette: Palette | null): string {
  const series = seriesOf(results)
  const sizes = sizesOf(results)
  const header = ['maxcache', ...series]
  const cells = sizes.map((size) => [String(size), ...series.map((s) => {
    const r = lookup(results, s, size)
    return r === undefined ? '-' : percent1(r.hitRatio)
  })])
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)))
  const pad = (text: string, c: number) => text.padStart(widths[c])
  const head = header.map((h, c) => {
    const padded = pad(h, c)
    if (palette === null) return padded
    return c === 0 ? palette.heading(padded) : palette.series[series[c - 1]](palette.heading(padded))
  })
  const lines = [head.join('  ')]
  sizes.forEach((size, i) => {
    const best = Math.max(...series.filter((s) => s !== 'opt').map((s) => lookup(results, s, size)?.hitRatio ?? -1))
    const row = cells[i].map((cell, c) => {
      const padded = pad(cell, c)
      if (palette === null || c === 0) return padded
      const s = series[c - 1]
      if (s === 'opt') return palette.series.opt(padded)
      return lookup(results, s, size)?.hitRatio === best ? palette.heading(padded) : padded
    })
    lines.push(row.join('  '))
  })
  return lines.join('\n')
}
