/**
 * file-lock -- one file, one pool: a pool server claims its FILE, machine-wide.
 *
 * Two pools over one file lose updates: each caches its own copy of a page and the last sync
 * wins. So a server claims its file, by device and inode (a hard link or a symlink is the same
 * file), before it serves, and a second server over the same file is refused, naming the key
 * that holds it, in whatever runtime directory (MPOOL_RUNTIME_DIR) that key lives.
 *
 * The claim is a lock file `<dev>-<ino>.lock` in one machine-wide directory, LOCK_DIR
 * (<tmpdir>/mpool-locks, sticky and world-writable like /tmp; MPOOL_LOCK_DIR moves it),
 * holding the holder's key, runtime directory, file, pid and uid. Why not flock(2): Node has
 * none, and the npm packages that add it (fs-ext) are native addons that must be compiled on
 * every install; a lock file keyed by dev:ino needs nothing but node:fs and, unlike a lock
 * beside FILE, needs no write access to FILE's folder.
 *
 * Policy, each in a sentence:
 *  - The lock file appears whole or not at all: it is written under an unpredictable temporary
 *    name, then hard-linked to its name (link fails if the name exists), so a reader never
 *    sees a half-written claim, and an empty or unreadable one is stale at once.
 *  - A claim is stale when its pid is gone, or when its holder is this user and the pool it
 *    names is no longer served by that pid (its info file says otherwise or is gone): a pid
 *    reused by an unrelated process does not hold a file forever.
 *  - A stale claim is removed and taken; a live one is EBUSY.
 *  - The server removes its claim when it exits (close, a signal, an internal error); a server
 *    killed with SIGKILL leaves it, and the next claimer finds it stale.
 */
import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {MPoolError} from '../pool/index.js'
import {currentUid, isAlive, removeQuietly} from './runtime.js'

/** What a lock file says about the server holding FILE. */
export interface FileClaim {
  key: string
  /** the runtime directory of that key */
  dir: string
  file: string
  pid: number
  uid: number
}

/** lockDir -- the machine-wide directory of file claims: $MPOOL_LOCK_DIR, else <tmpdir>/mpool-locks. */
export function lockDir(): string {
  const override = process.env.MPOOL_LOCK_DIR
  return override !== undefined && override !== '' ? path.resolve(override) : path.join(os.tmpdir(), 'mpool-locks')
}

/**
 * ensureLockDir -- the lock directory, made sticky and world-writable (mode 1777) if missing.
 *
 * @throws MPoolError EACCES if it is a symlink or not a directory, or belongs to another user
 *   without the sticky bit (then that user could remove anyone's claims).
 */
function ensureLockDir(): string {
  const dir = lockDir()
  try {
    fs.mkdirSync(dir, {mode: 0o1777})
    fs.chmodSync(dir, 0o1777) // the umask took bits away
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new MPoolError((err as NodeJS.ErrnoException).code ?? 'EIO', `cannot make the lock directory ${dir}: ${(err as Error).message}; set MPOOL_LOCK_DIR to a directory every mpool user can write`)
    }
  }
  const st = fs.lstatSync(dir)
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new MPoolError('EACCES', `the lock directory ${dir} is not a directory (or is a symlink); remove it or set MPOOL_LOCK_DIR`)
  }
  if (st.uid !== currentUid() && st.uid !== 0 && (st.mode & 0o1000) === 0) {
    throw new MPoolError('EACCES', `the lock directory ${dir} belongs to user ${st.uid} and is not sticky; remove it or set MPOOL_LOCK_DIR`)
  }
  return dir
}

/** The claim of a file held by this process, given back by release(). */
export interface FileLock {
  readonly path: string
  release(): void
}

/** Which file: its device and inode, as fstat gives them. */
export interface FileIdentity {
  dev: number
  ino: number
}

/**
 * claimFile -- claim the file `identity` (at `file`) for the pool `key` of runtime directory
 * `dir`, for this process.
 *
 * @throws MPoolError EBUSY naming the key (and its runtime directory when it is another) if a
 *   live server holds the file; EACCES for an unsafe lock directory.
 */
export function claimFile(identity: FileIdentity, file: string, key: string, dir: string): FileLock {
  const lock = path.join(ensureLockDir(), `${identity.dev}-${identity.ino}.lock`)
  const claim: FileClaim = {key, dir, file, pid: process.pid, uid: currentUid()}
  for (let attempt = 0; attempt < 3; attempt++) {
    if (publish(lock, claim)) {
      return {
        path: lock,
        release: () => {
          // only our own claim: a stale one of ours may have been taken over meanwhile
          if (readClaim(lock)?.pid === process.pid) removeQuietly(lock)
        },
      }
    }
    const held = readClaim(lock)
    if (held !== null && !isStale(held)) {
      const where = held.dir === dir ? '' : ` in the runtime directory ${held.dir}`
      throw new MPoolError('EBUSY', `${file} is already open as pool ${held.key} (pid ${held.pid}${where}); use that pool (--key ${held.key}), or close it first: two pools over one file lose each other's writes`)
    }
    removeQuietly(lock)
  }
  throw new MPoolError('EBUSY', `cannot claim ${file}: its lock ${lock} keeps coming back; another mpool is opening it right now`)
}

/** publish -- make `lock` hold `claim`, whole, unless it exists; false if it does. */
function publish(lock: string, claim: FileClaim): boolean {
  const temp = path.join(path.dirname(lock), `.${randomBytes(12).toString('hex')}.tmp`)
  fs.writeFileSync(temp, `${JSON.stringify(claim)}\n`, {flag: 'wx', mode: 0o644})
  try {
    fs.linkSync(temp, lock)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    removeQuietly(temp)
  }
}

/** readClaim -- what a lock file says, or null if it is gone, empty or not a claim (stale at once: claims are written whole). */
function readClaim(lock: string): FileClaim | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lock, 'utf8')) as Partial<FileClaim>
    if (typeof parsed.key !== 'string' || typeof parsed.dir !== 'string' || typeof parsed.pid !== 'number' || typeof parsed.uid !== 'number') return null
    return parsed as FileClaim
  } catch {
    return null
  }
}

/** isStale -- the holder's pid is gone, or (for our own user) its pool is no longer served by that pid. */
function isStale(claim: FileClaim): boolean {
  if (!isAlive(claim.pid)) return true
  if (claim.uid !== currentUid()) return false // another user's runtime directory is closed to us: trust the pid
  try {
    const info = JSON.parse(fs.readFileSync(path.join(claim.dir, `${claim.key}.json`), 'utf8')) as {pid?: unknown}
    return info.pid !== claim.pid
  } catch {
    // No info file: a server between its claim and its listen has none yet, so only a claim
    // older than a start may take is given up.
    try {
      return Date.now() - fs.statSync(path.join(claim.dir, `${claim.key}.log`)).mtimeMs > 60_000
    } catch {
      return true
    }
  }
}
