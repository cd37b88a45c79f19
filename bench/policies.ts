/*
 * policies -- replay throughput of each replacement policy, and of OPT.
 *
 * One zipf trace (s = 1) of 1M accesses over 100k pages, replayed with 2,000 frames by each
 * policy. The baseline of every row is the same trace through lru, BSD's policy: the ratio
 * is ours / baseline in accesses per second, so above 1 is faster than LRU. Each replay runs
 * a few times and the best run counts (the first warms the JIT up).
 */
import {POLICY_NAMES} from '../src/pool/policies/index.js'
import type {PolicyName} from '../src/pool/replacer.js'
import {replay, replayOpt} from '../src/pool/replay.js'
import {generateTrace} from '../src/pool/trace.js'

export interface BenchRow {
  case: string
  unit: string
  ours: number
  baseline: number
  ratio: number
}

const ACCESSES = 1_000_000
const PAGES = 100_000
const FRAMES = 2_000
const RUNS = 5

/** bestRate -- the best of RUNS runs of `fn`, in accesses per second. */
function bestRate(fn: () => unknown): number {
  let best = Infinity
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint()
    fn()
    const ns = Number(process.hrtime.bigint() - start)
    best = Math.min(best, ns)
  }
  return ACCESSES / (best / 1e9)
}

export async function benchPolicies(): Promise<BenchRow[]> {
  const trace = generateTrace('zipf', {pages: PAGES, length: ACCESSES, seed: 1})
  const rate = new Map<PolicyName, number>()
  for (const policy of POLICY_NAMES) rate.set(policy, bestRate(() => replay(trace, policy, FRAMES)))
  const baseline = rate.get('lru')!
  const rows: BenchRow[] = []
  const label = `zipf 1M accesses, ${PAGES / 1000}k pages, ${FRAMES} frames`
  for (const policy of POLICY_NAMES) {
    const ours = rate.get(policy)!
    rows.push({case: `replay ${policy} (${label})`, unit: 'accesses/s', ours, baseline, ratio: ours / baseline})
  }
  const opt = bestRate(() => replayOpt(trace, FRAMES))
  rows.push({case: `replay opt (${label})`, unit: 'accesses/s', ours: opt, baseline, ratio: opt / baseline})
  return rows
}
