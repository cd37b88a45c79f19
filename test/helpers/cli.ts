/*
 * cli -- run the real `mpool` binary (bin/run.js over dist/) in a child process, as a shell would.
 *
 * Policy, each in a sentence:
 *  - dist/ is built once, and only if a file in src/ is newer than its compiled .js or than the
 *    light bundle bin/run.js loads (CI builds it in `npm ci`), after the WebAssembly modules of
 *    any AssemblyScript source newer than its module; the build (build-wasm.mjs, tsc, then
 *    scripts/bundle-light.mjs) holds a lock so that two suites never compile over each other.
 *  - Each suite makes its own runtime directory (MPOOL_RUNTIME_DIR) under os.tmpdir(), so it sees
 *    only its own pools; cleanup() closes every pool left in it, kills any server that does not
 *    go, and removes the directory.
 *  - A child that runs past its timeout is killed and the test fails; stdin is closed (or fed
 *    `input`) so that nothing waits on a terminal.
 */
import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = path.join(ROOT, 'bin', 'run.js')

export interface CliResult {
  stdout: string
  stderr: string
  /** stdout as bytes, for --raw */
  raw: Buffer
  status: number | null
  signal: NodeJS.Signals | null
}

export interface CliOptions {
  env?: Record<string, string | undefined>
  input?: string | Buffer
  cwd?: string
  timeoutMs?: number
}

const BUNDLE = path.join(ROOT, 'dist', 'cli', 'light.bundle.cjs')

/** wasmIsCompiled -- whether every src/**\/NAME.as.ts has its NAME.wasm.ts (scripts/build-wasm.mjs), made after it and after every shared AssemblyScript file (src/**\/assembly/). */
function wasmIsCompiled(): boolean {
  const files = fs.readdirSync(path.join(ROOT, 'src'), {recursive: true, withFileTypes: true}).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name))
  const sources = files.filter((f) => f.endsWith('.as.ts') || f.split(path.sep).includes('assembly'))
  const newest = Math.max(0, ...sources.map((f) => fs.statSync(f).mtimeMs))
  for (const source of files.filter((f) => f.endsWith('.as.ts'))) {
    try {
      if (fs.statSync(source.replace(/\.as\.ts$/, '.wasm.ts')).mtimeMs < newest) return false
    } catch {
      return false
    }
  }
  return true
}

function newestSourceIsCompiled(): boolean {
  const src = path.join(ROOT, 'src')
  let bundled: number
  try {
    bundled = fs.statSync(BUNDLE).mtimeMs
  } catch {
    return false
  }
  for (const entry of fs.readdirSync(src, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || entry.name.endsWith('.d.ts') || entry.name.endsWith('.as.ts') || entry.parentPath.split(path.sep).includes('assembly')) continue
    const file = path.join(entry.parentPath, entry.name)
    const out = path.join(ROOT, 'dist', path.relative(src, file)).replace(/\.tsx?$/, '.js')
    try {
      const changed = fs.statSync(file).mtimeMs
      if (fs.statSync(out).mtimeMs < changed || bundled < changed) return false
    } catch {
      return false
    }
  }
  return true
}

let built = false

/** buildOnce -- compile src/ to dist/ unless it is up to date (under a lock shared with other suites). */
export function buildOnce(): void {
  if (built) return
  const lock = path.join(ROOT, 'node_modules', '.mpool-build.lock')
  // an AssemblyScript source newer than the module made from it: made again first (its .wasm.ts is then newer than dist/)
  if (!wasmIsCompiled()) execFileSync('flock', [lock, process.execPath, path.join(ROOT, 'scripts', 'build-wasm.mjs')], {cwd: ROOT, stdio: 'pipe'})
  if (!newestSourceIsCompiled()) {
    try {
      execFileSync('flock', [lock, 'npx', 'tsc', '-p', 'tsconfig.build.json'], {cwd: ROOT, stdio: 'pipe'})
    } catch {
      // Type errors elsewhere still emit JavaScript; what matters is that the commands exist.
    }
    if (!fs.existsSync(path.join(ROOT, 'dist', 'commands', 'get.js'))) throw new Error('npm run build did not produce dist/commands: see `npx tsc -p tsconfig.build.json`')
    execFileSync('flock', [lock, process.execPath, path.join(ROOT, 'scripts', 'bundle-light.mjs')], {cwd: ROOT, stdio: 'pipe'})
  }
  built = true
}

/** A sandbox for one suite: a temp folder for files and a runtime directory for its pools. */
export class CliSandbox {
  readonly dir: string
  readonly runtime: string

  constructor(prefix = 'mpool-cli-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
    this.runtime = path.join(this.dir, 'rt')
  }

  /** file -- a path inside the sandbox. */
  path(name: string): string {
    return path.join(this.dir, name)
  }

  /** run -- `mpool ARGS` with this sandbox's runtime directory and no colour unless asked. */
  run(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
    return runCli(args, {...options, cwd: options.cwd ?? this.dir, env: {MPOOL_RUNTIME_DIR: this.runtime, MPOOL_LOCK_DIR: path.join(this.dir, 'locks'), ...options.env}})
  }

  /** serverPids -- the pids of the pool servers whose info files are in the runtime directory. */
  serverPids(): number[] {
    if (!fs.existsSync(this.runtime)) return []
    const pids: number[] = []
    for (const name of fs.readdirSync(this.runtime)) {
      if (!name.endsWith('.json')) continue
      try {
        const info = JSON.parse(fs.readFileSync(path.join(this.runtime, name), 'utf8')) as {pid?: unknown}
        if (typeof info.pid === 'number') pids.push(info.pid)
      } catch {
        // half-written or gone: nothing to kill
      }
    }
    return pids
  }

  /** closeAll -- close every pool open in the sandbox through the CLI, then kill what is left. */
  async closeAll(): Promise<void> {
    const listed = await this.run(['ls', '--json'])
    if (listed.status === 0) {
      for (const pool of (JSON.parse(listed.stdout) as {pools: Array<{key: string}>}).pools) await this.run(['close', '--key', pool.key])
    }
    for (const pid of this.serverPids()) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }

  /** cleanup -- close every pool, kill any server left, remove every file. */
  async cleanup(): Promise<void> {
    try {
      await this.closeAll()
    } finally {
      fs.rmSync(this.dir, {recursive: true, force: true})
    }
  }
}

/**
 * runCli -- run `node bin/run.js ARGS` and collect its output and exit status. Colour is off
 * (NO_COLOR) unless `env` sets FORCE_COLOR; DEBUG and MPOOL_KEY from the parent are not passed on.
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', DEBUG: undefined, MPOOL_KEY: undefined, FORCE_COLOR: undefined, ...options.env}
  if (options.env?.FORCE_COLOR !== undefined && options.env.NO_COLOR === undefined) delete env.NO_COLOR
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: options.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`mpool ${args.join(' ')} did not finish within ${options.timeoutMs ?? 15000} ms`))
    }, options.timeoutMs ?? 15000)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (status, signal) => {
      clearTimeout(timer)
      const raw = Buffer.concat(out)
      resolve({stdout: raw.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), raw, status, signal})
    })
    child.stdin.on('error', () => {}) // a child that exits without reading stdin
    child.stdin.end(options.input ?? '')
  })
}

/**
 * sandboxEachTest -- for a mocha suite: build once, give every test a fresh sandbox, and after
 * each test clean it up and fail if any pool server outlived it. Returns the current sandbox.
 */
export function sandboxEachTest(): () => CliSandbox {
  let box: CliSandbox | null = null
  before(() => buildOnce())
  beforeEach(() => {
    box = new CliSandbox()
  })
  afterEach(async () => {
    const ended = box!
    await ended.cleanup()
    assert.deepEqual(ended.serverPids(), [], 'no server left behind')
  })
  return () => box!
}
