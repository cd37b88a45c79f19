/*
 * counters -- the pool's counters in one line, under BSD's meaning: hits and misses of get,
 * the hit rate, pages read and written, evictions (pageflush: frames taken from a victim),
 * and how many cached pages are pinned and dirty right now.
 */
import type {MPoolStats} from '../pool/index.js'
import {Text} from 'ink'

/**
 * counterLine -- the counters as one line of text, at most `width` wide when it can be: the
 * occupancy (pinned, dirty), which the grid shows too, is left out first.
 */
export function counterLine(stats: MPoolStats, width = Number.MAX_SAFE_INTEGER): string {
  const rate = stats.pageget === 0 ? '–' : `${(stats.hitRate * 100).toFixed(1)}%`
  const counters = [`hits ${stats.cachehit}`, `misses ${stats.cachemiss}`, `hit rate ${rate}`, `reads ${stats.pageread}`, `writes ${stats.pagewrite}`, `evictions ${stats.pageflush}`]
  const full = [...counters, `pinned ${stats.pinned}`, `dirty ${stats.dirty}`].join(' · ')
  return full.length <= width ? full : counters.join(' · ')
}

export interface CountersProps {
  stats: MPoolStats
  width: number
}

/** Counters -- one line of counters. */
export function Counters({stats, width}: CountersProps) {
  return (
    <Text wrap="truncate-end" color="blue">
      {counterLine(stats, width)}
    </Text>
  )
}
