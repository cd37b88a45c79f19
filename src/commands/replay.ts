/*
 * mpool replay -- replay a trace through each replacement policy at each cache size, beside
 * Belady's OPT, and show the hit ratios as a table and a chart (src/replay/).
 *
 * Policy: the replay is the pool's page table and replacer only (src/workload/simulator.ts), so its
 * hits and misses are those a pool of that policy and maxcache would count for the same
 * accesses, a page made by new counting as a miss. stdout gets the report (or, with --json,
 * the results array); a progress bar goes to stderr on a terminal while a long replay runs.
 */
import {Args, Flags} from '@oclif/core'
import {ShellCommand} from '../cli/base.js'
import {colorLevel} from '../cli/output.js'
import {EXIT, ShellError} from '../common/exit-status.js'
import {replayAll, type ReplayResult} from '../workload/simulator.js'
import {barWidth, hitRatioChart} from '../replay/chart.js'
import {defaultSizes, distinctPages, parsePolicies, parseSizes, policiesOf} from '../replay/options.js'
import {startProgress} from '../replay/progress.js'
import {loadPalette} from '../render/palette.js'
import {resultsTable} from '../replay/table.js'
import {loadTrace} from '../workload/trace-files.js'

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
  ]
  static override flags = {
    maxcache: Flags.string({description: 'cache sizes to replay, comma-separated (default: a spread over the pages the trace touches)', helpValue: 'N,N,…'}),
    policy: Flags.string({description: 'policies to replay, comma-separated (opt may be named too), or all; OPT is always shown', helpValue: 'lru,fifo,…|all', default: 'all'}),
  }
  static override summary = 'Compare the replacement policies on a trace: hit ratio against cache size, beside OPT.'

  async run(): Promise<ReplayResult[]> {
    const {args, flags} = await this.parse(Replay)
    const policies = policiesOf(parsePolicies(flags.policy))
    const given = flags.maxcache === undefined ? undefined : parseSizes(flags.maxcache)
    const trace = loadTrace(args.trace)
    const accesses = trace.pgnos.length
    if (accesses === 0) throw new ShellError('EFTYPE', EXIT.file, `trace ${args.trace} has no accesses: nothing to replay`)
    const distinct = distinctPages(trace.pgnos)
    const sizes = given ?? defaultSizes(distinct)
    const progress = startProgress(process.stderr, sizes.length * (policies.length + 1), accesses)
    let results: ReplayResult[]
    try {
      results = replayAll(trace, policies, sizes, progress.onProgress)
    } finally {
      progress.stop()
    }
    if (!this.jsonEnabled()) {
      const palette = await loadPalette(await colorLevel(process.stdout))
      const heading = `${args.trace}: ${accesses} accesses to ${distinct} distinct pages; hit ratio = hits / accesses`
      const width = barWidth(process.stdout.isTTY ? process.stdout.columns : undefined)
      this.say([palette === null ? heading : palette.heading(heading), '', resultsTable(results, palette), '', hitRatioChart(results, {width, palette})].join('\n'))
    }
    return results
  }
}
