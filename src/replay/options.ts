/**
 * options -- what `mpool replay` is asked to compare: the cache sizes and the policies.
 *
 * Policy, each in a sentence:
 *  - --maxcache is a comma-separated list of whole numbers, 1 to MAX_REPLAY_CACHE; the sizes
 *    are replayed in ascending order and a size given twice is replayed once.
 *  - Without --maxcache the sizes are a spread over the trace's distinct pages D: 5%, 10%,
 *    20%, 50% and 100% of D (each at least 1, duplicates dropped), so the chart runs from a
 *    cache far too small to one that holds every page (where only first touches miss).
 *  - --policy is `all` or a comma-separated list of policy names and `opt`; the hit-ratio
 *    report always replays OPT beside them, as the bound no policy can pass, and --steps and
 *    --diverge use OPT only when it is named.
 *  - Anything else is a usage error (exit 2) that names the bad item and what would do.
 */
import {usageError} from '../common/exit-status.js'
import {isPolicyName, POLICY_NAMES} from '../pool/index.js'
import type {PolicyName} from '../pool/index.js'
import type {Series} from '../render/palette.js'

/** The largest cache a replay simulates: every size allocates its frames up front. */
export const MAX_REPLAY_CACHE = 10_000_000

/** The default spread, as fractions of the trace's distinct pages. */
export const DEFAULT_SIZE_FRACTIONS = [0.05, 0.1, 0.2, 0.5, 1] as const

/** parseSizes -- the cache sizes of a `--maxcache` list such as `4,8,16`, ascending, each once. */
export function parseSizes(text: string): number[] {
  const items = text.split(',').map((item) => item.trim())
  if (items.every((item) => item === '')) throw usageError('--maxcache needs at least one cache size, e.g. --maxcache 16,64,256')
  const sizes = new Set<number>()
  for (const item of items) {
    const size = /^\d+$/.test(item) ? Number(item) : Number.NaN
    if (!Number.isSafeInteger(size) || size < 1 || size > MAX_REPLAY_CACHE) {
      throw usageError(
        `--maxcache: each cache size must be a whole number from 1 to ${MAX_REPLAY_CACHE}, not ${JSON.stringify(item)} (write sizes as 16,64,256)`,
      )
    }
    sizes.add(size)
  }
  return [...sizes].sort((a, b) => a - b)
}

/**
 * parsePolicies -- the series of a `--policy` list such as `lru,arc` or `fifo,opt`, in the order
 * given, each once; `all` is every policy (OPT aside: the report adds it anyway).
 */
export function parsePolicies(text: string): Series[] {
  const items = text.split(',').map((item) => item.trim())
  const choices = `${POLICY_NAMES.join(', ')}, opt or all`
  if (items.length === 1 && items[0] === 'all') return [...POLICY_NAMES]
  if (items.every((item) => item === '')) throw usageError(`--policy needs a policy: ${choices}`)
  const series = new Set<Series>()
  for (const item of items) {
    if (item === 'all') throw usageError('--policy: "all" stands alone; list policies or write all, not both')
    if (item !== 'opt' && !isPolicyName(item)) throw usageError(`--policy: unknown policy ${JSON.stringify(item)}; choose from ${choices}`)
    series.add(item)
  }
  return [...series]
}

/** policiesOf -- the real policies of a list of series: OPT left out. */
export function policiesOf(series: readonly Series[]): PolicyName[] {
  return series.filter((s): s is PolicyName => s !== 'opt')
}

/** defaultSizes -- the spread of cache sizes for a trace of `distinct` distinct pages (none for an empty trace). */
export function defaultSizes(distinct: number): number[] {
  const sizes = new Set<number>()
  for (const fraction of DEFAULT_SIZE_FRACTIONS) {
    if (distinct > 0) sizes.add(Math.min(MAX_REPLAY_CACHE, Math.max(1, Math.round(distinct * fraction))))
  }
  return [...sizes].sort((a, b) => a - b)
}

/** distinctPages -- how many different pages a trace touches. */
export function distinctPages(pgnos: Uint32Array): number {
  let max = 0
  for (let i = 0; i < pgnos.length; i++) if (pgnos[i] > max) max = pgnos[i]
  if (max < 1 << 26 && (max < 1 << 20 || max < 16 * pgnos.length)) {
    // a bitmap (at most 64 MiB, and not much larger than the trace): far faster than a Set
    // for the usual dense page numbers
    const seen = new Uint8Array(max + 1)
    let count = 0
    for (let i = 0; i < pgnos.length; i++) {
      if (seen[pgnos[i]] === 0) {
        seen[pgnos[i]] = 1
        count++
      }
    }
    return count
  }
  return new Set(pgnos).size
}
