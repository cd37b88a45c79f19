/*
 * shell -- benchmarks of the shared pool, through the pool server (`npm run bench shell`).
 *
 *   server-getput  one client, get + put pairs one after another (each awaited, as a script
 *                  does), through a real pool server on a real Unix socket: microseconds per
 *                  op (a get or a put). The baseline, measured in the same run and alternating
 *                  with it: the same request/reply sequence through a bare node:net echo in a
 *                  child process (bench/echo-child.ts), newline JSON of the same sizes (a get
 *                  answered with a base64 page), the client a bare socket that parses each
 *                  reply and decodes the page. ratio = ours / echo: lower is better.
 *
 *   rss-server     the pool server's peak RSS (VmHWM) with 65536 × 4 KiB pages got and put
 *                  through it, less its idle peak, against the 256 MiB arena (target 1.05)
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
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {connectPool, openPool} from '../src/session/index.js'
import {benchCli, CLI_CASES} from './cli.js'
import {type BenchRow, log, makePageFile, median, now, row} from './lib.js'

/** The throughput the pool server was first held to for scripted get+put pairs (logged for the record). */
export const SERVER_GETPUT_TARGET = 20_000
/** server-getput's target: time per op at most this many times the bare echo's (1.23 measured when the echo came in) */
const SERVER_GETPUT_RATIO = 1.5

const PAGES = 256
const PAGESIZE = 4096
/** ops per timed repetition (half gets, half puts) */
const OPS = 20_000
const WARMUP_OPS = 10_000
const REPETITIONS = 5

/** withServer -- run `fn` with a pool server over a fresh page file, in a private runtime directory; stops and removes it all after. */
async function withServer<T>(key: string, fn: () => Promise<T>, pages = PAGES): Promise<T> {
  const saved = process.env.MPOOL_RUNTIME_DIR
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-bench-rt-'))
  const file = makePageFile(pages, PAGESIZE, key)
  process.env.MPOOL_RUNTIME_DIR = runtime
  try {
    await openPool({key, file: file.path, pagesize: PAGESIZE, maxcache: pages})
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

/** echoClient -- the baseline's client: a bare node:net socket that sends the same get and put lines and awaits each reply (parsed, the page decoded). */
async function echoClient(socketPath: string): Promise<{pairs: (ops: number) => Promise<void>; close: () => void}> {
  const socket = net.createConnection(socketPath)
  await once(socket, 'connect')
  socket.setEncoding('utf8')
  let pending = ''
  let waiting: ((line: string) => void) | null = null
  socket.on('data', (chunk: string) => {
    pending += chunk
    const nl = pending.indexOf('\n')
    if (nl < 0 || waiting === null) return
    const line = pending.slice(0, nl)
    pending = pending.slice(nl + 1)
    const resolve = waiting
    waiting = null
    resolve(line)
  })
  let id = 0
  const send = (op: string, pgno: number): Promise<unknown> =>
    new Promise((resolve) => {
      waiting = (line) => resolve((JSON.parse(line) as {result: unknown}).result)
      socket.write(`${JSON.stringify({id: ++id, op, args: {pgno}})}\n`)
    })
  return {
    pairs: async (ops) => {
      for (let i = 0; i < ops / 2; i++) {
        const pgno = i % PAGES
        const page = Buffer.from((await send('get', pgno)) as string, 'base64')
        if (page.length !== PAGESIZE) throw new Error('echo: a get reply of the wrong size')
        await send('put', pgno)
      }
    },
    close: () => socket.end(),
  }
}

/** withEcho -- run `fn` with the echo baseline (bench/echo-child.ts) listening on a socket in `dir`; ends the child after. */
async function withEcho<T>(dir: string, fn: (socketPath: string) => Promise<T>): Promise<T> {
  const socketPath = path.join(dir, 'echo.sock')
  const script = fileURLToPath(new URL('./echo-child.ts', import.meta.url))
  const child = spawn(process.execPath, [...process.execArgv, script, socketPath, String(PAGESIZE)], {stdio: ['pipe', 'pipe', 'inherit']})
  try {
    const [data] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => [Buffer.from('exited')])])) as [Buffer]
    if (!String(data).startsWith('ready')) throw new Error('the echo child did not start')
    return await fn(socketPath)
  } finally {
    const exited = child.exitCode === null ? once(child, 'exit') : Promise.resolve()
    child.stdin.end()
    await exited
  }
}

/*
 * serverGetPut -- awaited get+put pairs from one client through the pool server, against the
 * same request/reply sequence through the bare echo: time per op (a get or a put), the two
 * sides alternating repetition by repetition, the median of each.
 */
async function serverGetPut(): Promise<BenchRow> {
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-bench-echo-'))
  try {
    const t = await withServer('bench-getput', () =>
      withEcho(runtime, async (socketPath) => {
        const pool = await connectPool({key: 'bench-getput'})
        const echo = await echoClient(socketPath)
        const ours = async (ops: number): Promise<void> => {
          for (let i = 0; i < ops / 2; i++) {
            const pgno = i % PAGES
            await pool.get(pgno)
            await pool.put(pgno)
          }
        }
        const timed = async (fn: (ops: number) => Promise<void>): Promise<number> => {
          const start = now()
          await fn(OPS)
          return (now() - start) / OPS
        }
        try {
          await ours(WARMUP_OPS)
          await echo.pairs(WARMUP_OPS)
          const a: number[] = []
          const b: number[] = []
          for (let r = 0; r < REPETITIONS; r++) {
            if (r % 2 === 0) {
              a.push(await timed(ours))
              b.push(await timed(echo.pairs))
            } else {
              b.push(await timed(echo.pairs))
              a.push(await timed(ours))
            }
          }
          return {ours: median(a), baseline: median(b)}
        } finally {
          echo.close()
          await pool.detach()
        }
      }),
    )
    log(`  server-getput: ${Math.round(1e9 / t.ours)} ops/s (the echo ${Math.round(1e9 / t.baseline)} ops/s; the old budget ${SERVER_GETPUT_TARGET})`)
    return row('server-getput', 'us/op', t.ours / 1e3, t.baseline / 1e3, SERVER_GETPUT_RATIO)
  } finally {
    fs.rmSync(runtime, {recursive: true, force: true})
  }
}

/** The pages rss-server caches: 65536 × 4 KiB, a 256 MiB arena. */
const RSS_PAGES = 65536

/** vmHwmMiB -- the peak resident set of process `pid`, from /proc/PID/status (VmHWM), in MiB. */
function vmHwmMiB(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (match === null) throw new Error(`no VmHWM in /proc/${pid}/status`)
  return Number(match[1]) / 1024
}

/*
 * rssServer -- the pool server's memory with 65536 × 4 KiB pages cached: a real server started
 * through the session layer, every page got and put through it by one client, its peak RSS
 * (VmHWM) read after that, less its peak when idle (read just after it opened), against the
 * 256 MiB arena the pages need. ratio = (peak - idle) / arena; the target is 1.05.
 */
async function rssServer(): Promise<BenchRow> {
  return withServer('bench-rss', async () => {
    const pool = await connectPool({key: 'bench-rss'})
    try {
      const idle = vmHwmMiB(pool.serverPid)
      for (let pgno = 0; pgno < RSS_PAGES; pgno++) {
        await pool.get(pgno)
        await pool.put(pgno)
      }
      const peak = vmHwmMiB(pool.serverPid)
      log(`  rss-server: idle ${idle.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB with ${RSS_PAGES} pages cached`)
      return row('rss-server', 'MiB', peak - idle, (RSS_PAGES * PAGESIZE) / 2 ** 20, 1.05)
    } finally {
      await pool.detach()
    }
  }, RSS_PAGES)
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
  {name: 'rss-server', run: rssServer},
  {name: 'repl-script', run: replScript},
  {name: 'cli', run: () => benchCli()}, // bench/cli.ts: one row per verb, cli-*, dump-file, cli-help
]

/** The names of this group's rows, for the bench's filter. */
export const CASES: readonly string[] = ['server-getput', 'rss-server', 'repl-script-quiet', 'repl-script-json', ...CLI_CASES]

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
