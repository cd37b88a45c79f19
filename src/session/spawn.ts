/**
 * spawn -- start a pool server process and wait until it serves, or says why it cannot.
 *
 * The server is this same Node (process.execPath) running serve-main: dist/session/serve-main.js
 * in the built CLI, src/session/serve-main.ts when running from source under tsx, in which case
 * the parent's loader flags (`--import tsx`) are passed on, resolved to absolute paths because
 * the server runs in `/` (a daemon must not hold the caller's directory busy), after the
 * server's own V8 flags (SERVER_NODE_FLAGS: a small young generation). It is detached
 * (own session, no terminal), stdin and stdout go nowhere, stderr goes to K.log, and an IPC
 * channel carries one message back: {ready, info} or {error}. Then the channel is dropped and
 * the parent lets go of the child, so `mpool open` returns at once while the server lives on.
 *
 * No answer within the timeout, or an exit without one, is an error that quotes the log; a
 * server that fails to open its pool has exited by the time its error is thrown.
 */
import type {ChildProcess} from 'node:child_process'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {MPoolError} from '../pool/index.js'
import type {OpenPoolOptions, PoolInfo} from './handle.js'
import {fromWireError, type WireError} from './protocol.js'
import {type PoolPaths, removeQuietly} from './runtime.js'

/** What the server is told to open, the argument of serve-main: `open`'s options, with the file made absolute. */
export interface ServeOptions extends OpenPoolOptions {
  /** the runtime directory (checked again by the server) */
  dir: string
  /** FILE, absolute: a server always opens one */
  file: string
}

/**
 * V8 flags of every pool server, before the parent's own (which win over them, V8 taking the
 * last of a flag). The young generation is held to 1 MiB semi-spaces: a server's garbage is
 * one request line and one page's base64 at a time, and under a steady stream of requests V8
 * otherwise grows the young generation towards 3 × 16 MiB, memory a server keeps for good: with
 * 65536 × 4 KiB pages that alone was 4 % of the arena on top of it (bench rss-server, 1.08 ->
 * 1.02). Scavenging more often did not slow server-getput measurably (bench/shell.ts).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1']

/** How long a server may take to open its pool and listen. Under tsx on a busy machine, a second or two. */
export const START_TIMEOUT_MS = 10_000

type Handshake = {ready: true; info: PoolInfo} | {error: WireError}

/**
 * startServer -- spawn the server for `options` and wait for its handshake.
 *
 * @returns the pool's info once the server listens on paths.socket.
 * @throws the server's MPoolError if it could not open the pool or bind the socket (it has
 *   exited); ETIMEDOUT if it did not answer within `timeoutMs` (it is killed); ECHILD if it
 *   died first. Both of the latter quote the server's log.
 */
export async function startServer(paths: PoolPaths, options: ServeOptions, timeoutMs = START_TIMEOUT_MS): Promise<PoolInfo> {
  // node:child_process loads only to start a server (with node:dgram and more): no verb needs it.
  const {spawn} = await import('node:child_process')
  const entry = serverEntry()
  const logFd = fs.openSync(paths.log, 'w', 0o600)
  let child: ChildProcess
  try {
    child = spawn(process.execPath, serverArgv(entry, options), {
      cwd: '/',
      detached: true,
      stdio: ['ignore', 'ignore', logFd, 'ipc'],
      env: process.env,
    })
  } finally {
    fs.closeSync(logFd)
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  let handshake: Handshake
  try {
    handshake = await new Promise<Handshake>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new MPoolError('ETIMEDOUT', `the pool server for ${JSON.stringify(options.key)} did not start within ${timeoutMs / 1000} s${logTail(paths)}`))
      }, timeoutMs)
      child.once('message', (message) => {
        clearTimeout(timer)
        resolve(message as Handshake)
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new MPoolError('ECHILD', `the pool server for ${JSON.stringify(options.key)} exited (${signal ?? `status ${code}`}) before it was ready${logTail(paths)}`))
      })
      child.once('error', (err) => {
        clearTimeout(timer)
        reject(new MPoolError((err as NodeJS.ErrnoException).code ?? 'ECHILD', `cannot start the pool server: ${err.message}`))
      })
    })
  } catch (err) {
    removeQuietly(paths.socket)
    removeQuietly(paths.info)
    throw err
  }

  if ('error' in handshake) {
    // The server has nothing more to say and exits at once; wait, so that nothing is left behind.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())])
    removeQuietly(paths.log)
    throw fromWireError(handshake.error)
  }
  child.removeAllListeners()
  if (child.connected) child.disconnect()
  child.unref()
  return handshake.info
}

/** serverArgv -- the server's command line after the node binary: its own V8 flags, the parent's flags passed on, serve-main and its options. */
export function serverArgv(entry: string, options: ServeOptions, execArgv: readonly string[] = process.execArgv): string[] {
  return [...SERVER_NODE_FLAGS, ...childExecArgv(entry, execArgv), entry, JSON.stringify(options)]
}

/** serverEntry -- serve-main beside this module: .js when built, .ts when running from source. */
export function serverEntry(): string {
  const js = fileURLToPath(new URL('./serve-main.js', import.meta.url))
  if (fs.existsSync(js)) return js
  const ts = js.replace(/\.js$/, '.ts')
  if (fs.existsSync(ts)) return ts
  throw new MPoolError('ENOENT', `the pool server's entry ${js} is missing; rebuild mpool (npm run build)`)
}

/** Node flags that take a value in the next argument. */
const VALUE_FLAGS = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r', '--eval', '-e', '--print', '-p', '--input-type', '--conditions', '-C', '--inspect-port'])
/** Flags not passed to the server: a second debugger on the same port, or the parent's own script. */
const DROPPED = /^(--inspect|--debug|--eval$|-e$|--print$|-p$|--test|--watch)/
/** Flags naming a module to preload, resolved as the parent resolved them (from its cwd). */
const PRELOADS = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r'])

/**
 * childExecArgv -- the parent's Node flags for the server: loaders kept (resolved to absolute
 * paths), debugger and eval flags dropped; `--import tsx` added when `entry` is TypeScript and
 * no loader was given.
 */
export function childExecArgv(entry: string, execArgv: readonly string[] = process.execArgv): string[] {
  const out: string[] = []
  let loader = false
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const name = eq === -1 ? arg : arg.slice(0, eq)
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else if (VALUE_FLAGS.has(name)) value = execArgv[++i]
    if (DROPPED.test(name)) continue
    if (PRELOADS.has(name) && value !== undefined) {
      loader = true
      out.push(name, resolvePreload(value, name === '--require' || name === '-r'))
    } else {
      out.push(arg)
      if (eq === -1 && value !== undefined) out.push(value)
    }
  }
  if (entry.endsWith('.ts') && !loader) out.push('--import', resolvePreload('tsx', false))
  return out
}

function resolvePreload(specifier: string, forRequire: boolean): string {
  if (specifier.startsWith('file:') || specifier.startsWith('data:') || specifier.startsWith('node:')) return specifier
  let resolved: string
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    resolved = path.resolve(specifier)
  } else {
    try {
      resolved = createRequire(path.join(process.cwd(), 'noop.js')).resolve(specifier)
    } catch {
      // not found from the cwd: from this module, where mpool's own dependencies are
      resolved = createRequire(import.meta.url).resolve(specifier)
    }
  }
  return forRequire ? resolved : pathToFileURL(resolved).href
}

function logTail(paths: PoolPaths): string {
  try {
    const text = fs.readFileSync(paths.log, 'utf8').trim()
    if (text === '') return ` (its log ${paths.log} is empty)`
    const lines = text.split('\n').slice(-5).join(' | ')
    return `; its log ${paths.log} says: ${lines}`
  } catch {
    return ''
  }
}
