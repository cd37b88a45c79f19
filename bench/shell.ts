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
 * Each case is one entry in CASES: add one (e.g. a CLI wall-time case) with its own function.
 * The server runs in a private runtime directory (MPOOL_RUNTIME_DIR) that is removed after.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
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

/** The cases of this group, in the order they run: each gives one row or several. */
const GROUP: Array<{name: string; run: () => Promise<BenchRow | BenchRow[]>}> = [
  {name: 'server-getput', run: serverGetPut},
  {name: 'cli', run: () => benchCli()}, // bench/cli.ts: one row per verb, cli-*, dump-file, cli-help
]

/** The names of this group's rows, for the bench's filter. */
export const CASES: readonly string[] = ['server-getput', ...CLI_CASES]

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
