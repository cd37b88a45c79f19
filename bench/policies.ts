/*
 * policies -- what a replacement policy costs: the engine's hit path under each policy, and
 * how fast `mpool replay` runs each one through a trace.
 *
 *   hit-clock, hit-lru-k, hit-arc
 *        get+put on 1024 cached pages of a real 4 KiB-page file, random order (the engine's
 *        `hit` case), under that policy   vs the same loop under lru           target <= 1.3
 *        Each in a child process of its own (bench/policy-hit-child.ts): see there why.
 *   replay-lru, replay-fifo, replay-clock, replay-lru-k, replay-arc
 *        one zipf trace (s = 1) of 1M accesses over 100k pages, 2,000 frames, in M accesses/s
 *        vs the throughput target: 5 M/s for lru, fifo and clock, 2 M/s for lru-k and arc
 *                                       a throughput (higher is better):       target >= 1
 *   replay-opt
 *        Belady's OPT on the same trace, M accesses/s   vs replay-lru          (no target)
 *
 * Method (bench/lib.ts): warm up, then time several runs in CPU time, the two sides of a hit
 * case alternating; the median counts. A replay case has no second side to alternate with: its
 * baseline is the target itself, so its ratio says how far past the target the replay runs.
 * The replays run in this one process, one after another, as `mpool replay` runs them.
 */
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import type {PolicyName} from '../src/pool/replacer.js'
import {replay, replayOpt} from '../src/workload/simulator.js'
import {generateTrace} from '../src/workload/generators.js'
import {type BenchRow, cpuNow, log, makePageFile, median, PAGESIZE, row} from './lib.js'

export type {BenchRow}

const HIT_PAGES = 1024
const HIT_TARGET = 1.3

const ACCESSES = 1_000_000
const PAGES = 100_000
const FRAMES = 2_000
const REPLAY_RUNS = 5

/** The cases, in the order they run (bench/run.ts filters on these names). */
export const CASES = ['hit-clock', 'hit-lru-k', 'hit-arc', 'replay-lru', 'replay-fifo', 'replay-clock', 'replay-lru-k', 'replay-arc', 'replay-opt'] as const

/** The replay throughput each policy must reach, in accesses per second. */
export const REPLAY_TARGETS: Record<PolicyName, number> = {lru: 5e6, fifo: 5e6, clock: 5e6, 'lru-k': 2e6, arc: 2e6}

/** hitRows -- the engine's hit case under each policy but lru, as a ratio to lru, each in a fresh process. */
function hitRows(): BenchRow[] {
  const file = makePageFile(HIT_PAGES, PAGESIZE, 'policies-hit')
  const child = fileURLToPath(new URL('./policy-hit-child.ts', import.meta.url))
  const rows: BenchRow[] = []
  try {
    for (const policy of ['clock', 'lru-k', 'arc'] as const) {
      log(`  hit-${policy}: get+put on ${HIT_PAGES} cached pages, ${policy} vs lru, in a child process`)
      const result = spawnSync(process.execPath, [...process.execArgv, child, policy, file.path, String(HIT_PAGES)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      if (result.status !== 0) throw new Error(`hit-${policy} child exited with ${result.status ?? result.signal}`)
      const t = JSON.parse(result.stdout) as {ours: number; baseline: number}
      rows.push(row(`hit-${policy}`, 'ns/op', t.ours, t.baseline, HIT_TARGET))
    }
  } finally {
    file.remove()
  }
  return rows
}

/** millionsPerSecond -- accesses per second of `fn`, in millions: the median CPU time of REPLAY_RUNS runs after one to warm up. */
function millionsPerSecond(fn: () => unknown): number {
  fn()
  const times: number[] = []
  for (let i = 0; i < REPLAY_RUNS; i++) {
    const start = cpuNow()
    fn()
    times.push(cpuNow() - start)
  }
  return (ACCESSES / median(times)) * 1e3
}

function throughput(name: string, ours: number, baseline: number, target?: number): BenchRow {
  return {...row(name, 'M accesses/s', ours, baseline, target), better: 'higher'}
}

/** replayRows -- each policy's replay against its throughput budget, and OPT against lru. */
function replayRows(): BenchRow[] {
  const trace = generateTrace('zipf', {pages: PAGES, length: ACCESSES, seed: 1})
  const rows: BenchRow[] = []
  let lru = 0
  for (const [policy, rate] of Object.entries(REPLAY_TARGETS) as Array<[PolicyName, number]>) {
    log(`  replay-${policy}: ${ACCESSES / 1e6}M zipf accesses, ${FRAMES} frames (target >= ${rate / 1e6} M/s)`)
    const ours = millionsPerSecond(() => replay(trace, policy, FRAMES))
    if (policy === 'lru') lru = ours
    rows.push(throughput(`replay-${policy}`, ours, rate / 1e6, 1))
  }
  log('  replay-opt: the same trace through OPT, against replay-lru')
  rows.push(throughput('replay-opt', millionsPerSecond(() => replayOpt(trace, FRAMES)), lru))
  return rows
}

/** benchPolicies -- every case above: the hit cases, then the replays. */
export async function benchPolicies(): Promise<BenchRow[]> {
  return [...hitRows(), ...replayRows()]
}
