/*
 * cli -- wall time of the shell's one-shot commands, run as a shell runs them (`npm run bench cli`).
 *
 * Each case is one `mpool ...` line through the real bin/run.js in a fresh node process,
 * against `node -e 0` (the least any node command can cost), measured in the same run: the
 * median wall time of 11 runs each, alternating, after 2 untimed runs of each. The verbs run
 * against a pool server opened here in a private runtime directory (MPOOL_RUNTIME_DIR) over a
 * 64-page file; what a case needs first (a pinned page for delete, an open pool for close) is
 * done untimed before each run.
 *
 *   cli-open    `open F --key K` joining the open pool target <= 1.5
 *   cli-new     `new` (the page stays pinned)          target <= 1.5
 *   cli-get     `get 1` (then put back, untimed)       target <= 1.5
 *   cli-put     `put 1 --text hi` of a pinned page     target <= 1.5
 *   cli-delete  `delete 2` of a pinned page            target <= 1.5
 *   cli-sync    `sync` (one dirty page)                target <= 1.5
 *   cli-stats   `stats`                                target <= 1.5
 *   cli-dump    `dump 1`                               target <= 1.5
 *   cli-ls      `ls`                                   target <= 1.5
 *   cli-close   `close` (the pool reopened, untimed)   target <= 1.5
 *   dump-file   `dump 0 --file F`, no pool              target <= 1.5
 *   cli-help    `get --help` (oclif and its help plugin) target <= 2
 *
 * Each case also gives a `-cpu` row: the same runs' CPU time (user + system) of the timed process
 * itself, reported by a preload (bench/child-cpu.cjs) that `node -e 0` runs too. On a machine
 * whose cores are busy with other work the wall time mostly measures the wait for a core; the CPU
 * time is what the command itself costs.
 *
 * The commands run from dist/ (npm run build first); files and pools are removed here.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {type BenchRow, log, makePageFile, median, now, row} from './lib.js'

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
  target: number
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
  {name: 'cli-ls', args: () => ['ls'], target: VERB_TARGET},
  {name: 'cli-close', args: () => ['close'], after: [['open', '%FILE%', '--key', 'bench-cli']], target: VERB_TARGET},
  {name: 'dump-file', args: (file) => ['dump', '0', '--file', file, '--pagesize', '4096'], target: VERB_TARGET},
  {name: 'cli-help', args: () => ['get', '--help'], target: HELP_TARGET},
]

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

/** benchCli -- every CLI case (or those named in `only`), each a row against `node -e 0` of the same run. */
export async function benchCli(only?: ReadonlySet<string>): Promise<BenchRow[]> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'light.bundle.js'))) throw new Error('dist/ is missing: run npm run build first')
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-bench-cli-'))
  const file = makePageFile(64, 4096, 'cli')
  const env = {...process.env, NO_COLOR: '1', MPOOL_RUNTIME_DIR: runtime, MPOOL_KEY: 'bench-cli'}
  const mpool = (words: string[], ok = true) => runNode([BIN, ...words.map((w) => (w === '%FILE%' ? file.path : w))], env, ok)
  const rows: BenchRow[] = []
  const cpuFile = path.join(runtime, 'cpu.txt')
  try {
    mpool(['open', file.path, '--key', 'bench-cli'])
    for (const c of CASES) {
      if (only !== undefined && !only.has(c.name)) continue
      log(`cli: ${c.name}`)
      const words = c.args(file.path)
      const ours = {wall: [] as number[], cpu: [] as number[]}
      const bare = {wall: [] as number[], cpu: [] as number[]}
      const once = (side: typeof ours, args: string[], prepare: boolean) => {
        if (prepare) c.before?.forEach((w) => mpool(w))
        const t = timed(args, env, cpuFile)
        if (prepare) c.after?.forEach((w) => mpool(w, false))
        side.wall.push(t.wall)
        side.cpu.push(t.cpu)
      }
      // 2 untimed runs of each, then 11 of each, alternating which goes first.
      for (let i = 0; i < 13; i++) {
        const sides: Array<() => void> = [() => once(ours, [BIN, ...words], true), () => once(bare, ['-e', '0'], false)]
        if (i % 2 === 1) sides.reverse()
        sides.forEach((run) => run())
        if (i < 2) for (const side of [ours, bare]) (side.wall.length = 0), (side.cpu.length = 0)
      }
      rows.push(row(c.name, 'ms', median(ours.wall) / 1e6, median(bare.wall) / 1e6, c.target))
      rows.push(row(`${c.name}-cpu`, 'ms cpu', median(ours.cpu) / 1e6, median(bare.cpu) / 1e6, c.target))
    }
  } finally {
    mpool(['close', '--key', 'bench-cli'], false)
    file.remove()
    fs.rmSync(runtime, {recursive: true, force: true})
  }
  return rows
}

// Run alone: node --import tsx bench/cli.ts
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await benchCli()
  for (const r of rows) process.stdout.write(`${r.case}: ${r.ours} ${r.unit} vs ${r.baseline} ${r.unit} (node -e 0), ratio ${r.ratio} (target <= ${r.target})\n`)
}
