/**
 * counters -- the pool's counters, under BSD's meaning with two of them split so that each
 * number counts one thing:
 *
 *   hits 1 · misses 3 · hit rate 25.0% · reads 2 · zero-filled 1 · writes 0 · evictions 1 ·
 *   given back 2 · pinned 1 · dirty 0
 *
 *  - reads are pages read from the file; zero-filled are pages the file held no bytes of (a new
 *    page never written, read again after it left the cache clean): BSD's pageread is the sum.
 *  - evictions are victims taken for a miss or a new page; given back are frames over maxcache
 *    dropped as their pins came back: BSD's pageflush is the sum.
 *  - pinned and dirty are how many cached pages are so right now.
 *
 * Policy: every counter is always shown. The parts are joined on one line when it fits the
 * width; otherwise the line is broken between parts onto as many lines as it needs (never
 * inside one, never dropping one), and the layout gives the pane those lines.
 */
import type {MPoolStats} from '../pool/index.js'
import {Box, Text} from 'ink'
import {useTint} from './tint.js'

/** counterParts -- each counter as `name N`, in the order they are read. */
export function counterParts(stats: MPoolStats): string[] {
  const rate = stats.pageget === 0 ? '–' : `${(stats.hitRate * 100).toFixed(1)}%`
  return [
    `hits ${stats.cachehit}`,
    `misses ${stats.cachemiss}`,
    `hit rate ${rate}`,
    `reads ${stats.pageread - stats.pagezero}`,
    `zero-filled ${stats.pagezero}`,
    `writes ${stats.pagewrite}`,
    `evictions ${stats.pageflush - stats.pagegiveback}`,
    `given back ${stats.pagegiveback}`,
    `pinned ${stats.pinned}`,
    `dirty ${stats.dirty}`,
  ]
}

/** counterLines -- the counters in lines at most `width` wide, broken only between parts (a part wider than the width has a line of its own). */
export function counterLines(stats: MPoolStats, width = Number.MAX_SAFE_INTEGER): string[] {
  const lines: string[] = []
  let line = ''
  for (const part of counterParts(stats)) {
    if (line === '') line = part
    else if (line.length + 3 + part.length <= width) line += ` · ${part}`
    else {
      lines.push(`${line} ·`.length <= width ? `${line} ·` : line)
      line = part
    }
  }
  lines.push(line)
  return lines
}

export interface CountersProps {
  stats: MPoolStats
  width: number
  /** lines the pane may use; the layout gives it counterLines(stats, width).length when there is room */
  rows: number
}

/** Counters -- the counters on as many lines as they need (at most `rows`). */
export function Counters({stats, width, rows}: CountersProps) {
  const tint = useTint()
  const lines = counterLines(stats, width).slice(0, Math.max(1, rows))
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" color={tint('blue')}>
          {line}
        </Text>
      ))}
    </Box>
  )
}
