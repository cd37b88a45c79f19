/**
 * pools -- finding, starting, joining and listing the pool servers of this user.
 *
 * A pool server is found by its socket in the runtime directory. A socket nobody listens on
 * (connect gives ECONNREFUSED: the server was killed) or an info file without a socket is stale
 * and is removed by the next client that meets it, under the key's lock and after a second
 * look, so that a server starting at that moment is never mistaken for a dead one. Starting a
 * server happens under the same lock: two `mpool open` of one key at once give one server,
 * which the second joins.
 *
 * A server that is there but does not answer (stopped with SIGSTOP, or stuck) is still open: it
 * is listed as not answering, with its pid, and counted when no key is given, so that nothing
 * ever acts on a pool the user did not name. Every wait has a deadline (deadline.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import type {FormatName} from '../formats/types.js'
import {MPoolError, type PolicyName} from '../pool/index.js'
import {Connection} from './connection.js'
import type {ConnectOptions, OpenPoolOptions, PoolInfo} from './handle.js'
import {isValidKey, validateKey} from './key.js'
import {tryLock, unlock, withLock} from './lock.js'
import {fromWireError, type OpMap, type Reply} from './protocol.js'
import {defaultHolder, RemotePool} from './remote.js'
import {clientTimeout, LIST_TIMEOUT_MS, serverPid} from './deadline.js'
import {checkRuntimeDir, ensureRuntimeDir, isAlive, type PoolPaths, poolPaths, removeQuietly, runtimeDir} from './runtime.js'
import {startServer} from './spawn.js'

/** One open pool, as `mpool ls` shows it. */
export interface PoolListing {
  key: string
  /** false: its server is there (its pid lives) but did not answer within LIST_TIMEOUT_MS */
  answering: boolean
  file: string
  pagesize: number
  maxcache: number
  policy: PolicyName
  /** present (true) when the pool's sync writes a journal first */
  journal?: true
  /** the server's pid (from its info file for a pool that does not answer; null if unknown) */
  pid: number | null
  /** what changed the pool's file under it (deleted, replaced, cut, appended to), if anything */
  fileChanged?: string
  /** occupancy now; null for a pool that does not answer */
  npages: number | null
  cached: number | null
  dirty: number | null
  pinned: number | null
  /** the file's page format name, or null for a plain page file (or a pool that does not answer) */
  format: FormatName | null
}

/**
 * openPool -- `mpool open`: start the pool server for `options.key`, or join the one running.
 *
 * Starting opens FILE in a new detached server and resolves once it listens; the server refuses
 * (EBUSY) a FILE another key already holds, in any runtime directory (file-lock.ts). Joining (the
 * key is open already): a larger maxcache raises the pool's, another pagesize is EINVAL, and a
 * FILE that is not the pool's own file is EINVAL (naming both); with no FILE the open only joins,
 * as mpool_open ignores the fd. A stale socket for the key is cleaned up first.
 *
 * @returns the pool's info and whether an already running pool was joined.
 * @throws MPoolError EINVAL for a bad key, pagesize or maxcache; the engine's error for a file it
 *   cannot open (ENOENT, EISDIR, ESPIPE...), with no server left behind; EACCES for an unsafe
 *   runtime directory; ETIMEDOUT if the server does not start or a running one does not answer.
 */
export async function openPool(options: OpenPoolOptions): Promise<{info: PoolInfo; joined: boolean}> {
  const key = validateKey(options.key)
  poolPaths(runtimeDir(), key) // a socket path too long fails before anything is made
  const dir = ensureRuntimeDir()
  const paths = poolPaths(dir, key)
  return withLock(paths, async () => {
    for (let attempt = 0; ; attempt++) {
      const found = await probe(paths)
      if (found.state === 'live') return {info: await join(found.connection, options), joined: true}
      if (found.state === 'stale') removeStale(paths)
      if (options.file === undefined) throw noSuchPool(key, (await listPools()).map((p) => p.key), paths)
      try {
        const info = await startServer(paths, {
          dir,
          key,
          file: path.resolve(options.file),
          umask: options.umask ?? process.umask(),
          pagesize: options.pagesize,
          maxcache: options.maxcache,
          create: options.create === true,
          hardLimit: options.hardLimit === true,
          ...(options.readahead === undefined ? {} : {readahead: options.readahead}),
          ...(options.writeBehind === true ? {writeBehind: true} : {}),
          ...(options.journal === true ? {journal: true} : {}),
          ...(options.policy === undefined ? {} : {policy: options.policy}),
          ...(options.record === undefined ? {} : {record: path.resolve(options.record)}),
          ...(options.force === true ? {force: true} : {}),
          ...(options.format === undefined || options.format === null ? {} : {format: options.format}),
        })
        return {info, joined: false}
      } catch (err) {
        // Someone bound the socket without the lock between our look and our start: join it.
        if (attempt === 0 && (err as MPoolError).code === 'EADDRINUSE') continue
        throw err
      }
    }
  })
}

/**
 * connectPool -- a RemotePool on an open pool, found by options.key, else $MPOOL_KEY, else as
 * the only pool open.
 *
 * @throws MPoolError ENOPOOL if no pool (or none with that key) is open, EAMBIGUOUS if no key was
 *   given and several are open (it lists them), EINVAL for a bad key.
 */
export async function connectPool(options: ConnectOptions = {}): Promise<RemotePool> {
  const envKey = process.env.MPOOL_KEY
  let key = options.key ?? (envKey === undefined || envKey === '' ? undefined : envKey)
  if (key === undefined) {
    const open = await listPools()
    if (open.length === 0) throw new MPoolError('ENOPOOL', 'no pool is open; open one with `mpool open FILE`')
    if (open.length > 1) {
      const named = open.map((p) => (p.answering ? p.key : `${p.key} (not answering${p.pid === null ? '' : `, pid ${p.pid}`})`))
      throw new MPoolError('EAMBIGUOUS', `${open.length} pools are open (${named.join(', ')}); choose one with --key KEY or MPOOL_KEY=KEY`)
    }
    key = open[0]!.key
  }
  validateKey(key)
  const dir = checkRuntimeDir()
  if (dir === null) throw noSuchPool(key, [])
  const paths = poolPaths(dir, key)
  try {
    return await RemotePool.connect(paths, {explain: options.explain === true, holder: options.holder ?? defaultHolder(), timeoutMs: options.timeoutMs ?? clientTimeout()})
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ECONNREFUSED') {
      await cleanIfStale(paths)
      throw noSuchPool(key, (await listPools()).map((p) => p.key), paths)
    }
    throw err instanceof MPoolError ? err : connectError(err, paths)
  }
}

/**
 * listPools -- every pool of this user, by key: those that answer with their occupancy now,
 * those whose server lives but does not answer within LIST_TIMEOUT_MS as not answering (with
 * their pid). All are asked at once, so the whole list takes at most about LIST_TIMEOUT_MS.
 * Stale entries met on the way are removed; a server that does not answer is left alone.
 */
export async function listPools(): Promise<PoolListing[]> {
  const dir = checkRuntimeDir()
  if (dir === null) return []
  const keys = new Set<string>()
  for (const name of fs.readdirSync(dir)) {
    const match = /^(.+)\.(sock|json)$/.exec(name)
    if (match !== null && isValidKey(match[1])) keys.add(match[1])
  }
  const rows = await Promise.all(
    [...keys].map((key) => {
      let paths: PoolPaths
      try {
        paths = poolPaths(dir, key)
      } catch {
        return null // a socket path too long to connect to: not one of ours
      }
      return listOne(paths)
    }),
  )
  return rows.filter((row): row is PoolListing => row !== null).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

async function listOne(paths: PoolPaths): Promise<PoolListing | null> {
  let connection: Connection
  try {
    connection = await Connection.open(paths, LIST_TIMEOUT_MS)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ECONNREFUSED') {
      await cleanIfStale(paths)
      return null
    }
    return silent(paths)
  }
  try {
    const [ping, info, stats] = await Promise.all([connection.send('ping', {}), connection.send('info', {}), connection.send('stats', {})])
    const p = resultOf<OpMap['ping']['result']>(ping)
    const i = resultOf<OpMap['info']['result']>(info)
    const s = resultOf<OpMap['stats']['result']>(stats)
    return {key: paths.key, answering: true, file: i.file ?? '', pagesize: s.pagesize, npages: s.npages, cached: s.cached, maxcache: s.maxcache, dirty: s.dirty, pinned: s.pinned, policy: s.policy, ...(s.journal ? {journal: true as const} : {}), pid: p.pid, format: i.format?.format ?? null, ...(i.fileChanged === undefined ? {} : {fileChanged: i.fileChanged})}
  } catch (err) {
    // ETIMEDOUT: there but silent; anything else (it went away meanwhile): not open any more
    return (err as MPoolError).code === 'ETIMEDOUT' ? silent(paths) : null
  } finally {
    connection.destroy()
  }
}

/** silent -- the listing of a pool whose socket is there but whose server did not answer: what its info file says. */
function silent(paths: PoolPaths): PoolListing | null {
  let info: {file?: unknown; pagesize?: unknown; maxcache?: unknown; policy?: unknown} = {}
  try {
    info = JSON.parse(fs.readFileSync(paths.info, 'utf8'))
  } catch {
    // no info file: a server that has not finished starting, or one that left only its socket
  }
  const pid = serverPid(paths)
  if (pid !== null && !isAlive(pid)) return null
  return {
    key: paths.key,
    answering: false,
    file: typeof info.file === 'string' ? info.file : '',
    pagesize: typeof info.pagesize === 'number' ? info.pagesize : 0,
    maxcache: typeof info.maxcache === 'number' ? info.maxcache : 0,
    policy: (typeof info.policy === 'string' ? info.policy : 'lru') as PolicyName,
    pid,
    format: null,
    npages: null,
    cached: null,
    dirty: null,
    pinned: null,
  }
}

type Probe = {state: 'live'; connection: Connection} | {state: 'stale'} | {state: 'none'}

/** probe -- whether a live server answers on the key's socket, a stale one is left, or there is nothing. */
async function probe(paths: PoolPaths): Promise<Probe> {
  let connection: Connection
  try {
    connection = await Connection.open(paths)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ECONNREFUSED') return {state: 'stale'}
    if (code === 'ENOENT') return fs.existsSync(paths.info) ? {state: 'stale'} : {state: 'none'}
    throw err instanceof MPoolError ? err : connectError(err, paths)
  }
  try {
    resultOf(await connection.send('ping', {}))
  } catch (err) {
    connection.destroy()
    if ((err as MPoolError).code === 'ETIMEDOUT') throw err
    // it went away between connect and ping: nobody serves this key any more
    return {state: 'stale'}
  }
  return {state: 'live', connection}
}

/** join -- the second and later opens of a key: hello, then join with our pagesize and maxcache (and the policy, hard limit or trace asked for, which the pool refuses if it cannot honour them). */
async function join(connection: Connection, options: OpenPoolOptions): Promise<PoolInfo> {
  try {
    const holder = defaultHolder()
    resultOf(await connection.send('hello', {pid: holder.pid, command: holder.command}))
    // Only what the opener asked for: a default must not be refused as unlike the pool's.
    const asked = {
      ...(options.policy === undefined ? {} : {policy: options.policy}),
      ...(options.hardLimit === true ? {hardLimit: true} : {}),
      ...(options.readahead === undefined ? {} : {readahead: options.readahead}),
      ...(options.writeBehind === true ? {writeBehind: true} : {}),
      ...(options.journal === true ? {journal: true} : {}),
      ...(options.record === undefined ? {} : {record: true}),
      ...(options.file === undefined ? {} : {file: path.resolve(options.file)}),
    }
    return resultOf<PoolInfo>(await connection.send('join', {pagesize: options.pagesize, maxcache: options.maxcache, ...asked}))
  } finally {
    await connection.end()
  }
}

/** cleanIfStale -- remove the key's socket and info file if, under its lock, the server is still found gone. */
async function cleanIfStale(paths: PoolPaths): Promise<void> {
  if (!tryLock(paths)) return // someone is starting or cleaning this key right now
  try {
    const found = await probe(paths)
    if (found.state === 'live') found.connection.destroy()
    else if (found.state === 'stale') removeStale(paths)
  } catch {
    // a server that does not answer is not stale: leave it
  } finally {
    unlock(paths)
  }
}

function removeStale(paths: PoolPaths): void {
  removeQuietly(paths.socket)
  removeQuietly(paths.info)
}

function resultOf<T>(reply: Reply): T {
  if (!reply.ok) throw fromWireError(reply.error)
  return reply.result as T
}

/* noSuchPool -- the error for a key nobody serves; a log left behind means its last server died (a close removes the log). */
function noSuchPool(key: string, open: string[], paths?: PoolPaths): MPoolError {
  const others = open.length === 0 ? '' : ` (open: ${open.join(', ')})`
  const died = paths !== undefined && fs.existsSync(paths.log) ? `; its last server ended without \`mpool close\`, see ${paths.log}` : ''
  return new MPoolError('ENOPOOL', `no pool with key ${key} is open${others}${died}; open one with \`mpool open FILE --key ${key}\``)
}

function connectError(err: unknown, paths: PoolPaths): MPoolError {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
  return new MPoolError(code, `cannot connect to the pool server for key ${paths.key} at ${paths.socket} (${code}): ${(err as Error).message}`)
}
