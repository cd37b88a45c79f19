/**
 * runtime -- where pool servers keep their sockets: one private directory per user.
 *
 * The directory is, in order: $MPOOL_RUNTIME_DIR if set (tests point it at a temp dir);
 * $XDG_RUNTIME_DIR/mpool if XDG_RUNTIME_DIR is set and owned by us; else <tmpdir>/mpool-<uid>.
 * It is made with mode 0700 and, before any use, must be a real directory (not a symlink),
 * owned by this user and closed to group and others: anything else is refused, never
 * repaired, because a socket in a directory another user controls could be theirs.
 *
 * A pool with key K has, in that directory:
 *   K.sock   the server's Unix socket (mode 0600)
 *   K.json   the pool's info (key, file, pagesize, maxcache, policy, pid), written atomically
 *            once the server listens, removed when it exits
 *   K.log    the server's stderr: start, close, signals, errors
 *   K.lock   held while a client starts or cleans up the server for K
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {MPoolError} from '../pool/index.js'
import {validateKey} from './key.js'

/** The longest socket path the kernel takes: sun_path is 108 bytes on Linux, 104 on the BSDs and macOS, NUL included. */
export const MAX_SOCKET_PATH = process.platform === 'linux' ? 107 : 103

/**
 * currentUid -- this process's user id: the owner every runtime directory must have. The checks
 * below take the owner as a parameter (defaulting to this) so that a test can ask "is this
 * directory refused for a user who does not own it?" without being root.
 */
export function currentUid(): number {
  if (typeof process.getuid !== 'function') throw new MPoolError('ENOTSUP', 'shared pools need a POSIX system with Unix sockets and user ids')
  return process.getuid()
}

/**
 * runtimeDir -- the per-user directory for pool sockets (see the header for the order tried).
 * Only computes the path: nothing is made or checked here.
 */
export function runtimeDir(owner = currentUid()): string {
  const override = process.env.MPOOL_RUNTIME_DIR
  if (override !== undefined && override !== '') return path.resolve(override)
  const xdg = process.env.XDG_RUNTIME_DIR
  if (xdg !== undefined && xdg !== '' && path.isAbsolute(xdg)) {
    try {
      const st = fs.statSync(xdg)
      if (st.isDirectory() && st.uid === owner) return path.join(xdg, 'mpool')
    } catch {
      // not there: fall back to the temp directory
    }
  }
  return path.join(os.tmpdir(), `mpool-${owner}`)
}

/**
 * checkRuntimeDir -- the runtime directory if it exists and is safe, null if it does not exist.
 *
 * @throws MPoolError EACCES if it is not a directory, is a symlink, belongs to another user or is
 *   open to group or others.
 */
export function checkRuntimeDir(dir = runtimeDir(), owner = currentUid()): string | null {
  let st: fs.Stats
  try {
    st = fs.lstatSync(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new MPoolError((err as NodeJS.ErrnoException).code ?? 'EIO', `cannot examine the runtime directory ${dir}: ${(err as Error).message}`)
  }
  if (st.isSymbolicLink() || !st.isDirectory()) {
    throw new MPoolError('EACCES', `the runtime directory ${dir} is not a directory (or is a symlink); remove it or set MPOOL_RUNTIME_DIR to a private directory`)
  }
  if (st.uid !== owner) {
    throw new MPoolError('EACCES', `the runtime directory ${dir} belongs to user ${st.uid}, not to you (${owner}); set MPOOL_RUNTIME_DIR to a directory of your own`)
  }
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0')
    throw new MPoolError('EACCES', `the runtime directory ${dir} has mode ${mode}, open to group or others; run chmod 700 ${dir}`)
  }
  return dir
}

/** ensureRuntimeDir -- the runtime directory, made with mode 0700 if missing, then checked as checkRuntimeDir does. */
export function ensureRuntimeDir(dir = runtimeDir()): string {
  try {
    fs.mkdirSync(dir, {recursive: true, mode: 0o700})
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new MPoolError((err as NodeJS.ErrnoException).code ?? 'EIO', `cannot make the runtime directory ${dir}: ${(err as Error).message}; set MPOOL_RUNTIME_DIR to a directory you can write`)
    }
  }
  return checkRuntimeDir(dir)!
}

/** The files of one pool in the runtime directory. */
export interface PoolPaths {
  key: string
  dir: string
  socket: string
  info: string
  log: string
  lock: string
}

/**
 * poolPaths -- the socket, info, log and lock paths for `key` in `dir`.
 *
 * @throws MPoolError EINVAL for a bad key; ENAMETOOLONG if the socket path is too long for a Unix socket.
 */
export function poolPaths(dir: string, key: string): PoolPaths {
  validateKey(key)
  const socket = path.join(dir, `${key}.sock`)
  const bytes = Buffer.byteLength(socket)
  if (bytes > MAX_SOCKET_PATH) {
    throw new MPoolError('ENAMETOOLONG', `the socket path ${socket} is ${bytes} bytes, more than the ${MAX_SOCKET_PATH} a Unix socket allows; use a shorter key or set MPOOL_RUNTIME_DIR to a shorter directory`)
  }
  return {key, dir, socket, info: path.join(dir, `${key}.json`), log: path.join(dir, `${key}.log`), lock: path.join(dir, `${key}.lock`)}
}

/** The info file a running server keeps beside its socket. */
export interface ServerInfoFile {
  key: string
  file: string | null
  pagesize: number
  maxcache: number
  policy: string
  pid: number
}

/** writeInfoFile -- write K.json atomically (a temp file renamed over it), mode 0600. */
export function writeInfoFile(paths: PoolPaths, info: ServerInfoFile): void {
  const tmp = `${paths.info}.${process.pid}.tmp`
  fs.writeFileSync(tmp, `${JSON.stringify(info)}\n`, {mode: 0o600})
  fs.renameSync(tmp, paths.info)
}

/** removeQuietly -- unlink `file`, ignoring a file already gone. */
export function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

/** isAlive -- whether process `pid` exists (signal 0; EPERM means it exists under another user). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
