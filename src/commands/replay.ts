/**
 * mpool replay -- replay a trace through each replacement policy at each cache size, beside
 * Belady's OPT, and show the hit ratios as a table and a chart (src/replay/).
 *
 * --steps prints the answer key instead: one row per access for each policy asked (OPT too,
 * if named), at the one cache size given. --diverge lists the steps at which the policies
 * asked (two or more) do not all hit or all miss. Both step through the trace one access at a
 * time (src/workload/stepper.ts), so a trace for them is capped at MAX_STEP_ACCESSES.
 *
 * Policy: the replay is the pool's page table and replacer only (src/workload/simulator.ts), so its
 * hits and misses are those a pool of that policy and maxcache would count for the same
 * accesses, a page made by new counting as a miss. stdout gets the report (or, with --json,
 * the results array); a progress bar goes to stderr on a terminal while a long replay runs.
 */
import {Args, Flags} from '@oclif/core'
import {ShellCommand} from '../cli/base.js'
import {usageError} from '../common/exit-status.js'
import {colorLevel} from '../cli/output.js'
import {EXIT, ShellError} from '../common/exit-status.js'
import {replayAll, type ReplayResult, type Series} from '../workload/simulator.js'
import {type ReadAheadResult, replayReadAhead} from '../workload/read-ahead.js'
import {MAX_READAHEAD} from '../pool/index.js'
import {type Divergence, divergences, stepsOf, type StepsResult} from '../workload/stepper.js'
import {divergenceTable, stepsTable} from '../replay/steps.js'
import {barWidth, hitRatioChart} from '../replay/chart.js'
import {defaultSizes, distinctPages, parsePolicies, parseSizes, policiesOf} from '../replay/options.js'
import {startProgress} from '../replay/progress.js'
import {loadPalette} from '../render/palette.js'
import {readsTable, resultsTable} from '../replay/table.js'
import {loadTrace} from '../workload/trace-files.js'
import type {Trace} from '../workload/trace.js'

/** The longest trace --steps or --diverge steps through: a row per access is for exercises, not for millions. */
export const MAX_STEP_ACCESSES = 100_000

/** What --diverge prints in --json. */
export interface DivergeResult {
  policies: Series[]
  maxcache: number
  accesses: number
  steps: Divergence[]
}

export default class Replay extends ShellCommand {
  static override args = {
    trace: Args.string({description: 'a trace file: from `mpool trace gen` or `mpool open FILE --record TRACE`', required: true}),
  }
  static override description =
    'Each policy runs the trace with a page table and its replacer, as the pool would (a page made by new counts as a ' +
    'miss); OPT evicts the page used furthest in the future, the bound no policy can pass. Without --maxcache the ' +
    'sizes are 5%, 10%, 20%, 50% and 100% of the pages the trace touches. --json prints the results array: ' +
    '{policy, maxcache, hits, misses, accesses, hitRatio} for each policy at each size, OPT last in each size.'
  static override examples = [
    '<%= config.bin %> replay scan.trace',
    '<%= config.bin %> replay scan.trace --maxcache 50,100,200 --policy lru,arc',
    '<%= config.bin %> replay session.trace --maxcache 4 --policy lru --json',
    '<%= config.bin %> replay exercise.trace --policy fifo,lru,opt --maxcache 3 --steps',
    '<%= config.bin %> replay lookups.trace --policy lru,arc --maxcache 50 --diverge',
    '<%= config.bin %> replay scan.trace --policy lru --maxcache 64 --readahead 16',
  ]
  static override flags = {
    diverge: Flags.boolean({description: 'list the steps where one policy hits and another misses (two or more policies, one --maxcache)', exclusive: ['steps'], default: false}),
    maxcache: Flags.string({description: 'cache sizes to replay, comma-separated (default: a spread over the pages the trace touches)', helpValue: 'N,N,…'}),
    readahead: Flags.integer({description: `run each policy through the engine with read-ahead N (2 to ${MAX_READAHEAD}) and count its reads too`, helpValue: 'N', min: 2, max: MAX_READAHEAD}),
    policy: Flags.string({description: 'policies to replay, comma-separated (opt may be named too), or all; OPT is always shown', helpValue: 'lru,fifo,…|all', default: 'all'}),
    steps: Flags.boolean({description: 'the answer key: one row per access (page, hit or miss, victim and why, frames, policy state) at one --maxcache', exclusive: ['diverge'], default: false}),
  }
  static override summary = 'Compare the replacement policies on a trace: hit ratio against cache size, beside OPT.'

  async run(): Promise<ReplayResult[] | StepsResult[] | DivergeResult> {
    const {args, flags} = await this.parse(Replay)
    const series = parsePolicies(flags.policy)
    const policies = policiesOf(series)
    const given = flags.maxcache === undefined ? undefined : parseSizes(flags.maxcache)
    const stepping = flags.steps ? '--steps' : flags.diverge ? '--diverge' : null
    if (stepping !== null && given?.length !== 1) throw usageError(`${stepping} replays at one cache size: give it as --maxcache N`)
    if (stepping !== null && flags.readahead !== undefined) throw usageError(`${stepping} steps through the policies alone: leave out --readahead`)
    if (flags.diverge && series.length < 2) throw usageError('--diverge compares two or more policies: name them as --policy lru,arc')
    const trace = loadTrace(args.trace)
    const accesses = trace.pgnos.length
    if (accesses === 0) throw new ShellError('EFTYPE', EXIT.file, `trace ${args.trace} has no accesses: nothing to replay`)
    if (stepping !== null) {
      if (accesses > MAX_STEP_ACCESSES) throw usageError(`${stepping} steps through at most ${MAX_STEP_ACCESSES} accesses, and ${args.trace} has ${accesses}: replay a part of it`)
      return this.stepped(trace, series, given![0], flags.diverge, args.trace)
    }
    const distinct = distinctPages(trace.pgnos)
    const sizes = given ?? defaultSizes(distinct)
    const progress = startProgress(process.stderr, sizes.length * (policies.length + 1), accesses)
    let results: ReplayResult[]
    try {
      const readahead = flags.readahead
      results = readahead === undefined ? replayAll(trace, policies, sizes, progress.onProgress) : replayAll(trace, policies, sizes, progress.onProgress, (t, policy, size) => replayReadAhead(t, policy, size, readahead))
    } finally {
      progress.stop()
    }
    if (!this.jsonEnabled()) {
      const palette = await loadPalette(await colorLevel(process.stdout))
      const heading = `${args.trace}: ${accesses} accesses to ${distinct} distinct pages; hit ratio = hits / accesses`
      const width = barWidth(process.stdout.isTTY ? process.stdout.columns : undefined)
      const parts = [palette === null ? heading : palette.heading(heading), '', resultsTable(results, palette), '', hitRatioChart(results, {width, palette})]
      if (flags.readahead !== undefined) {
        const ahead = results.filter((r): r is ReadAheadResult => 'reads' in r)
        parts.push('', `reads with read-ahead ${flags.readahead} (without it, every miss is a read):`, readsTable(ahead))
      }
      this.say(parts.join('\n'))
    }
    return results
  }

  /* stepped -- --steps (one answer key per series) or --diverge (the steps where they disagree). */
  private async stepped(trace: Trace, series: Series[], maxcache: number, diverge: boolean, file: string): Promise<StepsResult[] | DivergeResult> {
    const palette = this.jsonEnabled() ? null : await loadPalette(await colorLevel(process.stdout))
    if (diverge) {
      const result: DivergeResult = {policies: series, maxcache, accesses: trace.pgnos.length, steps: divergences(trace, series, maxcache)}
      if (!this.jsonEnabled()) this.say(`${file}: ${divergenceTable(series, maxcache, result.accesses, result.steps, palette)}`)
      return result
    }
    const results = series.map((s) => stepsOf(trace, s, maxcache))
    if (!this.jsonEnabled()) this.say(results.map((r) => stepsTable(r, palette)).join('\n\n'))
    return results
  }
}
