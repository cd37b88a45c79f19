/**
 * server -- the pool server: one pool, many clients, one request at a time.
 *
 * The server is the pool's only owner. Every line a client sends goes into one queue for the
 * whole server and is answered in turn, run to completion before the next is looked at, so two
 * scripts at once cannot interleave inside an engine call; replies on a connection come back in
 * the order its lines were sent. A pin belongs to the pool, not to the connection: a client that
 * goes away leaves its pins, marked with the pid and command it gave in its hello, for a later
 * `put` (from any client) to give back.
 *
 * Events: the server listens to the pool only while someone wants events (a subscriber or a
 * connection that asked to `explain`), so an unwatched pool pays nothing. The events of one
 * request are gathered, pushed to every subscriber in one write, then returned in the reply
 * to an explaining caller. A subscriber that stops reading is cut off once MAX_BACKLOG bytes
 * wait for it: a slow watcher must not grow the server without bound.
 *
 * Bad input: a line that is not JSON, not a request, or longer than maxRequestBytes(pagesize)
 * gets an error reply and the connection goes on; the server never stops for a client's
 * mistake. A client that sends faster than it reads is paused after MAX_PENDING lines.
 *
 * Ending: `close` drops the pool (writing nothing, as mpool_close), removes the socket and the
 * info file so that a new `open` starts afresh, replies with the CloseReport, answers what was
 * still queued with ECLOSED, and ends every connection. shutdown() does the same for signals.
 */
import fs from 'node:fs'
import net from 'node:net'
import {MPoolError, type PolicyName, type PoolEvent} from '../pool/index.js'
import type {PinHolder} from './handle.js'
import type {LocalPool} from './local.js'
import {
  type Checked,
  checkRequest,
  decodeWrite,
  encodeLine,
  encodePage,
  encodePeek,
  LineSplitter,
  maxRangePages,
  maxRequestBytes,
  type Op,
  type OpMap,
  PROTOCOL_VERSION,
  type Reply,
  type Request,
  toWireError,
} from './protocol.js'
import {type PoolPaths, removeQuietly, writeInfoFile} from './runtime.js'

/** Lines a connection may have waiting for replies before the server stops reading it. */
const MAX_PENDING = 64
/** Bytes of unsent output a connection may pile up before it is cut off. */
const MAX_BACKLOG = 64 << 20
/** How long ending connections may take at shutdown before they are cut. */
const END_GRACE_MS = 1000

/** The holder recorded for pins taken by a connection that never said hello. */
const ANONYMOUS: PinHolder = {pid: 0, command: '(client without hello)'}

class Client {
  holder: PinHolder = ANONYMOUS
  explain = false
  subscribed = false
  /** the client has sent its last line (half-close): end our side once it is answered */
  ended = false
  /** lines read and not yet answered */
  pending = 0
  readonly splitter: LineSplitter

  constructor(
    readonly socket: net.Socket,
    readonly id: number,
    maxBytes: number,
    onLine: (client: Client, line: string) => void,
    onOversize: (client: Client, bytes: number) => void,
  ) {
    this.splitter = new LineSplitter(maxBytes, (line) => onLine(this, line), (bytes) => onOversize(this, bytes))
  }

  get open(): boolean {
    return !this.socket.destroyed && this.socket.writable
  }

  send(text: string): void {
    if (!this.open) return
    this.socket.write(text)
  }
}

interface Job {
  client: Client
  checked: Checked
}

/**
 * The server's life, one state at a time:
 *
 *   serving ──close op / signal──► closed ──finish──► ending
 *
 * `closed`: the pool is dropped (requests still queued get ECLOSED); `ending`: the socket is
 * gone and connections are being ended. `by` remembers who ended it: after a client's close
 * the log is removed, after a signal it is kept to tell what was dropped.
 */
type ServerState = {phase: 'serving'} | {phase: 'closed' | 'ending'; by: 'client' | 'signal'}

/** One op's handler: its arguments as the protocol typed them, the result as it goes on the wire. */
type Handler<O extends Op> = (client: Client, args: OpMap[O]['args']) => Promise<OpMap[O]['result']> | OpMap[O]['result']
type Handlers = {[O in Op]: Handler<O>}

export interface PoolServerOptions {
  paths: PoolPaths
  /** the pool, opened with the key; the server owns it from now on */
  pool: LocalPool
  /** one line for the server's log */
  log: (line: string) => void
}

export class PoolServer {
  private readonly paths: PoolPaths
  private readonly pool: LocalPool
  private readonly log: (line: string) => void
  private readonly server: net.Server
  private readonly clients = new Set<Client>()
  private readonly queue: Job[] = []
  private readonly maxLine: number
  private running = false
  private clientSerial = 0
  /** stops the pool listener; null while nobody wants events */
  private stopEvents: (() => void) | null = null
  /** events of the request being run, while someone wants them */
  private gathered: PoolEvent[] = []
  private state: ServerState = {phase: 'serving'}
  private resolveDone!: (code: number) => void
  /** resolves with the exit code once the server has ended every connection */
  readonly done: Promise<number>

  constructor(options: PoolServerOptions) {
    this.paths = options.paths
    this.pool = options.pool
    this.log = options.log
    this.maxLine = maxRequestBytes(this.pool.pagesize)
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve
    })
    // allowHalfOpen: a client may send its lines and shut its side; it still gets every reply.
    this.server = net.createServer({allowHalfOpen: true}, (socket) => this.accept(socket))
  }

  /**
   * listen -- bind the socket (mode 0600), then write the info file. Fails with EADDRINUSE if a
   * socket is already there: the caller decides whether it is stale.
   */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err)
      this.server.once('error', onError)
      this.server.listen(this.paths.socket, () => {
        this.server.off('error', onError)
        resolve()
      })
    })
    this.server.on('error', (err) => this.log(`socket error: ${err.message}`))
    fs.chmodSync(this.paths.socket, 0o600)
    await this.writeInfo()
    this.log(`listening on ${this.paths.socket} (pid ${process.pid})`)
  }

  /**
   * shutdown -- end the server for a reason other than a client's close (a signal): drop the pool
   * without writing (mpool_close writes nothing), say what was dropped in the log, end all
   * connections. Resolves when done resolves.
   */
  async shutdown(reason: string): Promise<number> {
    if (this.state.phase === 'serving') {
      const report = await this.pool.close()
      this.state = {phase: 'closed', by: 'signal'}
      this.flushEvents()
      this.log(`${reason}: closing the pool without writing (mpool_close writes nothing): dropped ${report.dirty.length} dirty page(s) [${report.dirty.join(', ')}], ${report.pinned.length} page(s) still pinned [${report.pinned.join(', ')}]`)
    }
    this.finish(0)
    return this.done
  }

  /** closedByClient -- whether a client's close ended the server (not a signal). */
  get closedByClient(): boolean {
    return this.state.phase !== 'serving' && this.state.by === 'client'
  }

  private async writeInfo(): Promise<void> {
    const info = await this.pool.info()
    writeInfoFile(this.paths, {key: this.paths.key, file: this.pool.file, pagesize: info.pagesize, maxcache: info.maxcache, policy: info.policy, pid: process.pid})
  }

  private accept(socket: net.Socket): void {
    if (this.state.phase === 'ending') {
      socket.destroy()
      return
    }
    const client = new Client(socket, ++this.clientSerial, this.maxLine, (c, line) => this.onLine(c, line), (c, bytes) => this.onOversize(c, bytes))
    this.clients.add(client)
    socket.on('data', (chunk: Buffer) => client.splitter.push(chunk))
    socket.on('end', () => {
      client.ended = true
      if (client.pending === 0) socket.end()
    })
    socket.on('error', () => {
      // a client that vanished mid-write: 'close' follows and cleans up
    })
    socket.on('close', () => {
      this.clients.delete(client)
      this.updateListening()
    })
  }

  /** onLine -- one line read: checked, then queued. Nothing a line holds may throw out of here. */
  private onLine(client: Client, line: string): void {
    let checked: Checked
    try {
      checked = checkRequest(JSON.parse(line))
    } catch (err) {
      const why = err instanceof SyntaxError ? `not JSON (${clip(err.message)})` : `unreadable (${clip(String((err as Error)?.message ?? err))})`
      checked = {ok: false, id: null, error: {code: 'EPROTO', message: `bad request: ${why}; send one JSON object per line`}}
    }
    this.enqueue(client, checked)
  }

  private onOversize(client: Client, bytes: number): void {
    this.enqueue(client, {ok: false, id: null, error: {code: 'E2BIG', message: `bad request: a line of more than ${bytes} bytes, over this pool's limit of ${this.maxLine}; it was ignored up to its newline`}})
  }

  private enqueue(client: Client, checked: Checked): void {
    client.pending++
    if (client.pending >= MAX_PENDING) client.socket.pause()
    this.queue.push({client, checked})
    if (!this.running) void this.pump()
  }

  /** pump -- run queued jobs one at a time, each to completion. */
  private async pump(): Promise<void> {
    this.running = true
    try {
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        await this.run(job)
      }
    } finally {
      this.running = false
    }
  }

  private async run({client, checked}: Job): Promise<void> {
    let reply: Reply
    let closing = false
    if (!checked.ok) {
      reply = {id: checked.id, ok: false, error: checked.error}
    } else if (this.state.phase !== 'serving') {
      reply = {id: checked.request.id, ok: false, error: {code: 'ECLOSED', message: `pool ${JSON.stringify(this.paths.key)} was closed; open it again`}}
    } else {
      const request = checked.request
      this.gathered = []
      this.pool.holder = client.holder
      try {
        const result = await this.dispatch(client, request)
        reply = {id: request.id, ok: true, result: result ?? null}
        closing = request.op === 'close'
      } catch (err) {
        reply = {id: request.id, ok: false, error: toWireError(err)}
        if (!(err instanceof MPoolError)) this.log(`${request.op} failed unexpectedly: ${(err as Error)?.stack ?? String(err)}`)
      }
      if (client.explain) reply.events = this.gathered
      this.flushEvents()
    }
    let line: string
    try {
      line = encodeLine(reply)
    } catch (err) {
      // a result that cannot be written as JSON is this request's failure, not the server's
      this.log(`a reply could not be encoded: ${(err as Error)?.stack ?? String(err)}`)
      line = encodeLine({id: reply.id, ok: false, error: toWireError(err)})
    }
    client.send(line)
    client.pending--
    if (client.pending < MAX_PENDING / 4 && client.socket.isPaused()) client.socket.resume()
    if (client.ended && client.pending === 0) client.socket.end()
    if (client.socket.writableLength > MAX_BACKLOG) this.cutOff(client, 'it does not read its replies')
    if (closing) this.finish(0)
  }

  /** checkRangeSize -- refuse (EINVAL) a range whose reply would carry more than MAX_RANGE_BYTES of pages. */
  private checkRangeSize(first: number, last: number, withFile: boolean): void {
    const most = maxRangePages(this.pool.pagesize, withFile)
    if (last >= first && last - first + 1 > most) {
      throw new MPoolError('EINVAL', `a range request asks for ${last - first + 1} pages (${first} to ${last}); one request takes at most ${most} pages of ${this.pool.pagesize} bytes, so ask for the rest in another; nothing was touched`)
    }
  }

  /** dispatch -- one request to its op's handler. */
  private async dispatch<O extends Op>(client: Client, request: Request<O>): Promise<OpMap[O]['result']> {
    const handler = this.handlers[request.op] as Handler<O>
    return handler(client, request.args)
  }

  /** The ops: each one engine call through the LocalPool (or the server's own bookkeeping), results made JSON-safe. */
  private readonly handlers: Handlers = {
    hello: async (client, args) => {
      client.holder = {pid: args.pid, command: args.command}
      client.explain = args.explain === true
      this.updateListening()
      return {info: await this.pool.info(), pid: process.pid, protocol: PROTOCOL_VERSION}
    },
    join: async (client, {pagesize, maxcache, policy, hardLimit, readahead, writeBehind, journal, record, file}) => {
      if (file !== undefined) this.checkSameFile(file)
      // A trace records a pool from its start: a joiner cannot begin one halfway.
      if (record === true) {
        throw new MPoolError('EINVAL', `pool ${this.paths.key} is already open, and --record starts with a pool; close it and open it again with --record`)
      }
      // The man page's rules, applied by the engine's keyed open: a larger maxcache wins,
      // another pagesize (or a policy or hard limit asked for and unlike the pool's) is EINVAL.
      this.pool.join({
        pagesize, maxcache,
        ...(policy === undefined ? {} : {policy: policy as PolicyName}),
        ...(hardLimit === undefined ? {} : {hardLimit}),
        ...(readahead === undefined ? {} : {readahead}),
        ...(writeBehind === undefined ? {} : {writeBehind}),
        ...(journal === undefined ? {} : {journal}),
      })
      await this.writeInfo()
      this.log(`joined by pid ${client.holder.pid} (${client.holder.command}) with maxcache ${maxcache}`)
      return this.pool.info()
    },
    info: () => this.pool.info(),
    new: async () => {
      const {pgno, page} = await this.pool.new()
      return {pgno, page: encodePage(page)}
    },
    // encoded straight from the cache: no copy of the page, and no Buffer kept per frame (a
    // server holding 65536 pages would otherwise keep 65536 objects on its heap)
    get: (_client, {pgno}) => this.pool.getWith(pgno, encodePage),
    // a range in one reply, up to MAX_RANGE_BYTES of pages: larger ones are refused before anything is touched (clients ask in parts)
    getRange: async (_client, {first, last}) => {
      this.checkRangeSize(first, last, false)
      return (await this.pool.getRange(first, last)).map(encodePeek)
    },
    put: async (_client, {pgno, dirty, write}) => {
      await this.pool.put(pgno, {...(dirty === undefined ? {} : {dirty}), ...(write === undefined ? {} : {write: decodeWrite(write)})})
      return null
    },
    delete: async (_client, {pgno}) => {
      await this.pool.delete(pgno)
      return null
    },
    sync: () => this.pool.sync(),
    stats: () => this.pool.stats(),
    frames: () => this.pool.frames(),
    policyState: () => this.pool.policyState(),
    peek: async (_client, {pgno, withFile}) => encodePeek(await this.pool.peek(pgno, {withFile: withFile === true})),
    peekRange: async (_client, {first, last, withFile}) => {
      this.checkRangeSize(first, last, withFile === true)
      return (await this.pool.peekRange(first, last, {withFile: withFile === true})).map(encodePeek)
    },
    subscribe: (client) => {
      client.subscribed = true
      this.updateListening()
      return null
    },
    unsubscribe: (client) => {
      client.subscribed = false
      this.updateListening()
      return null
    },
    close: async (client) => {
      const report = await this.pool.close()
      this.state = {phase: 'closed', by: 'client'}
      // Gone from the directory before the reply: a client that saw the reply and opens the
      // key again starts a fresh server instead of finding this one on its way out.
      this.unpublish()
      this.log(`closed by pid ${client.holder.pid} (${client.holder.command}): dropped ${report.dirty.length} dirty page(s), ${report.pinned.length} page(s) still pinned`)
      return report
    },
    ping: () => ({pid: process.pid}),
  }

  /**
   * checkSameFile -- a join names the pool's own file (the same device and inode, whatever the
   * path), or it is refused: `cd k2 && mpool open data.db` must not edit k1/data.db because both
   * derive the key data.
   */
  private checkSameFile(file: string): void {
    const mine = this.pool.fileStat()
    let theirs: fs.Stats | null = null
    try {
      theirs = fs.statSync(file)
    } catch {
      // missing or unreachable: not the pool's file
    }
    if (theirs !== null && theirs.dev === mine.dev && theirs.ino === mine.ino) return
    throw new MPoolError(
      'EINVAL',
      `pool ${this.paths.key} holds ${this.pool.file}, not ${file}; to open a second pool over ${file}, give it a key of its own (mpool open ${file} --key KEY), or leave out FILE to join ${this.paths.key}`,
    )
  }

  /** updateListening -- listen to the pool exactly while a subscriber or an explaining client is connected. */
  private updateListening(): void {
    if (this.state.phase !== 'serving') return
    let wanted = false
    for (const c of this.clients) {
      if (c.subscribed || c.explain) {
        wanted = true
        break
      }
    }
    if (wanted && this.stopEvents === null) {
      this.stopEvents = this.pool.onEvent((event) => this.gathered.push(event))
    } else if (!wanted && this.stopEvents !== null) {
      this.stopEvents()
      this.stopEvents = null
    }
  }

  /** flushEvents -- push the gathered events to every subscriber, one write each. */
  private flushEvents(): void {
    const events = this.gathered
    if (events.length === 0) return
    let text: string | null = null
    for (const c of this.clients) {
      if (!c.subscribed || !c.open) continue
      text ??= events.map((event) => encodeLine({event})).join('')
      c.send(text)
      if (c.socket.writableLength > MAX_BACKLOG) this.cutOff(c, 'it does not read its events')
    }
  }

  private cutOff(client: Client, why: string): void {
    this.log(`cutting off pid ${client.holder.pid} (${client.holder.command}): ${why}, ${client.socket.writableLength} bytes wait for it`)
    client.socket.destroy()
  }

  /** unpublish -- stop accepting and remove the socket and info file. */
  private unpublish(): void {
    if (this.server.listening) this.server.close()
    removeQuietly(this.paths.socket)
    removeQuietly(this.paths.info)
  }

  /** finish -- answer what is still queued (the pool is closed), end every connection, then resolve done. */
  private finish(code: number): void {
    if (this.state.phase === 'ending') return
    this.state = {phase: 'ending', by: this.state.phase === 'closed' ? this.state.by : 'signal'}
    this.unpublish()
    void (async () => {
      // what is queued still gets its reply (ECLOSED) before the connections end
      while (this.running || this.queue.length > 0) await new Promise((r) => setImmediate(r))
      const ended = [...this.clients].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.socket.destroyed) return resolve()
            c.socket.once('close', () => resolve())
            c.socket.end()
          }),
      )
      const grace = new Promise<void>((resolve) => setTimeout(resolve, END_GRACE_MS).unref())
      await Promise.race([Promise.all(ended), grace])
      for (const c of this.clients) c.socket.destroy()
      this.log('server exits')
      this.resolveDone(code)
    })()
  }
}

/** clip -- a message from the JSON parser, which quotes the input, cut to one short line. */
function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ')
  return line.length > 120 ? `${line.slice(0, 117)}...` : line
}
