/*
 * lib -- what every benchmark here shares: the row it reports, the timer, the comparison
 * method, seeded page orders, page files, and the table a person reads.
 *
 * Policy, each in a sentence:
 *  - A row compares our time with a baseline's, measured in the same process: ratio is
 *    ours / baseline, so lower is better and a target is met when ratio <= target. A row of
 *    a throughput says so (`better: 'higher'`): then a target is met when ratio >= target.
 *  - Work that only computes (and reads or writes the OS page cache) is timed in CPU time, the
 *    process's user + system time: on a machine shared with other people's builds, time spent
 *    waiting for a core is not ours. Work that waits for the disk (fsync) is timed on the wall clock.
 *  - Every measurement is warmed up first (the JIT has compiled the loop before it is timed),
 *    then taken several times, ours and the baseline alternating so that a noisy neighbour
 *    hurts both alike; the figure reported is the median of each side.
 *  - Random page orders come from a seeded generator: every run times the same work.
 *  - Page files are real: made in os.tmpdir() with ftruncate and a write of every page, so
 *    each page has blocks on the disk; whoever makes one removes it.
 *  - Timings never decide a test: this is a report, not an assertion.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** One line of the report: a case, timed for us and for a baseline doing the same work plainly. */
export interface BenchRow {
  /** the case's name, as the filter on the command line spells it */
  case: string
  /** what `ours` and `baseline` count, e.g. `ns/op`, `ms`, `MiB` */
  unit: string
  ours: number
  baseline: number
  /** ours / baseline: below 1 we are faster (or smaller) */
  ratio: number
  /** the ratio this case must reach; shown in the table, left out of --json */
  target?: number
  /** which way is good: 'lower' (a time or a size, the default) or 'higher' (a throughput) */
  better?: 'lower' | 'higher'
}

/** targetMet -- whether a row meets its target (undefined when it has none). */
export function targetMet(r: BenchRow): boolean | undefined {
  if (r.target === undefined) return undefined
  return r.better === 'higher' ? r.ratio >= r.target : r.ratio <= r.target
}

/** The pagesize every engine case uses. */
export const PAGESIZE = 4096

/** now -- a monotonic clock in nanoseconds, as a number (exact far past any run here). */
export function now(): number {
  return Number(process.hrtime.bigint())
}

/** median -- the middle value (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** cpuNow -- this process's user + system CPU time in nanoseconds (microsecond resolution). */
export function cpuNow(): number {
  const {user, system} = process.cpuUsage()
  return (user + system) * 1000
}

/** Which clock a comparison reads: CPU time for work that never waits, the wall clock for work that does. */
export type Clock = 'cpu' | 'wall'

/** A side of a comparison: `setup` runs untimed before each timed `run`, `teardown` untimed after it. */
export interface Side {
  /** untimed preparation before each repetition (re-dirty pages, reopen a pool) */
  setup?: () => void
  /** the timed work */
  run: () => void
  /** untimed clean-up after each repetition */
  teardown?: () => void
}

export interface CompareOptions {
  /** untimed runs of each side first, so both are compiled and caches warm */
  warmup: number
  /** timed runs of each side, alternating */
  reps: number
  /** default 'wall': right for anything that waits (a child process, a socket, the disk) */
  clock?: Clock
}

/** timeOnce -- nanoseconds one run of a side takes on `clock`, its setup and teardown untimed. */
export function timeOnce(side: Side, clock: Clock = 'wall'): number {
  const read = clock === 'cpu' ? cpuNow : now
  side.setup?.()
  const start = read()
  side.run()
  const elapsed = read() - start
  side.teardown?.()
  return elapsed
}

/**
 * comparePairs -- `ours` and `baseline` warmed up, then timed `reps` times each, alternating
 * (which one goes first alternates too): each repetition's two times, in nanoseconds, as a pair.
 */
export function comparePairs(ours: Side, baseline: Side, options: CompareOptions): Array<[number, number]> {
  const clock = options.clock ?? 'wall'
  for (let i = 0; i < options.warmup; i++) {
    timeOnce(ours, clock)
    timeOnce(baseline, clock)
  }
  const pairs: Array<[number, number]> = []
  for (let i = 0; i < options.reps; i++) {
    if (i % 2 === 0) {
      const a = timeOnce(ours, clock)
      pairs.push([a, timeOnce(baseline, clock)])
    } else {
      const b = timeOnce(baseline, clock)
      pairs.push([timeOnce(ours, clock), b])
    }
  }
  if (process.env.BENCH_DEBUG) log(`  samples ours ${pairs.map((p) => Math.round(p[0] / 1e6)).join(' ')} | baseline ${pairs.map((p) => Math.round(p[1] / 1e6)).join(' ')} ms`)
  return pairs
}

/** compare -- the median nanoseconds of `ours` and of `baseline` over comparePairs' runs. */
export function compare(ours: Side, baseline: Side, options: CompareOptions): {ours: number; baseline: number} {
  const pairs = comparePairs(ours, baseline, options)
  return {ours: median(pairs.map((p) => p[0])), baseline: median(pairs.map((p) => p[1]))}
}

/**
 * pairRow -- a case's row from pairs of nanosecond times: the medians of each side in ms, and
 * the median of the pairs' ratios. The two runs of a pair see the same load, so a machine whose
 * load drifts (other work, the other core) moves both, where a ratio of two medians taken at
 * different moments would move with it.
 */
export function pairRow(name: string, unit: string, pairs: Array<[number, number]>, target: number | undefined): BenchRow {
  const r = row(name, unit, median(pairs.map((p) => p[0])) / 1e6, median(pairs.map((p) => p[1])) / 1e6, target)
  r.ratio = Number(median(pairs.map(([ours, bare]) => ours / bare)).toFixed(3))
  return r
}

/** row -- a BenchRow, the ratio computed and the figures rounded for people (3 significant digits). */
export function row(name: string, unit: string, ours: number, baseline: number, target?: number): BenchRow {
  const out: BenchRow = {case: name, unit, ours: round3(ours), baseline: round3(baseline), ratio: round3(ours / baseline)}
  if (target !== undefined) out.target = target
  return out
}

function round3(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))))
  return Number(x.toFixed(Math.min(digits, 6)))
}

/** rng -- a seeded generator of uint32s (mulberry32): the same seed, the same page orders. */
export function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** randomPgnos -- `count` page numbers drawn uniformly from 0..pages-1. */
export function randomPgnos(count: number, pages: number, seed: number): Int32Array {
  const next = rng(seed)
  const out = new Int32Array(count)
  for (let i = 0; i < count; i++) out[i] = next() % pages
  return out
}

/** roundRobinPgnos -- 0, 1, ..., pages-1, 0, 1, ... for `count` entries. */
export function roundRobinPgnos(count: number, pages: number): Int32Array {
  const out = new Int32Array(count)
  for (let i = 0; i < count; i++) out[i] = i % pages
  return out
}

/** permutation -- 0..pages-1 in a seeded random order (Fisher-Yates). */
export function permutation(pages: number, seed: number): Int32Array {
  const next = rng(seed)
  const out = new Int32Array(pages)
  for (let i = 0; i < pages; i++) out[i] = i
  for (let i = pages - 1; i > 0; i--) {
    const j = next() % (i + 1)
    const t = out[i]
    out[i] = out[j]
    out[j] = t
  }
  return out
}

/** A page file in a private temporary directory; `remove()` deletes both. */
export interface PageFile {
  path: string
  fd: number
  pages: number
  remove(): void
}

/**
 * makePageFile -- a file of `pages` pages, every page written (its number in its first four
 * bytes, a pattern after), sized first with ftruncate. Open read-write; the caller removes it.
 */
export function makePageFile(pages: number, pagesize = PAGESIZE, label = 'pages'): PageFile {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-bench-'))
  const file = path.join(dir, `${label}.db`)
  const fd = fs.openSync(file, 'w+')
  let closed = false
  const remove = (): void => {
    if (closed) return
    closed = true
    fs.closeSync(fd)
    fs.rmSync(dir, {recursive: true, force: true})
  }
  try {
    fs.ftruncateSync(fd, pages * pagesize)
    const batch = 256 // pages per write: few syscalls, small buffer
    const buffer = Buffer.alloc(batch * pagesize)
    for (let i = 0; i < buffer.length; i++) buffer[i] = i & 0xff
    for (let first = 0; first < pages; first += batch) {
      const n = Math.min(batch, pages - first)
      for (let k = 0; k < n; k++) buffer.writeUInt32LE(first + k, k * pagesize)
      let done = 0
      while (done < n * pagesize) done += fs.writeSync(fd, buffer, done, n * pagesize - done, first * pagesize + done)
    }
    fs.fsyncSync(fd) // the kernel's write-back of a new file must not run into the timed reads
  } catch (err) {
    remove()
    throw err
  }
  return {path: file, fd, pages, remove}
}

/** warmFile -- read the whole file once, so that later reads come from the OS page cache. */
export function warmFile(fd: number, bytes: number): void {
  const buffer = Buffer.allocUnsafe(1 << 20)
  for (let pos = 0; pos < bytes; ) {
    const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, bytes - pos), pos)
    if (n === 0) break
    pos += n
  }
}

/** log -- progress for people, on stderr: stdout stays the report (or the JSON). */
export function log(message: string): void {
  process.stderr.write(`${message}\n`)
}

/** formatTable -- the rows as an aligned text table with the target and whether it is met. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['case', 'unit', 'ours', 'baseline', 'ratio', 'target', 'met']
  const lines = rows.map((r) => [
    r.case,
    r.unit,
    String(r.ours),
    String(r.baseline),
    r.ratio.toFixed(3),
    r.target === undefined ? '-' : `${r.better === 'higher' ? '>=' : '<='} ${r.target}`,
    r.target === undefined ? '-' : targetMet(r) ? 'yes' : 'NO',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const right = new Set([2, 3, 4])
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n')
}
