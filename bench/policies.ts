/*
 * policies -- what a replacement policy costs: the engine's hit path under each policy, and
 * how fast `mpool replay` runs each one through a trace.
 *
 *   hit-clock, hit-lru-k, hit-arc
 *        get+put on 1024 cached pages of a real 4 KiB-page file, random order (the engine's
 *        `hit` case), under that policy   vs the same loop under lru           target <= 1.3
 *        Each in a child process of its own (bench/policy-hit-child.ts): see there why.
 *   replay-lru, replay-fifo, replay-clock, replay-lru-k, replay-arc
 *        one zipf trace (s = 1) of 1M accesses over 100k pages, 2,000 frames, in ns/access
 *        vs a plain loop over the same trace doing one Map lookup per access (a Map of every
 *        page of the trace), timed in the same run, alternating   target: 1.5, arc 3.5 (the
 *        ratios measured when the baseline came in, about 1.0 and 2.7, with room for noise)
 *   replay-opt
 *        Belady's OPT on the same trace, ns/access   vs the same Map loop      (no target)
 *
 * Method (bench/lib.ts): warm up, then time several runs in CPU time, the two sides of a hit
 * case alternating, and each replay alternating with the Map loop; the median counts. The replays
 * run in this one process, one after another, as `mpool replay` runs them.
 */
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import type {PolicyName} from '../src/pool/replacer.js'
import {replay, replayOpt} from '../src/workload/simulator.js'
import {generateTrace} from '../src/workload/generators.js'
import {type BenchRow, compare, log, makePageFile, PAGESIZE, row} from './lib.js'

export type {BenchRow}

const HIT_PAGES = 1024
const HIT_TARGET = 1.3

const ACCESSES = 1_000_000
const PAGES = 100_000
const FRAMES = 2_000
const REPLAY_RUNS = 5

/** The cases, in the order they run (bench/run.ts filters on these names). */
export const CASES = ['hit-clock', 'hit-lru-k', 'hit-arc', 'replay-lru', 'replay-fifo', 'replay-clock', 'replay-lru-k', 'replay-arc', 'replay-opt'] as const

/** The replay throughput each policy was first held to, in accesses per second (the README's budget; logged, not a row). */
export const REPLAY_TARGETS: Record<PolicyName, number> = {lru: 5e6, fifo: 5e6, clock: 5e6, 'lru-k': 2e6, arc: 2e6}

/** The ratio to the Map loop each policy's replay must stay within. */
export const REPLAY_RATIO_TARGETS: Record<PolicyName, number> = {lru: 1.5, fifo: 1.5, clock: 1.5, 'lru-k': 1.5, arc: 3.5}

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

/** mapLoop -- the replay baseline: a plain loop over the same trace doing one Map lookup per access (every page in the Map). */
function mapLoop(pgnos: Uint32Array, map: Map<number, number>): number {
  let found = 0
  for (let i = 0; i < pgnos.length; i++) if (map.get(pgnos[i]) !== undefined) found++
  return found
}

/** replayRows -- each policy's replay against a Map lookup per access over the same trace, in the same run; OPT likewise. */
function replayRows(): BenchRow[] {
  const trace = generateTrace('zipf', {pages: PAGES, length: ACCESSES, seed: 1})
  const map = new Map<number, number>()
  for (let i = 0; i < trace.pgnos.length; i++) map.set(trace.pgnos[i], i)
  const baseline = {run: () => mapLoop(trace.pgnos, map)}
  const options = {warmup: 2, reps: REPLAY_RUNS, clock: 'cpu' as const}
  const rows: BenchRow[] = []
  for (const policy of Object.keys(REPLAY_TARGETS) as PolicyName[]) {
    log(`  replay-${policy}: ${ACCESSES / 1e6}M zipf accesses, ${FRAMES} frames, against a Map lookup per access`)
    const t = compare({run: () => replay(trace, policy, FRAMES)}, baseline, options)
    log(`  replay-${policy}: ${(ACCESSES / t.ours) * 1e3} M accesses/s (the Map loop ${(ACCESSES / t.baseline) * 1e3})`)
    rows.push(row(`replay-${policy}`, 'ns/access', t.ours / ACCESSES, t.baseline / ACCESSES, REPLAY_RATIO_TARGETS[policy]))
  }
  log('  replay-opt: the same trace through OPT, against the Map loop')
  const t = compare({run: () => replayOpt(trace, FRAMES)}, baseline, options)
  rows.push(row('replay-opt', 'ns/access', t.ours / ACCESSES, t.baseline / ACCESSES))
  return rows
}

/** benchPolicies -- every case above: the hit cases, then the replays. */
export async function benchPolicies(): Promise<BenchRow[]> {
  return [...hitRows(), ...replayRows()]
}
