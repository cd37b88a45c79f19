/**
 * lock -- one client at a time starts or cleans up the server of a key.
 *
 * `mpool open` run twice at once must not start two servers, and a client clearing a stale
 * socket must not remove the socket a fresh server has just bound. Both happen under K.lock,
 * a file made with O_EXCL holding the holder's pid. A lock whose holder is dead, or older than
 * STALE_LOCK_MS (longer than any start may take, which also covers a reused pid), is broken.
 * Node has no flock(2), hence the pid file; the one race left is two clients breaking the same
 * dead lock at the same instant, which needs a client killed while it held the lock.
 */
import fs from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {MPoolError} from '../pool/index.js'
import {isAlive, type PoolPaths, removeQuietly} from './runtime.js'

/** A lock older than this is taken to be left by a dead or stuck client. */
export const STALE_LOCK_MS = 30_000

/** tryLock -- take K.lock if it is free (or stale); true if taken. */
export function tryLock(paths: PoolPaths): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (publish(paths.lock)) return true
    if (!isStale(paths.lock)) return false
    removeQuietly(paths.lock)
  }
  return false
}

/**
 * publish -- make `lock` hold this pid, whole, unless it exists; false if it does.
 *
 * @throws the fs error (ENOSPC...) if the pid cannot be written: nothing is left behind.
 */
function publish(lock: string): boolean {
  // Unique without node:crypto (which costs every verb a millisecond or two to load): no live
  // process shares our pid, and the clock never repeats within it.
  const temp = `${lock}.${process.pid}.${process.hrtime.bigint()}.tmp`
  try {
    fs.writeFileSync(temp, `${process.pid}\n`, {flag: 'wx', mode: 0o600})
    fs.linkSync(temp, lock)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new MPoolError((err as NodeJS.ErrnoException).code ?? 'EIO', `cannot take the lock ${lock}: ${(err as Error).message}`)
  } finally {
    removeQuietly(temp)
  }
}

/** unlock -- give K.lock back. */
export function unlock(paths: PoolPaths): void {
  removeQuietly(paths.lock)
}

/**
 * withLock -- run `fn` holding K.lock, waiting up to `timeoutMs` for it.
 *
 * @throws MPoolError ETIMEDOUT if another client held it all that time.
 */
export async function withLock<T>(paths: PoolPaths, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let wait = 5
  while (!tryLock(paths)) {
    if (Date.now() > deadline) {
      throw new MPoolError('ETIMEDOUT', `another mpool is still starting or cleaning up pool ${JSON.stringify(paths.key)} (${paths.lock}); try again, or remove that file if no mpool is running`)
    }
    await sleep(wait)
    wait = Math.min(wait * 2, 100)
  }
  try {
    return await fn()
  } finally {
    unlock(paths)
  }
}

function isStale(lock: string): boolean {
  let text: string
  let st: fs.Stats
  try {
    st = fs.statSync(lock)
    text = fs.readFileSync(lock, 'utf8')
  } catch {
    return false // gone already: the next attempt takes it
  }
  if (Date.now() - st.mtimeMs > STALE_LOCK_MS) return true
  // Locks appear whole (publish), so one without a pid in it was never a lock: stale at once.
  if (!/^\d+\n?$/.test(text)) return true
  return !isAlive(Number.parseInt(text, 10))
}
