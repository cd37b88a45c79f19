/*
 * mpool trace gen -- write a synthetic page-access trace (src/workload/generators.ts).
 *
 * Policy: the trace goes to --output FILE (complete or not at all) or else to stdout. With
 * --json, stdout carries the summary {kind, pages, length, seed, output}, so --json needs
 * --output: the trace and the summary cannot share stdout. Sizes are capped so that the
 * trace fits in memory here and in `mpool replay` (MAX_GEN_PAGES, MAX_GEN_LENGTH).
 */
import {Args, Flags} from '@oclif/core'
import {ShellCommand, wholeFlag} from '../../cli/base.js'
import {usageError} from '../../common/exit-status.js'
import {generateTrace, TRACE_KINDS, type TraceKind} from '../../workload/generators.js'
import {writeTraceFile, writeTraceStream} from '../../workload/trace-files.js'

export const MAX_GEN_PAGES = 10_000_000
export const MAX_GEN_LENGTH = 50_000_000

export interface TraceGenResult {
  kind: TraceKind
  pages: number
  length: number
  seed: number
  /** the file written, or null for stdout */
  output: string | null
}

export default class TraceGen extends ShellCommand {
  static override args = {
    kind: Args.custom<TraceKind>({
      description: `the kind of trace: ${TRACE_KINDS.join(', ')}`,
      parse: async (input) => {
        if ((TRACE_KINDS as readonly string[]).includes(input)) return input as TraceKind
        throw usageError(`KIND must be one of ${TRACE_KINDS.join(', ')}, not ${JSON.stringify(input)}`)
      },
    })({required: true}),
  }
  static override description =
    'seq scans pages 0..N-1 once (so --length is at most --pages); loop repeats that scan (LRU\'s worst case once the cache is smaller); zipf draws pages with ' +
    'P(rank r) ∝ 1/r; scan-mix sends 80% of accesses to a hot 10% of the pages and the rest to long sequential scans of ' +
    'the others. The same seed always gives the same trace. The trace goes to --output FILE, else to stdout; with --json ' +
    'stdout gets a summary instead, so --json needs --output.'
  static override examples = [
    '<%= config.bin %> trace gen scan-mix --pages 1000 --output scan.trace',
    '<%= config.bin %> trace gen zipf --pages 5000 --length 100000 --seed 7 | head',
    '<%= config.bin %> trace gen loop --pages 64 --output loop.trace --json',
  ]
  static override flags = {
    length: wholeFlag({name: 'length', description: 'accesses in the trace (default: pages for seq, 10 × pages for the others)', min: 1, max: MAX_GEN_LENGTH}),
    output: Flags.string({char: 'o', description: 'write the trace to FILE (replaced whole) instead of stdout', helpValue: 'FILE'}),
    pages: wholeFlag({name: 'pages', description: 'distinct pages to draw from: page numbers 0..N-1', min: 1, max: MAX_GEN_PAGES, default: 1000}),
    seed: wholeFlag({name: 'seed', description: 'seed of the generator: the same seed, the same trace', min: 0, max: 0xffff_ffff, default: 1, helpValue: 'S'}),
  }
  static override summary = 'Write a synthetic page-access trace (seq, loop, zipf or scan-mix) for `mpool replay`.'

  async run(): Promise<TraceGenResult> {
    const {args, flags} = await this.parse(TraceGen)
    if (this.jsonEnabled() && flags.output === undefined) throw usageError('--json prints a summary on stdout, so the trace needs --output FILE')
    const length = flags.length ?? (args.kind === 'seq' ? flags.pages : 10 * flags.pages)
    if (length > MAX_GEN_LENGTH) throw usageError(`the default length (10 × pages) is ${length}, past the most a trace may have (${MAX_GEN_LENGTH}): give --length`)
    if (args.kind === 'seq' && length > flags.pages) {
      throw usageError(`seq is one scan of the ${flags.pages} pages, so --length may be at most ${flags.pages}, not ${length}; loop repeats the scan`)
    }
    const trace = generateTrace(args.kind, {pages: flags.pages, length, seed: flags.seed})
    const comment = `mpool trace gen ${args.kind} --pages ${flags.pages} --length ${length} --seed ${flags.seed}`
    const result: TraceGenResult = {kind: args.kind, pages: flags.pages, length, seed: flags.seed, output: flags.output ?? null}
    if (flags.output === undefined) {
      await writeTraceStream(process.stdout, trace, comment)
    } else {
      writeTraceFile(flags.output, trace, comment)
      this.say(`wrote ${length} accesses to ${flags.output}: ${args.kind} over ${flags.pages} pages, seed ${flags.seed}`)
    }
    return result
  }
}
