/*
 * run -- `npm run -s bench [-- --json] [CASE|GROUP ...]`: every benchmark, as a table or as JSON.
 *
 * Groups, in the order they run: `engine` (bench/engine.ts), `policies` (bench/policies.ts,
 * benchPolicies()), `shell` (bench/shell.ts, benchShell()) and `formats` (bench/formats.ts,
 * benchFormats()). All but the engine are imported only if
 * their file exists; a missing one is skipped with a note on stderr. The engine runs first, so
 * its hot path is timed before other replacement policies have run in the same process.
 *
 * Filter words: a group's name selects the whole group, any other word the case of that exact
 * name. A group module may export `CASES` (its case names) so that its cases are known before
 * it runs; one that does not is run whenever a word names no known case, and its rows are
 * filtered. A word that no case answers to is an error. With no word, everything runs.
 *
 * Output: stdout carries the result and nothing else (a table for people, or with --json one
 * array of {case, unit, ours, baseline, ratio}); progress and notes go to stderr. (npm prints
 * its own banner on stdout: `npm run -s` silences it.) Exit status: 0 whether or not targets
 * are met (a benchmark is a report), 2 for a bad command line or an unknown case, 1 if a group
 * failed to run.
 */
import fs from 'node:fs'
import {parseArgs} from 'node:util'
import {benchEngine, ENGINE_CASES} from './engine.js'
import {type BenchRow, formatTable, log} from './lib.js'

const GROUPS = ['engine', 'policies', 'shell', 'formats'] as const
type Group = (typeof GROUPS)[number]
type OtherGroup = Exclude<Group, 'engine'>

/** The other groups: the file and the function it exports. */
const OTHERS: Record<OtherGroup, {file: string; entry: string}> = {
  policies: {file: 'policies.ts', entry: 'benchPolicies'},
  shell: {file: 'shell.ts', entry: 'benchShell'},
  formats: {file: 'formats.ts', entry: 'benchFormats'},
}

/** A group ready to run: its bench function, and its case names if it says them. */
interface Loaded {
  run: () => Promise<BenchRow[]>
  cases: readonly string[] | null
}

const USAGE = 'usage: npm run -s bench [-- --json] [CASE|GROUP ...]'

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`)
  process.exit(code)
}

function isBenchRow(value: unknown): value is BenchRow {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Record<string, unknown>
  return typeof r.case === 'string' && typeof r.unit === 'string' && typeof r.ours === 'number' && typeof r.baseline === 'number' && typeof r.ratio === 'number'
}

/** load -- import another group's module; null (noted on stderr) if its file is not there yet. */
async function load(group: OtherGroup): Promise<Loaded | null> {
  const {file, entry} = OTHERS[group]
  const url = new URL(`./${file}`, import.meta.url)
  if (!fs.existsSync(url)) {
    log(`${group}: skipped, bench/${file} does not exist yet`)
    return null
  }
  const module = (await import(url.href)) as Record<string, unknown>
  const bench = module[entry]
  if (typeof bench !== 'function') throw new Error(`bench/${file} does not export a function ${entry}()`)
  const cases = Array.isArray(module.CASES) && module.CASES.every((c) => typeof c === 'string') ? (module.CASES as string[]) : null
  return {
    cases,
    run: async () => {
      const rows: unknown = await (bench as () => unknown)()
      if (!Array.isArray(rows) || !rows.every(isBenchRow)) throw new Error(`${entry}() must return an array of {case, unit, ours, baseline, ratio}`)
      return rows
    },
  }
}

async function main(): Promise<void> {
  let parsed
  try {
    parsed = parseArgs({options: {json: {type: 'boolean', default: false}, help: {type: 'boolean', short: 'h'}}, allowPositionals: true})
  } catch (err) {
    fail(`${(err as Error).message}; ${USAGE}`, 2)
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\ngroups: ${GROUPS.join(', ')}\nengine cases: ${ENGINE_CASES.join(', ')}\n`)
    return
  }
  const words = parsed.positionals
  const isGroup = (w: string): boolean => (GROUPS as readonly string[]).includes(w)
  const engineCases: readonly string[] = ENGINE_CASES

  const others = new Map<OtherGroup, Loaded>()
  for (const group of Object.keys(OTHERS) as OtherGroup[]) {
    try {
      const loaded = await load(group)
      if (loaded !== null) others.set(group, loaded)
    } catch (err) {
      fail(`${group}: cannot load: ${(err as Error).message}`, 1)
    }
  }
  const known = new Set([...engineCases, ...[...others.values()].flatMap((g) => g.cases ?? [])])
  const unknown = words.filter((w) => !isGroup(w) && !known.has(w))
  const someoneMayKnow = [...others.values()].some((g) => g.cases === null)
  if (unknown.length > 0 && !someoneMayKnow) {
    fail(`no case named ${unknown.join(', ')}; cases are ${[...known].join(', ')}; groups are ${GROUPS.join(', ')}`, 2)
  }

  const everything = words.length === 0
  const rows: BenchRow[] = []
  let failed = false
  const engineOnly = everything || words.includes('engine') ? [] : words.filter((w) => engineCases.includes(w))
  if (everything || words.includes('engine') || engineOnly.length > 0) {
    try {
      rows.push(...(await benchEngine(engineOnly)))
    } catch (err) {
      failed = true
      log(`engine: failed: ${(err as Error).stack ?? String(err)}`)
    }
  }
  for (const [group, loaded] of others) {
    const whole = everything || words.includes(group)
    const named = loaded.cases === null ? unknown.length > 0 : words.some((w) => loaded.cases!.includes(w))
    if (!whole && !named) continue
    log(`${group}: running ${OTHERS[group].entry}()`)
    try {
      const groupRows = await loaded.run()
      rows.push(...groupRows.filter((r) => whole || words.includes(r.case)))
    } catch (err) {
      failed = true
      log(`${group}: failed: ${(err as Error).stack ?? String(err)}`)
    }
  }
  const unmatched = unknown.filter((w) => !rows.some((r) => r.case === w))
  if (unmatched.length > 0) fail(`no case named ${unmatched.join(', ')}; run with no filter to see every case`, 2)

  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify(rows.map((r) => ({case: r.case, unit: r.unit, ours: r.ours, baseline: r.baseline, ratio: r.ratio})))}\n`)
  } else {
    process.stdout.write(
      'Each case: ours and a baseline doing the same work, in this process; the median of alternating runs\n' +
        '(engine cases in CPU time, sync on the wall clock). ratio = ours / baseline: lower is better and a\n' +
        'target is met when ratio <= target, except on rows marked >= (a throughput: higher is better).\n\n' +
        `${formatTable(rows)}\n`,
    )
  }
  if (failed) process.exitCode = 1
}

await main()
