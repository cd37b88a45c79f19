/*
 * formats -- the page formats' shell commands against the tools that know the format
 * (`npm run bench formats`, or one case by name).
 *
 *   map-file    `mpool map --file DB --json` of a SQLite database of at least 256 MiB, against
 *               `sqlite3 DB 'select count(*) from dbstat'` on the same file (dbstat visits every
 *               b-tree and overflow page, as map does): 15 pairs of runs side by side,
 *               alternating which goes first, after 1 untimed run of each; the ratio is the
 *               median of the pairs' ratios (bench/lib.ts pairRow: the two runs of a pair see the
 *               same load, on a machine whose load drifts). Target: ratio <= 1.5.
 *   get-decode  `mpool get P --decode` of the fullest table leaf of a 4 KiB-page database,
 *               against a plain `mpool get P`, both through one open pool server (each get's pin
 *               is given back, untimed, by `mpool put P`): the median of 15 pairs' ratios after
 *               2 untimed pairs, as for map-file. Target: ratio <= 1.2.
 *
 * The 256 MiB database takes a while to make, so it is made only when map-file runs, once, and
 * kept in node_modules/.cache/mpool-bench/ for later runs (delete it to make it again). The
 * commands run from dist/ (npm run build first).
 */
import {execFileSync, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {type BenchRow, comparePairs, log, pairRow} from './lib.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'run.js')
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'mpool-bench')

export const MAP_FILE_TARGET = 1.5
export const GET_DECODE_TARGET = 1.2
const BIG = 256 * 1024 * 1024

export const CASES = ['map-file', 'get-decode'] as const

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(command, args, {stdio: ['ignore', 'pipe', 'pipe'], env: {...env, NO_COLOR: '1'}, maxBuffer: 1 << 30})
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`)
  return r.stdout.toString()
}

const mpool = (args: string[], env?: NodeJS.ProcessEnv): string => run(process.execPath, [BIN, ...args], env)

/** bigDatabase -- the cached SQLite database of at least 256 MiB (a table with an index, some rows overflowing); made if missing. */
function bigDatabase(): string {
  const file = path.join(CACHE, 'sqlite-256mib.db')
  if (fs.existsSync(file) && fs.statSync(file).size >= BIG) return file
  fs.mkdirSync(CACHE, {recursive: true})
  fs.rmSync(file, {force: true})
  log('formats: making a 256 MiB SQLite database (once; kept in node_modules/.cache/mpool-bench)')
  execFileSync('sqlite3', [file], {
    input: `PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
      CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, body BLOB, n INTEGER);
      CREATE INDEX t_name ON t(name);
      BEGIN;
      WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1450000)
        INSERT INTO t SELECT i, 'name ' || (i * 7919 % 1450000), CASE WHEN i % 500 = 0 THEN randomblob(9000) ELSE randomblob(120) END, i FROM s;
      COMMIT;`,
  })
  if (fs.statSync(file).size < BIG) throw new Error(`the bench database came out at ${fs.statSync(file).size} bytes, less than 256 MiB`)
  return file
}

/** mapFile -- ms of `mpool map --file` vs sqlite3's dbstat count over the same database. */
export async function mapFile(): Promise<BenchRow> {
  const file = bigDatabase()
  const pairs = comparePairs(
    {run: () => void mpool(['map', '--file', file, '--json'])},
    {run: () => void run('sqlite3', [file, 'select count(*) from dbstat'])},
    {warmup: 1, reps: 15, clock: 'wall'},
  )
  return pairRow('map-file', 'ms', pairs, MAP_FILE_TARGET)
}

/** getDecode -- ms of `mpool get P --decode` vs `mpool get P` on the fullest table leaf, through one pool. */
export async function getDecode(): Promise<BenchRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-bench-decode-'))
  const env = {...process.env, MPOOL_RUNTIME_DIR: path.join(dir, 'rt')}
  const file = path.join(dir, 'leaf.db')
  try {
    execFileSync('sqlite3', [file], {input: "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000) INSERT INTO t SELECT i, i * 3, 'x' || i FROM s;"})
    const map = JSON.parse(mpool(['map', '--file', file, '--json'])) as {pages: Array<{pgno: number; kind: string; cells: number | null}>}
    const leaf = map.pages.filter((p) => p.kind === 'table-leaf').sort((a, b) => (b.cells ?? 0) - (a.cells ?? 0))[0]!
    mpool(['open', file, '--key', 'bench-decode'], env)
    try {
      const pgno = String(leaf.pgno)
      const put = () => void mpool(['put', pgno, '--key', 'bench-decode'], env)
      const pairs = comparePairs(
        {run: () => void mpool(['get', pgno, '--decode', '--key', 'bench-decode'], env), teardown: put},
        {run: () => void mpool(['get', pgno, '--key', 'bench-decode'], env), teardown: put},
        {warmup: 2, reps: 15, clock: 'wall'},
      )
      return pairRow('get-decode', 'ms', pairs, GET_DECODE_TARGET)
    } finally {
      mpool(['close', '--key', 'bench-decode'], env)
    }
  } finally {
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

/** benchFormats -- every case of the formats group. */
export async function benchFormats(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const [name, fn] of [['map-file', mapFile], ['get-decode', getDecode]] as const) {
    log(`formats: ${name}`)
    rows.push(await fn())
  }
  return rows
}
