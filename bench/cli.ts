/*
 * cli -- wall time of the shell's one-shot commands, run as a shell runs them (`npm run bench dump-file`).
 *
 *   dump-file  `mpool dump 0 --file F --pagesize 4096` through the real bin/run.js in a fresh
 *              node process, against `node -e 0` (the least any node command can cost): the
 *              median wall time of 11 runs each, alternating, after 2 untimed runs of each.
 *              Target: ratio <= 2.5.
 *
 * The commands run from dist/ (npm run build first); the page file is made and removed here.
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {type BenchRow, compare, log, makePageFile, row} from './lib.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'run.js')

/** The ratio dump --file may not exceed against `node -e 0`. */
export const DUMP_FILE_TARGET = 2.5

function runNode(args: string[]): void {
  const r = spawnSync(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`)
}

/** dumpFile -- the dump-file case: ms per one-shot `mpool dump 0 --file F` vs `node -e 0`. */
export async function dumpFile(): Promise<BenchRow> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'commands', 'dump.js'))) throw new Error('dist/ is missing: run npm run build first')
  const file = makePageFile(4, 4096, 'dump-file')
  try {
    const timed = compare(
      {run: () => runNode([BIN, 'dump', '0', '--file', file.path, '--pagesize', '4096'])},
      {run: () => runNode(['-e', '0'])},
      {warmup: 2, reps: 11, clock: 'wall'},
    )
    return row('dump-file', 'ms', timed.ours / 1e6, timed.baseline / 1e6, DUMP_FILE_TARGET)
  } finally {
    file.remove()
  }
}

/** benchCli -- every case of this file. */
export async function benchCli(): Promise<BenchRow[]> {
  log('cli: dump-file')
  return [await dumpFile()]
}

// Run alone: node --import tsx bench/cli.ts
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const rows = await benchCli()
  for (const r of rows) process.stdout.write(`${r.case}: ${r.ours} ${r.unit} vs ${r.baseline} ${r.unit} (node -e 0), ratio ${r.ratio} (target <= ${r.target})\n`)
}
