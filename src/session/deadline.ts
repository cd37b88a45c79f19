/**
 * deadline -- how long a client waits for a pool server before it gives up.
 *
 * Every call a client makes has a deadline, so a stopped (`kill -STOP`) or stuck server makes a
 * command fail in one line naming the server's pid instead of hanging. The default is
 * DEFAULT_TIMEOUT_MS; MPOOL_TIMEOUT (seconds) changes it for every command, and a command's
 * `--timeout SECONDS` for that command. `ls` does not use it: it waits LIST_TIMEOUT_MS per pool,
 * all at once, so that it answers within a second however many servers are stuck, and lists
 * those as not answering.
 */
import fs from 'node:fs'
import {MPoolError} from '../pool/index.js'
import type {PoolPaths} from './runtime.js'

/** How long one call may wait for its reply, by default: longer than any sync of a sane pool. */
export const DEFAULT_TIMEOUT_MS = 10_000

/** How long `ls` waits for each pool (all at once). */
export const LIST_TIMEOUT_MS = 500

/** The longest deadline that can be asked for: a day. */
const MAX_TIMEOUT_S = 86_400

/**
 * parseTimeout -- seconds as given to --timeout or MPOOL_TIMEOUT (decimals allowed: 0.5), in ms.
 *
 * @throws MPoolError EUSAGE naming `what` for anything but a number from 0.001 to 86400.
 */
export function parseTimeout(text: string, what: string): number {
  const trimmed = text.trim()
  const seconds = /^\d+(\.\d+)?$|^\.\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN
  if (!(seconds >= 0.001 && seconds <= MAX_TIMEOUT_S)) {
    const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text
    throw new MPoolError('EUSAGE', `${what} must be a number of seconds from 0.001 to ${MAX_TIMEOUT_S}, not ${JSON.stringify(shown)}`)
  }
  return Math.round(seconds * 1000)
}

/** clientTimeout -- the deadline of every call: MPOOL_TIMEOUT if set, else the default. */
export function clientTimeout(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.MPOOL_TIMEOUT
  return value === undefined || value === '' ? DEFAULT_TIMEOUT_MS : parseTimeout(value, 'MPOOL_TIMEOUT')
}

/** serverPid -- the pid a pool's info file names, or null if there is none to read. */
export function serverPid(paths: PoolPaths): number | null {
  try {
    const pid = (JSON.parse(fs.readFileSync(paths.info, 'utf8')) as {pid?: unknown}).pid
    return Number.isSafeInteger(pid) && (pid as number) > 0 ? (pid as number) : null
  } catch {
    return null
  }
}

/** notAnswering -- the one line for a server that let a deadline pass. */
export function notAnswering(paths: PoolPaths, ms: number): MPoolError {
  const pid = serverPid(paths)
  const who = pid === null ? '' : ` (pid ${pid})`
  const cont = pid === null ? '' : ` (kill -CONT ${pid} if it was stopped)`
  return new MPoolError('ETIMEDOUT', `the pool server for key ${paths.key}${who} did not answer within ${ms / 1000} s: it is stopped or stuck${cont}, see ${paths.log}; wait longer with --timeout or MPOOL_TIMEOUT`)
}
