/*
 * cli -- wall time of the shell's one-shot commands, run as a shell runs them (`npm run bench cli`).
 *
 * Each case is one `mpool ...` line through the real bin/run.js in a fresh node process,
 * against `node -e 0` (the least any node command can cost), measured in the same run. A run is
 * ROUNDS rounds (21; MPOOL_BENCH_CLI_ROUNDS to change it) after 2 untimed ones; each round runs
 * every case once, and each case's run is paired with a `node -e 0` run right beside it, which
 * goes first in every other round. A case's ratio is the median of its pairs' ratios: the two
 * runs of a pair see the same load, so a machine whose load drifts (other work, the other core)
 * moves both, where a ratio of two medians taken at different moments would move with it. The
 * untimed rounds also let each verb's first run write the code cache (src/cli/bundle-loader.ts)
 * that every later run of it uses, as in a shell loop. The verbs run against a pool server opened
 * here in a private runtime directory (MPOOL_RUNTIME_DIR) over a 64-page file; what a case needs
 * first (a pinned page for delete, an open pool for close) is done untimed before each run.
 *
 *   cli-open       `open F --key K` joining the open pool  target <= 1.5
 *   cli-new        `new` (the page stays pinned)           target <= 1.5
 *   cli-get        `get 1` (then put back, untimed)        target <= 1.5
 *   cli-put        `put 1 --text hi` of a pinned page      target <= 1.5
 *   cli-delete     `delete 2` of a pinned page             target <= 1.5
 *   cli-sync       `sync` (one dirty page)                 target <= 1.5
 *   cli-stats      `stats`                                 target <= 1.5
 *   cli-dump       `dump 1`                                target <= 1.5
 *   cli-map        `map` of a pool over a 64-page SQLite database sqlite3 made  target <= 1.5
 *   cli-ls         `ls`                                    target <= 1.5
 *   cli-close      `close` (the pool reopened, untimed)    target <= 1.5
 *   dump-file      `dump 0 --file F`, no pool              target <= 1.5
 *   cli-help       `get --help` into a pipe (seeded by the build)  target <= 2
 *   cli-help-wide  `get --help` at OCLIF_COLUMNS=120, as a user gets it on the second and
 *                  later runs at that width: the first untimed round's run rendered it with
 *                  oclif and saved it in the help cache (src/cli/help-cache.ts)  target <= 2
 *   cli-help-wide-first  the same on its first run at that width: the cache file is removed
 *                  before each run, so oclif renders it (and saves it); reported, no target
 *
 * Each case also gives a `-cpu` row: the same runs' CPU time (user + system) of the timed process
 * itself, reported by a preload (bench/child-cpu.cjs) that `node -e 0` runs too. On a machine
 * whose cores are busy with other work the wall time mostly measures the wait for a core; the CPU
 * time is what the command itself costs.
 *
 * The commands run from dist/ (npm run build first); files and pools are removed here.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {type BenchRow, log, makePageFile, now, pairRow} from './lib.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'run.js')

/** The ratio a verb may not exceed against `node -e 0`. */
export const VERB_TARGET = 1.5
/** The ratio help may not exceed against `node -e 0`. */
export const HELP_TARGET = 2

/** One CLI case: the words after `mpool`, what to do untimed before and after each run. */
interface CliCase {
  name: string
  args: (file: string) => string[]
  before?: string[][]
  after?: string[][]
  /** more environment for the timed run */
  env?: Record<string, string>
  /** done untimed before each run, beside `before` */
  prepare?: () => void
  /** none: a row reported for its figure only */
  target?: number
}

const CASES: CliCase[] = [
  {name: 'cli-open', args: (file) => ['open', file, '--key', 'bench-cli'], target: VERB_TARGET},
  {name: 'cli-new', args: () => ['new'], target: VERB_TARGET},
  {name: 'cli-get', args: () => ['get', '1'], after: [['put', '1']], target: VERB_TARGET},
  {name: 'cli-put', args: () => ['put', '1', '--text', 'hi'], before: [['get', '1']], target: VERB_TARGET},
  {name: 'cli-delete', args: () => ['delete', '2'], before: [['get', '2']], target: VERB_TARGET},
  {name: 'cli-sync', args: () => ['sync'], before: [['get', '3'], ['put', '3', '--dirty']], target: VERB_TARGET},
  {name: 'cli-stats', args: () => ['stats'], target: VERB_TARGET},
  {name: 'cli-dump', args: () => ['dump', '1'], target: VERB_TARGET},
  {name: 'cli-map', args: () => ['map', '--key', 'bench-cli-map'], target: VERB_TARGET},
  {name: 'cli-ls', args: () => ['ls'], target: VERB_TARGET},
  {name: 'cli-close', args: () => ['close'], after: [['open', '%FILE%', '--key', 'bench-cli']], target: VERB_TARGET},
  {name: 'dump-file', args: (file) => ['dump', '0', '--file', file, '--pagesize', '4096'], target: VERB_TARGET},
  {name: 'cli-help', args: () => ['get', '--help'], target: HELP_TARGET},
  {name: 'cli-help-wide', args: () => ['get', '--help'], env: {OCLIF_COLUMNS: '120'}, target: HELP_TARGET},
  {name: 'cli-help-wide-first', args: () => ['get', '--help'], env: {OCLIF_COLUMNS: '121'}, prepare: () => forgetHelp('get', 121)},
]

/** forgetHelp -- remove the help cache of `command` at `width` (help-cache.ts names its files help.COMMAND.WIDTH.*). */
function forgetHelp(command: string, width: number): void {
  const dir = path.join(ROOT, 'dist', 'cli')
  for (const name of fs.readdirSync(dir)) if (name.startsWith(`help.${command}.${width}.`)) fs.rmSync(path.join(dir, name))
}

/** The names of this file's cases, for the bench's filter. */
export const CLI_CASES = CASES.flatMap((c) => [c.name, `${c.name}-cpu`])

function runNode(args: string[], env: NodeJS.ProcessEnv, ok = true): void {
  const r = spawnSync(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe'], env})
  if (ok && r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`)
}

const PRELOAD = path.join(ROOT, 'bench', 'child-cpu.cjs')

/** timed -- run node ARGS once under the CPU preload: its wall time and its own CPU time, in ns. */
function timed(args: string[], env: NodeJS.ProcessEnv, cpuFile: string): {wall: number; cpu: number} {
  fs.writeFileSync(cpuFile, '')
  const start = now()
  runNode(['--require', PRELOAD, ...args], {...env, MPOOL_BENCH_CPU: cpuFile})
  const wall = now() - start
  const lines = fs.readFileSync(cpuFile, 'utf8').trim().split('\n')
  return {wall, cpu: Number(lines[0]) * 1000}
}

/** The rounds of a run: MPOOL_BENCH_CLI_ROUNDS, else 21. */
function rounds(): number {
  const n = Number(process.env.MPOOL_BENCH_CLI_ROUNDS ?? 21)
  if (!Number.isInteger(n) || n < 1) throw new Error(`MPOOL_BENCH_CLI_ROUNDS must be a whole number of rounds, not ${process.env.MPOOL_BENCH_CLI_ROUNDS}`)
  return n
}

/** What one case collected: each pair's times, ours and the baseline's beside it. */
interface Pairs {
  wall: Array<[number, number]>
  cpu: Array<[number, number]>
}

/** benchCli -- every CLI case (or those named in `only`), each a row against `node -e 0` run beside it. */
export async function benchCli(only?: ReadonlySet<string>): Promise<BenchRow[]> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'light.bundle.cjs'))) throw new Error('dist/ is missing: run npm run build first')
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-bench-cli-'))
  const file = makePageFile(64, 4096, 'cli')
  const env = {...process.env, NO_COLOR: '1', MPOOL_RUNTIME_DIR: runtime, MPOOL_KEY: 'bench-cli'}
  const mpool = (words: string[], ok = true) => runNode([BIN, ...words.map((w) => (w === '%FILE%' ? file.path : w))], env, ok)
  const cpuFile = path.join(runtime, 'cpu.txt')
  const cases = CASES.filter((c) => only === undefined || only.has(c.name) || only.has(`${c.name}-cpu`))
  const collected = new Map<CliCase, Pairs>(cases.map((c) => [c, {wall: [], cpu: []}]))
  const database = path.join(runtime, 'map.db')
  try {
    mpool(['open', file.path, '--key', 'bench-cli'])
    if (cases.some((c) => c.name === 'cli-map')) {
      execFileSync('sqlite3', [database], {input: "PRAGMA page_size=4096; CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT); CREATE INDEX t_body ON t(body); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000) INSERT INTO t SELECT i, printf('%0100d', i) FROM s;"})
      mpool(['open', database, '--key', 'bench-cli-map'])
    }
    const total = rounds()
    for (let round = -2; round < total; round++) {
      log(`cli: round ${round < 0 ? 'untimed' : round + 1} of ${total}`)
      for (const c of cases) {
        c.before?.forEach((w) => mpool(w))
        c.prepare?.()
        const runOurs = () => timed([BIN, ...c.args(file.path)], {...env, ...c.env}, cpuFile)
        const runBare = () => timed(['-e', '0'], env, cpuFile)
        let ours: {wall: number; cpu: number}
        let bare: {wall: number; cpu: number}
        if (round % 2 === 0) {
          ours = runOurs()
          bare = runBare()
        } else {
          bare = runBare()
          ours = runOurs()
        }
        c.after?.forEach((w) => mpool(w, false))
        if (round < 0) continue
        const pairs = collected.get(c)!
        pairs.wall.push([ours.wall, bare.wall])
        pairs.cpu.push([ours.cpu, bare.cpu])
      }
    }
  } finally {
    mpool(['close', '--key', 'bench-cli'], false)
    mpool(['close', '--key', 'bench-cli-map'], false)
    file.remove()
    fs.rmSync(runtime, {recursive: true, force: true})
  }
  return cases.flatMap((c) => {
    const pairs = collected.get(c)!
    return [pairRow(c.name, 'ms', pairs.wall, c.target), pairRow(`${c.name}-cpu`, 'ms cpu', pairs.cpu, c.target)]
  })
}

// Run alone: node --import tsx bench/cli.ts
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await benchCli()
  for (const r of rows) process.stdout.write(`${r.case}: ${r.ours} ${r.unit} vs ${r.baseline} ${r.unit} (node -e 0), ratio ${r.ratio} (target <= ${r.target})\n`)
}
