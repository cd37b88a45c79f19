/**
 * mpool trace gen -- write a synthetic page-access trace (src/workload/generators.ts).
 *
 * Policy: the trace goes to --output FILE (complete or not at all) or else to stdout. With
 * --json, stdout carries the summary {kind, pages, length, seed, output}, so --json needs
 * --output: the trace and the summary cannot share stdout. Sizes are capped so that the
 * trace fits in memory here and in `mpool replay` (MAX_GEN_PAGES, MAX_GEN_LENGTH).
 */
import {Args, Flags} from '@oclif/core'
import {ShellCommand, wholeFlag} from '../../cli/base.js'
import {EXIT, ShellError, usageError} from '../../common/exit-status.js'
import {MPoolError} from '../../pool/index.js'
import {BTREE_QUERIES, type BtreeQueryChoice, type BtreeQueryKind, btreeTrace} from '../../workload/btree.js'
import {generateTrace, TRACE_KINDS, type TraceKind} from '../../workload/generators.js'
import {openSqliteDb} from '../../workload/sqlite-db.js'
import type {Trace} from '../../workload/trace.js'
import {fileError, writeTraceFile, writeTraceStream} from '../../workload/trace-files.js'

export const MAX_GEN_PAGES = 10_000_000
export const MAX_GEN_LENGTH = 50_000_000

/** The kinds of trace: the synthetic ones, and btree (the queries of a real SQLite database). */
export type GenKind = TraceKind | 'btree'
const GEN_KINDS: readonly GenKind[] = [...TRACE_KINDS, 'btree']

export interface TraceGenResult {
  kind: GenKind
  /** the pages drawn from: --pages, or for btree the database's pages */
  pages: number
  length: number
  seed: number
  /** the file written, or null for stdout */
  output: string | null
  /** btree: what was queried */
  database?: {file: string; table: string; index: string | null; query: BtreeQueryChoice; keys: 'uniform' | 'zipf'; queries: number}
}

/** parseMix -- `point=90,range=9,scan=1` as weights; a usage error naming the bad item. */
function parseMix(text: string): Partial<Record<BtreeQueryKind, number>> {
  const weights: Partial<Record<BtreeQueryKind, number>> = {}
  for (const item of text.split(',')) {
    const m = /^\s*(point|range|scan)\s*=\s*(\d+)\s*$/.exec(item)
    if (m === null) throw usageError(`--mix: ${JSON.stringify(item)} is not KIND=WEIGHT; write e.g. --mix point=90,range=9,scan=1`)
    weights[m[1] as BtreeQueryKind] = Number(m[2])
  }
  return weights
}

export default class TraceGen extends ShellCommand {
  static override args = {
    kind: Args.custom<GenKind>({
      description: `the kind of trace: ${GEN_KINDS.join(', ')}`,
      parse: async (input) => {
        if ((GEN_KINDS as readonly string[]).includes(input)) return input as GenKind
        throw usageError(`KIND must be one of ${GEN_KINDS.join(', ')}, not ${JSON.stringify(input)}`)
      },
    })({required: true}),
  }
  static override description =
    'seq scans pages 0..N-1 once (so --length is at most --pages); loop repeats that scan (LRU\'s worst case once the cache is smaller); zipf draws pages with ' +
    'P(rank r) ∝ 1/r; scan-mix sends 80% of accesses to a hot 10% of the pages and the rest to long sequential scans of ' +
    'the others. btree writes the pages real queries read in the SQLite database --file: point lookups by rowid (or, with ' +
    '--index, by an index key and then the table), range scans of --range rows, full table scans, or a mix of them by ' +
    'weight (--query point|range|scan|mix, --mix point=90,range=9,scan=1), each descending root to leaf and following ' +
    'overflow chains; keys drawn uniformly or by zipf (--keys). The same seed always gives the same trace. The trace goes ' +
    'to --output FILE, else to stdout; with --json stdout gets a summary instead, so --json needs --output.'
  static override examples = [
    '<%= config.bin %> trace gen scan-mix --pages 1000 --output scan.trace',
    '<%= config.bin %> trace gen zipf --pages 5000 --length 100000 --seed 7 | head',
    '<%= config.bin %> trace gen loop --pages 64 --output loop.trace --json',
    '<%= config.bin %> trace gen btree --file shop.db --table orders --index orders_by_user --query mix --mix point=99,scan=1 -o lookups.trace',
  ]
  static override flags = {
    file: Flags.string({description: 'btree: the SQLite database whose b-trees the queries read', helpValue: 'DB'}),
    index: Flags.string({description: 'btree: an index on --table; point and range queries go through it, then look up the table', helpValue: 'NAME'}),
    keys: Flags.string({description: 'btree: how keys are drawn from the rows', options: ['uniform', 'zipf'], default: 'uniform'}),
    length: wholeFlag({name: 'length', description: 'accesses in the trace (default: pages for seq, 10 × pages for the others)', min: 1, max: MAX_GEN_LENGTH}),
    mix: Flags.string({description: 'btree --query mix: the weight of each kind', helpValue: 'point=90,range=9,scan=1'}),
    output: Flags.string({char: 'o', description: 'write the trace to FILE instead of stdout (a new file; --force replaces one that exists)', helpValue: 'FILE'}),
    force: Flags.boolean({description: 'let --output replace a file that exists', default: false}),
    pages: wholeFlag({name: 'pages', description: 'distinct pages to draw from: page numbers 0..N-1', min: 1, max: MAX_GEN_PAGES, default: 1000}),
    queries: wholeFlag({name: 'queries', description: 'btree: queries made', min: 1, max: 10_000_000, default: 1000}),
    query: Flags.string({description: 'btree: the kind of query', options: [...BTREE_QUERIES], default: 'point'}),
    range: wholeFlag({name: 'range', description: 'btree: rows a range query reads', min: 1, max: 10_000_000, default: 20}),
    seed: wholeFlag({name: 'seed', description: 'seed of the generator: the same seed, the same trace', min: 0, max: 0xffff_ffff, default: 1, helpValue: 'S'}),
    table: Flags.string({description: 'btree: the table queried (default: the only table the database has)', helpValue: 'NAME'}),
  }
  static override summary = 'Write a page-access trace for `mpool replay`: synthetic (seq, loop, zipf, scan-mix) or the queries of a SQLite database (btree).'

  async run(): Promise<TraceGenResult> {
    const {args, flags} = await this.parse(TraceGen)
    if (this.jsonEnabled() && flags.output === undefined) throw usageError('--json prints a summary on stdout, so the trace needs --output FILE')
    if (args.kind === 'btree') return this.btree(flags)
    for (const name of ['file', 'table', 'index', 'mix'] as const) {
      if (flags[name] !== undefined) throw usageError(`--${name} is for btree traces (trace gen btree --file DB); ${args.kind} draws from --pages`)
    }
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
      writeTraceFile(flags.output, trace, comment, {force: flags.force === true})
      this.say(`wrote ${length} accesses to ${flags.output}: ${args.kind} over ${flags.pages} pages, seed ${flags.seed}`)
    }
    return result
  }

  /* btree -- the queries of a SQLite database as a trace (src/workload/btree.ts). */
  private async btree(flags: {file?: string; table?: string; index?: string; query: string; keys: string; queries: number; range: number; mix?: string; length?: number; seed: number; output?: string; force?: boolean}): Promise<TraceGenResult> {
    if (flags.file === undefined) throw usageError('btree reads a SQLite database: give it as --file DB')
    if (flags.length !== undefined) throw usageError('a btree trace is as long as its queries make it: give --queries N, not --length')
    const query = flags.query as BtreeQueryChoice
    if (flags.mix !== undefined && query !== 'mix') throw usageError('--mix gives the weights of --query mix')
    const mix = flags.mix === undefined ? undefined : parseMix(flags.mix)
    const keys = flags.keys as 'uniform' | 'zipf'
    let db
    try {
      db = openSqliteDb(flags.file)
    } catch (err) {
      if (err instanceof MPoolError) throw new ShellError(err.code, EXIT.file, err.message)
      throw fileError(err, 'read database', flags.file)
    }
    let made
    try {
      made = btreeTrace(db.file, {table: flags.table, index: flags.index, query, mix, keys, queries: flags.queries, range: flags.range, seed: flags.seed})
    } catch (err) {
      if (err instanceof MPoolError) throw err.code === 'EINVAL' ? usageError(err.message) : new ShellError(err.code, EXIT.file, err.message)
      throw err
    } finally {
      db.close()
    }
    const trace: Trace = made.trace
    const length = trace.pgnos.length
    if (length > MAX_GEN_LENGTH) throw usageError(`these queries make ${length} accesses, past the most a trace may have (${MAX_GEN_LENGTH}): ask for fewer --queries`)
    const index = made.index === null ? '' : ` --index ${made.index}`
    const comment = `mpool trace gen btree --file ${flags.file} --table ${made.table}${index} --query ${query}${mix === undefined ? '' : ` --mix ${flags.mix}`} --keys ${keys} --queries ${flags.queries} --range ${flags.range} --seed ${flags.seed}`
    const database = {file: flags.file, table: made.table, index: made.index, query, keys, queries: flags.queries}
    const result: TraceGenResult = {kind: 'btree', pages: db.file.npages, length, seed: flags.seed, output: flags.output ?? null, database}
    if (flags.output === undefined) {
      await writeTraceStream(process.stdout, trace, comment)
    } else {
      writeTraceFile(flags.output, trace, comment, {force: flags.force === true})
      this.say(`wrote ${length} accesses to ${flags.output}: ${flags.queries} ${query} queries on ${made.table}${made.index === null ? '' : ` through ${made.index}`} in ${flags.file}, seed ${flags.seed}`)
    }
    return result
  }
}
