/*
 * harness -- a private runtime directory per test file, and every pool server in it killed.
 *
 * `const h = new SessionHarness()` in a describe's before(): it makes a temp directory, points
 * MPOOL_RUNTIME_DIR at `<tmp>/rt` (so tests never see a user's pools or each other's) and
 * gives page files in `<tmp>/files`; file claims go to `<tmp>/locks` (MPOOL_LOCK_DIR). `h.cleanup()` in after(): every server whose pid the
 * harness saw (open() records them, and any K.json left in the directory names one) is sent
 * SIGKILL, then the directory is removed and the environment put back, even after a failure.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {openPool, type OpenPoolOptions} from '../../src/session/index.js'

export class SessionHarness {
  readonly root: string
  readonly runtime: string
  readonly files: string
  private readonly pids = new Set<number>()
  private readonly savedEnv: Record<string, string | undefined>
  private serial = 0

  constructor() {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-sess-'))
    this.runtime = path.join(this.root, 'rt')
    this.files = path.join(this.root, 'files')
    fs.mkdirSync(this.files)
    this.savedEnv = {MPOOL_RUNTIME_DIR: process.env.MPOOL_RUNTIME_DIR, MPOOL_KEY: process.env.MPOOL_KEY, MPOOL_LOCK_DIR: process.env.MPOOL_LOCK_DIR}
    process.env.MPOOL_RUNTIME_DIR = this.runtime
    // file claims (one file, one pool) in a directory of this test's own, removed with it
    process.env.MPOOL_LOCK_DIR = path.join(this.root, 'locks')
    delete process.env.MPOOL_KEY
  }

  /** pageFile -- a file of `npages` pages, page n filled with byte n+1; returns its path. */
  pageFile(pagesize: number, npages: number, name = `pages${this.serial++}.db`): string {
    const bytes = Buffer.alloc(pagesize * npages)
    for (let n = 0; n < npages; n++) bytes.fill((n + 1) & 0xff, n * pagesize, (n + 1) * pagesize)
    const file = path.join(this.files, name)
    fs.writeFileSync(file, bytes)
    return file
  }

  /** open -- openPool, remembering the server's pid for cleanup; returns the result and the pid. */
  async open(options: OpenPoolOptions): Promise<{joined: boolean; pid: number; info: Awaited<ReturnType<typeof openPool>>['info']}> {
    const {info, joined} = await openPool(options)
    const pid = this.serverPid(options.key)
    return {info, joined, pid}
  }

  /** serverPid -- the pid in K.json (the running server of key K), remembered for cleanup. */
  serverPid(key: string): number {
    const info = JSON.parse(fs.readFileSync(path.join(this.runtime, `${key}.json`), 'utf8')) as {pid: number}
    assert.ok(Number.isInteger(info.pid) && info.pid > 0, `K.json of ${key} names a pid`)
    this.pids.add(info.pid)
    return info.pid
  }

  /** track -- remember a pid to kill at cleanup. */
  track(pid: number): void {
    this.pids.add(pid)
  }

  /** socketPath -- where the server of `key` listens. */
  socket(key: string): string {
    return path.join(this.runtime, `${key}.sock`)
  }

  /** entries -- the names in the runtime directory, sorted ([] if it does not exist); with `key`, only that pool's files. */
  entries(key?: string): string[] {
    const names = fs.existsSync(this.runtime) ? fs.readdirSync(this.runtime).sort() : []
    return key === undefined ? names : names.filter((name) => name.startsWith(`${key}.`))
  }

  cleanup(): void {
    if (fs.existsSync(this.runtime)) {
      for (const name of fs.readdirSync(this.runtime)) {
        if (!name.endsWith('.json')) continue
        try {
          this.pids.add((JSON.parse(fs.readFileSync(path.join(this.runtime, name), 'utf8')) as {pid: number}).pid)
        } catch {
          // not an info file
        }
      }
    }
    for (const pid of this.pids) {
      if (isAlive(pid)) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone meanwhile
        }
      }
    }
    this.pids.clear()
    fs.rmSync(this.root, {recursive: true, force: true})
    for (const [name, value] of Object.entries(this.savedEnv)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** waitForExit -- resolves once `pid` is gone; fails the test after `ms`. */
export async function waitForExit(pid: number, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (isAlive(pid)) {
    if (Date.now() > deadline) assert.fail(`process ${pid} was still running after ${ms} ms`)
    await sleep(10)
  }
}

/** serverProcesses -- pids of processes titled `mpool-server KEY` (Linux /proc), to prove none was left behind. */
export function serverProcesses(key: string): number[] {
  const found: number[] = []
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
      if (cmdline === `mpool-server ${key}` || cmdline.startsWith(`mpool-server ${key} `)) found.push(Number(name))
    } catch {
      // exited while we looked
    }
  }
  return found
}

/**
 * exchange -- send raw `lines` (each gets a newline) over a new connection to `socket`, shut the
 * sending side, and collect every line the server sends back until it closes the connection.
 */
export function exchange(socket: string, lines: readonly (string | Buffer)[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const conn = net.createConnection(socket)
    const chunks: Buffer[] = []
    conn.on('data', (chunk: Buffer) => chunks.push(chunk))
    conn.on('error', reject)
    conn.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      resolve(text === '' ? [] : text.replace(/\n$/, '').split('\n'))
    })
    conn.on('connect', () => {
      for (const line of lines) {
        conn.write(line)
        conn.write('\n')
      }
      conn.end()
    })
  })
}
