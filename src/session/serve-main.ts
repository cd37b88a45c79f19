/**
 * serve-main -- the pool server process: `node serve-main.js '<ServeOptions as JSON>'`.
 *
 * Started detached by startServer (spawn.ts) with stderr going to K.log and an IPC channel
 * for one message: {ready, info} once the pool is open and the socket listens, or {error}
 * if the pool could not be opened (a missing file, a FIFO, a bad pagesize...). The error is
 * the engine's own, so `mpool open` prints the same line as an in-process open would; the
 * process then exits, leaving nothing behind. After ready it drops the channel and lives on
 * its socket until a client's close, SIGTERM or SIGINT, which drop the pool without writing
 * (mpool_close writes nothing) and remove the socket and the info file. The log is removed
 * after a client's close, and kept after a signal or a crash, to tell what happened.
 */
import type {Recorder} from '../workload/recorder.js'
import {claimFile, type FileLock} from './file-lock.js'
import {LocalPool} from './local.js'
import {toWireError} from './protocol.js'
import {checkRuntimeDir, poolPaths, removeQuietly, type PoolPaths} from './runtime.js'
import {PoolServer} from './server.js'
import type {ServeOptions} from './spawn.js'
import {MPoolError} from '../pool/index.js'

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`)
}

/** tell -- send the one handshake message to the parent and wait until it is written. */
function tell(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve()
    process.send(message, undefined, {}, () => resolve())
  })
}

/** Why a trace file could not be made, in words, by errno code. */
const RECORD_REASONS: Record<string, string> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EEXIST: 'it exists, and a recording never writes over a file; give --force to replace it',
  ELOOP: 'it is a symlink, and a recording never follows one',
}

/** startRecording -- the recorder for --record FILE, or an MPoolError saying in one line why FILE cannot be written. */
function startRecording(pool: LocalPool, file: string, force: boolean): Recorder {
  try {
    return pool.record(file, {force})
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
    const why = RECORD_REASONS[code] ?? (err as Error).message
    throw new MPoolError(code, `cannot record to ${file}: ${why}; give --record the path of a new trace file`)
  }
}

async function main(): Promise<number> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServeOptions
  process.title = `mpool-server ${options.key}`
  // Whatever this process makes (socket, info file) is for this user alone.
  process.umask(0o077)

  let paths: PoolPaths
  let pool: LocalPool
  let server: PoolServer
  let recorder: Recorder | null = null
  let claim: FileLock | null = null
  try {
    const dir = checkRuntimeDir(options.dir)
    if (dir === null) throw new MPoolError('ENOENT', `the runtime directory ${options.dir} is gone`)
    paths = poolPaths(dir, options.key)
    pool = LocalPool.open(options.file, {
      key: options.key,
      pagesize: options.pagesize,
      maxcache: options.maxcache,
      create: options.create === true,
      hardLimit: options.hardLimit === true,
      ...(options.readahead === undefined ? {} : {readahead: options.readahead}),
      writeBehind: options.writeBehind === true,
      journal: options.journal === true,
      policy: options.policy,
      format: options.format ?? null,
      ...(options.umask === undefined ? {} : {umask: options.umask}),
    })
  } catch (err) {
    log(`cannot open the pool: ${(err as Error).message}`)
    await tell({error: toWireError(err)})
    return 1
  }
  try {
    // One file, one pool: refused here, before anyone is served, if another key holds FILE.
    claim = claimFile(pool.fileStat(), pool.file ?? options.file, options.key, paths.dir)
  } catch (err) {
    log(`cannot open the pool: ${(err as Error).message}`)
    await pool.close()
    await tell({error: toWireError(err)})
    return 1
  }
  try {
    if (options.record !== undefined) {
      recorder = startRecording(pool, options.record, options.force === true)
      log(`recording accesses to ${options.record}`)
    }
    server = new PoolServer({paths, pool, log})
    await server.listen()
  } catch (err) {
    log(`cannot serve the pool: ${(err as Error).message}`)
    recorder?.close()
    await pool.close()
    claim.release()
    await tell({error: toWireError(err)})
    return 1
  }

  const info = await pool.info()
  log(`serving ${info.file} as ${options.key}: pagesize ${info.pagesize}, maxcache ${info.maxcache}, policy ${info.policy}${info.hardLimit ? ', hard limit' : ''}${info.readahead === undefined ? '' : `, readahead ${info.readahead}`}${info.writeBehind === true ? ', write-behind' : ''}${info.journal === true ? ', journal' : ''}`)
  if (info.recovered !== undefined) log(info.recovered)
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void server.shutdown(signal))
  }
  process.on('uncaughtException', (err) => {
    log(`internal error, exiting: ${err.stack ?? err.message}`)
    removeQuietly(paths.socket)
    removeQuietly(paths.info)
    claim?.release()
    process.exit(70)
  })
  await tell({ready: true, info})
  if (process.connected) process.disconnect()
  const code = await server.done
  recorder?.close()
  claim.release()
  // After a client's close the log has nothing the client was not told; after a signal it
  // explains what happened (what was dropped), so it stays until the key is opened again.
  if (server.closedByClient) removeQuietly(paths.log)
  return code
}

process.exitCode = await main()
// Nothing should be left to run; exit explicitly so a stray handle cannot keep a closed server alive.
process.exit()
