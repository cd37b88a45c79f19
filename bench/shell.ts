/*
 * shell -- benchmarks of the shared pool, through the pool server (`npm run bench shell`).
 *
 *   server-getput  one client, get + put pairs one after another (each awaited, as a script
 *                  does), through a real pool server on a real Unix socket: ops/s, counting
 *                  the get and the put as one op each. The baseline is the target, 20,000
 *                  ops/s, so here ratio = ours / baseline and ratio >= 1 meets the target
 *                  (a throughput: higher is better, unlike the time-based rows elsewhere;
 *                  no `target` is set on the row for that reason).
 *
 *   repl-script-quiet, repl-script-json
 *                  get+put pairs a second through `mpool repl FILE --quiet < script` (and
 *                  --json, which prints each get's page as JSON hex) for 20,000 pairs, start-up
 *                  included; median of 3. Baseline: the 5,000 pairs/s target (ratio >= 1 meets it).
 *   cli-*, dump-file, cli-help
 *                  one row per verb: bench/cli.ts.
 *
 * Each case is one entry in GROUP, with its own function.
 * The server runs in a private runtime directory (MPOOL_RUNTIME_DIR) that is removed after.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {connectPool, openPool} from '../src/session/index.js'
import {benchCli, CLI_CASES} from './cli.js'
import {type BenchRow, log, makePageFile, median, now, row} from './lib.js'

/** The throughput the pool server must reach for scripted get+put pairs. */
export const SERVER_GETPUT_TARGET = 20_000

const PAGES = 256
const PAGESIZE = 4096
/** ops per timed repetition (half gets, half puts) */
const OPS = 20_000
const WARMUP_OPS = 10_000
const REPETITIONS = 5

/** withServer -- run `fn` with a pool server over a fresh page file, in a private runtime directory; stops and removes it all after. */
async function withServer<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.MPOOL_RUNTIME_DIR
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-bench-rt-'))
  const file = makePageFile(PAGES, PAGESIZE, key)
  process.env.MPOOL_RUNTIME_DIR = runtime
  try {
    await openPool({key, file: file.path, pagesize: PAGESIZE, maxcache: PAGES})
    try {
      return await fn()
    } finally {
      await (await connectPool({key})).close()
    }
  } finally {
    if (saved === undefined) delete process.env.MPOOL_RUNTIME_DIR
    else process.env.MPOOL_RUNTIME_DIR = saved
    file.remove()
    fs.rmSync(runtime, {recursive: true, force: true})
  }
}

/** serverGetPut -- ops/s of awaited get+put pairs from one client. */
async function serverGetPut(): Promise<BenchRow> {
  const opsPerSecond = await withServer('bench-getput', async () => {
    const pool = await connectPool({key: 'bench-getput'})
    const pairs = async (ops: number) => {
      for (let i = 0; i < ops / 2; i++) {
        const pgno = i % PAGES
        await pool.get(pgno)
        await pool.put(pgno)
      }
    }
    try {
      await pairs(WARMUP_OPS)
      const rates: number[] = []
      for (let r = 0; r < REPETITIONS; r++) {
        const start = now()
        await pairs(OPS)
        rates.push(OPS / ((now() - start) / 1e9))
      }
      return median(rates)
    } finally {
      await pool.detach()
    }
  })
  // ratio = ours / baseline: >= 1 meets the 20,000 ops/s target.
  return row('server-getput', 'ops/s', opsPerSecond, SERVER_GETPUT_TARGET)
}

/** The get+put pairs a second a piped REPL script must reach. */
export const REPL_SCRIPT_TARGET = 5_000

/** replScript -- pairs/s of `mpool repl FILE --quiet|--json < script` for a script of 20,000 get+put pairs, start-up included. */
export async function replScript(): Promise<BenchRow[]> {
  const {spawnSync} = await import('node:child_process')
  const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'run.js')
  const pairs = 20_000
  const file = makePageFile(16, PAGESIZE, 'repl-script')
  const script = path.join(os.tmpdir(), `mpool-bench-script-${process.pid}.txt`)
  fs.writeFileSync(script, Array.from({length: pairs}, (_, i) => `get ${i % 16}\nput ${i % 16}\n`).join(''))
  try {
    const rows: BenchRow[] = []
    for (const mode of ['quiet', 'json'] as const) {
      const rates: number[] = []
      for (let r = 0; r < 3; r++) {
        const input = fs.openSync(script, 'r')
        const start = now()
        const run = spawnSync(process.execPath, [bin, 'repl', file.path, `--${mode}`], {stdio: [input, 'ignore', 'pipe'], env: {...process.env, NO_COLOR: '1'}, maxBuffer: 1 << 26})
        const seconds = (now() - start) / 1e9
        fs.closeSync(input)
        if (run.status !== 0) throw new Error(`mpool repl --${mode} exited ${run.status}: ${run.stderr.toString().trim()}`)
        rates.push(pairs / seconds)
      }
      // ratio = ours / baseline: >= 1 meets the 5,000 pairs/s target.
      rows.push({...row(`repl-script-${mode}`, 'pairs/s', median(rates), REPL_SCRIPT_TARGET), better: 'higher', target: 1})
    }
    return rows
  } finally {
    fs.rmSync(script, {force: true})
    file.remove()
  }
}

/** The cases of this group, in the order they run: each gives one row or several. */
const GROUP: Array<{name: string; run: () => Promise<BenchRow | BenchRow[]>}> = [
  {name: 'server-getput', run: serverGetPut},
  {name: 'repl-script', run: replScript},
  {name: 'cli', run: () => benchCli()}, // bench/cli.ts: one row per verb, cli-*, dump-file, cli-help
]

/** The names of this group's rows, for the bench's filter. */
export const CASES: readonly string[] = ['server-getput', 'repl-script-quiet', 'repl-script-json', ...CLI_CASES]

/** benchShell -- every case of the shell group. */
export async function benchShell(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const c of GROUP) {
    log(`shell: ${c.name}`)
    const got = await c.run()
    rows.push(...(Array.isArray(got) ? got : [got]))
  }
  return rows
}
