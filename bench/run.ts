/*
 * run -- `npm run bench [-- --json] [CASE|GROUP ...]`: every benchmark, as a table or as JSON.
 *
 * Groups, in the order they run: `engine` (bench/engine.ts), `policies` (bench/policies.ts,
 * benchPolicies()) and `shell` (bench/shell.ts, benchShell()). The last two are loaded only if
 * their file exists; a missing one is skipped with a note on stderr. The engine runs first, so
 * its hot path is timed before other policies have been loaded into the same process.
 *
 * Filter words: a group's name selects the whole group, any other word selects the case of that
 * exact name. A word no case answers to is an error, after the run. With no word, everything runs.
 *
 * Output: stdout carries the result and nothing else (a table for people, or with --json one
 * array of {case, unit, ours, baseline, ratio}); progress and notes go to stderr. Exit status
 * is 0 whether or not targets are met (a benchmark is a report); 2 for a bad command line,
 * 1 if a group failed to run.
 */
import fs from 'node:fs'
import {parseArgs} from 'node:util'
import {benchEngine, ENGINE_CASES} from './engine.js'
import {type BenchRow, formatTable, log} from './lib.js'

const GROUPS = ['engine', 'policies', 'shell'] as const
type Group = (typeof GROUPS)[number]

/** The other engineers' groups: file and the function it exports. */
const OPTIONAL: Record<Exclude<Group, 'engine'>, {file: string; entry: string}> = {
  policies: {file: './policies.ts', entry: 'benchPolicies'},
  shell: {file: './shell.ts', entry: 'benchShell'},
}

const USAGE = 'usage: npm run bench [-- --json] [CASE|GROUP ...]'

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`)
  process.exit(code)
}

function isBenchRow(value: unknown): value is BenchRow {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Record<string, unknown>
  return typeof r.case === 'string' && typeof r.unit === 'string' && typeof r.ours === 'number' && typeof r.baseline === 'number' && typeof r.ratio === 'number'
}

/** loadGroup -- run an optional group's bench function; null (noted on stderr) if its file is not there yet. */
async function loadGroup(group: Exclude<Group, 'engine'>): Promise<BenchRow[] | null> {
  const {file, entry} = OPTIONAL[group]
  const url = new URL(file, import.meta.url)
  if (!fs.existsSync(url)) {
    log(`${group}: skipped, bench/${file.slice(2)} does not exist yet`)
    return null
  }
  const module = (await import(url.href)) as Record<string, unknown>
  const bench = module[entry]
  if (typeof bench !== 'function') throw new Error(`bench/${file.slice(2)} does not export a function ${entry}()`)
  log(`${group}: running ${entry}()`)
  const rows: unknown = await (bench as () => unknown)()
  if (!Array.isArray(rows) || !rows.every(isBenchRow)) {
    throw new Error(`${entry}() must return an array of {case, unit, ours, baseline, ratio}`)
  }
  return rows
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
  const engineCases: readonly string[] = ENGINE_CASES
  const groupWanted = (group: Group): boolean => words.length === 0 || words.includes(group)
  // A word that is neither a group nor an engine case may name a case of the optional groups.
  const foreignWords = words.filter((w) => !(GROUPS as readonly string[]).includes(w) && !engineCases.includes(w))
  const caseWanted = (group: Group, name: string): boolean => groupWanted(group) || words.includes(name)

  const rows: BenchRow[] = []
  let failed = false
  const engineOnly = groupWanted('engine') ? [] : words.filter((w) => engineCases.includes(w))
  if (groupWanted('engine') || engineOnly.length > 0) {
    try {
      rows.push(...(await benchEngine(engineOnly)))
    } catch (err) {
      failed = true
      log(`engine: failed: ${(err as Error).stack ?? String(err)}`)
    }
  }
  for (const group of ['policies', 'shell'] as const) {
    if (!groupWanted(group) && foreignWords.length === 0) continue
    try {
      const groupRows = await loadGroup(group)
      if (groupRows !== null) rows.push(...groupRows.filter((r) => caseWanted(group, r.case)))
    } catch (err) {
      failed = true
      log(`${group}: failed: ${(err as Error).message}`)
    }
  }
  const unmatched = words.filter((w) => !(GROUPS as readonly string[]).includes(w) && !rows.some((r) => r.case === w))
  if (unmatched.length > 0) {
    log(`no case named ${unmatched.join(', ')}; engine cases are ${ENGINE_CASES.join(', ')} (run with no filter to see every case)`)
    failed = true
  }

  if (parsed.values.json) {
    process.stdout.write(`${JSON.stringify(rows.map((r) => ({case: r.case, unit: r.unit, ours: r.ours, baseline: r.baseline, ratio: r.ratio})))}\n`)
  } else {
    process.stdout.write(
      `Each case: ours and a baseline doing the same work, in this process; the median of alternating runs.\n` +
        `ratio = ours / baseline: lower is better; a target is met when ratio <= target.\n\n` +
        `${formatTable(rows)}\n`,
    )
  }
  if (failed) process.exitCode = 1
}

await main()
