/**
 * header -- the pool in one line: file, pagesize, npages, frames used / maxcache, overcommit,
 * policy; and, when the policy has state worth seeing, a second line with it (clock's hand and
 * usage counts, ARC's lists and target p, LRU-K's k-distances).
 *
 * Policy: the line is built from parts in order of importance and cut at the terminal's width,
 * the file name shortened from the left first, so the numbers stay visible at 80 columns.
 */
import path from 'node:path'
import {Box, Text} from 'ink'
import {formatTitle} from '../formats/index.js'
import {num} from '../render/reasons.js'
import type {PoolPicture} from './watcher.js'
import {useTint} from './tint.js'

export interface HeaderProps {
  picture: PoolPicture
  /** the pool's key when attached to a shared pool, null for a private one */
  attachedKey: string | null
  width: number
  /** lines the header may use: 1, or 2 to show the policy's state */
  rows: number
}

/** headerParts -- the header's numbers: the file's format (SQLite, ...) if it has one, pagesize, npages, frames used of maxcache, overcommit, policy. */
export function headerParts(picture: PoolPicture): string[] {
  const {info, stats} = picture
  return [
    ...(info.format === null || info.format === undefined ? [] : [formatTitle(info.format.format)]),
    `pagesize ${stats.pagesize}`,
    `npages ${stats.npages}`,
    `frames ${stats.cached}/${stats.maxcache}`,
    `over ${stats.overcommit}`,
    `policy ${stats.policy}${stats.hardLimit ? ' (hard limit)' : ''}`,
  ]
}

/**
 * headerLine -- `demo.db (private) · pagesize 4096 · ...` cut to `width`: the numbers always
 * stay; the file's path gives way to its base name, then the pool's kind goes, then the name
 * is shortened from the left.
 */
export function headerLine(picture: PoolPicture, attachedKey: string | null, width: number): string {
  const numbers = headerParts(picture).join(' · ')
  const file = picture.info.file ?? '(no file)'
  const kind = attachedKey === null ? '(private)' : `(pool ${attachedKey}, shared)`
  const fits = (name: string) => name.length + 3 + numbers.length <= width
  for (const name of [`${file} ${kind}`, `${path.basename(file)} ${kind}`, path.basename(file)]) {
    if (fits(name)) return `${name} · ${numbers}`
  }
  const room = width - numbers.length - 3
  const base = path.basename(file)
  return room >= 4 ? `…${base.slice(base.length - room + 1)} · ${numbers}` : numbers
}

/** policyLine -- the policy's own state in words, or null when it has nothing beyond the order (lru). */
export function policyLine(state: Record<string, unknown>): string | null {
  const policy = state.policy
  if (policy === 'lru' || policy === undefined) return null
  if (policy === 'clock') {
    const usage = Array.isArray(state.usage) ? (state.usage as (number | null)[]) : []
    const counts = usage.map((u, f) => (u === null ? null : `f${f}:${u}`)).filter((s) => s !== null)
    return `clock: hand at frame ${String(state.hand)} · usage (max ${String(state.maxUsage)}) ${counts.join(' ')}`
  }
  if (policy === 'arc') {
    return `arc: target |T1| p=${typeof state.p === 'number' ? num(state.p) : String(state.p)} of c=${String(state.c)} · T1 ${String(state.t1)} · T2 ${String(state.t2)} · ghosts B1 ${String(state.b1)} · B2 ${String(state.b2)}`
  }
  if (policy === 'lru-k') {
    const frames = Array.isArray(state.frames) ? (state.frames as {frame: number; history: number; kDistance: number | null}[]) : []
    const parts = frames.map((f) => `f${f.frame}:${f.kDistance === null ? '∞' : f.kDistance}`)
    return `lru-k: k=${String(state.k)} · backward k-distance ${parts.join(' ')}`
  }
  const rest = Object.entries(state)
    .filter(([k]) => k !== 'policy')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
  return `${String(policy)}: ${rest.join(' · ')}`
}

/** Header -- the pool's identity and occupancy, and the policy's state on a second line. */
export function Header({picture, attachedKey, width, rows}: HeaderProps) {
  const policy = rows > 1 ? policyLine(picture.policy) : null
  const over = picture.stats.overcommit > 0
  const tint = useTint()
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" bold color={tint(over ? 'red' : undefined)}>
        {headerLine(picture, attachedKey, width)}
      </Text>
      {policy === null ? null : (
        <Text wrap="truncate-end" color={tint('gray')}>
          {policy}
        </Text>
      )}
    </Box>
  )
}
