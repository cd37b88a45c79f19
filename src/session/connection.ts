/**
 * connection -- the client end of one socket to a pool server.
 *
 * Requests are numbered and may be many at once; replies are matched by id (the server answers
 * a connection's lines in order, so a reply the server could not give an id, id null, belongs
 * to the oldest request still waiting). Event lines go to the event listeners. If the socket
 * closes with requests waiting, each is rejected with ECONNRESET: the server went away.
 *
 * Every request has a deadline (the connection's timeoutMs, see deadline.ts): a reply that does
 * not come in time fails the connection with ETIMEDOUT naming the server's pid, and everything
 * still waiting with it, since the replies that come later would answer nobody.
 *
 * The socket keeps the process alive only while a request is waiting or someone listens for
 * events, so a command that forgets to detach still exits.
 */
import net from 'node:net'
import {MPoolError, type PoolEvent} from '../pool/index.js'
import {checkServerMessage, encodeLine, LineSplitter, MAX_REPLY_BYTES, type Op, type OpMap, type Reply} from './protocol.js'
import {clientTimeout, notAnswering} from './deadline.js'
import type {PoolPaths} from './runtime.js'

interface Waiting {
  resolve: (reply: Reply) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

export class Connection {
  private nextId = 1
  private readonly pendingReplies = new Map<number, Waiting>()
  private readonly listeners = new Set<(event: PoolEvent) => void>()
  /** why the connection is no longer usable, once it is not */
  private failure: MPoolError | null = null
  /** end() was called: the socket keeps the process alive until it is closed */
  private ending = false
  /** destroy() was called: the close that follows is ours */
  private dropped = false
  /** told when the server closes the connection without being asked to (it died) */
  private readonly goneListeners = new Set<(error: MPoolError) => void>()
  private readonly closed: Promise<void>

  private constructor(
    private readonly socket: net.Socket,
    private readonly paths: PoolPaths,
    /** how long each request may wait for its reply */
    readonly timeoutMs: number,
  ) {
    const key = paths.key
    const splitter = new LineSplitter(MAX_REPLY_BYTES, (line) => this.onLine(line), (bytes) =>
      this.fail(new MPoolError('EPROTO', `the pool server for key ${key} sent a line of more than ${bytes} bytes; the connection was dropped`)),
    )
    socket.on('data', (chunk: Buffer) => splitter.push(chunk))
    socket.on('error', () => {
      // 'close' follows and rejects what is waiting
    })
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        const gone = this.failure === null && !this.ending && !this.dropped
        this.fail(new MPoolError('ECONNRESET', `the pool server for key ${key} went away; open the pool again`))
        if (gone) for (const listener of this.goneListeners) listener(this.failure!)
        resolve()
      }),
    )
    this.updateRef()
  }

  /**
   * open -- connect to the server of `paths`.
   *
   * @throws the raw connect error (ENOENT: no socket; ECONNREFUSED: nobody listens, a stale
   *   socket; EACCES...) so that callers can tell a stale pool from a missing one; ETIMEDOUT
   *   (naming the server's pid) if the connect does not finish within `timeoutMs`, which is
   *   also the deadline of every request on the connection.
   */
  static open(paths: PoolPaths, timeoutMs = clientTimeout()): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(paths.socket)
      const timer = setTimeout(() => {
        socket.destroy()
        reject(notAnswering(paths, timeoutMs))
      }, timeoutMs)
      socket.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        resolve(new Connection(socket, paths, timeoutMs))
      })
    })
  }

  /** send -- one request; resolves with its reply, ok or not. Rejects only if the connection fails. */
  send<O extends Op>(op: O, args: OpMap[O]['args']): Promise<Reply> {
    if (this.failure !== null) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(notAnswering(this.paths, this.timeoutMs)), this.timeoutMs)
      this.pendingReplies.set(id, {resolve, reject, timer})
      this.updateRef()
      this.socket.write(encodeLine({id, op, args}))
    })
  }

  /** onEvent -- call `listener` with each event the server pushes; returns the function that stops it. */
  onEvent(listener: (event: PoolEvent) => void): () => void {
    this.listeners.add(listener)
    this.updateRef()
    return () => {
      this.listeners.delete(listener)
      this.updateRef()
    }
  }

  /** The key of the pool this connection reaches. */
  get key(): string {
    return this.paths.key
  }

  /** waiting -- how many requests wait for their reply. */
  get waiting(): number {
    return this.pendingReplies.size
  }

  /** listening -- how many event listeners there are. */
  get listening(): number {
    return this.listeners.size
  }

  /** end -- close the connection politely (after what was sent) and wait until it is closed. */
  async end(): Promise<void> {
    this.ending = true
    this.updateRef()
    if (!this.socket.destroyed) this.socket.end()
    await this.closed
  }

  /** destroy -- close the connection now. */
  destroy(): void {
    this.dropped = true
    this.socket.destroy()
  }

  /**
   * onGone -- call `listener` once, at once, if the server closes the connection when nobody
   * asked it to (it was killed, or crashed): the socket closing is the news, no call needed.
   * Not called after end() or destroy(). Returns the function that stops it.
   */
  onGone(listener: (error: MPoolError) => void): () => void {
    this.goneListeners.add(listener)
    return () => this.goneListeners.delete(listener)
  }

  private onLine(line: string): void {
    let message
    try {
      message = checkServerMessage(JSON.parse(line))
    } catch (err) {
      this.fail(err instanceof MPoolError ? err : new MPoolError('EPROTO', `the pool server for key ${this.key} sent a line that is not JSON: ${(err as Error).message}`))
      return
    }
    if ('event' in message) {
      for (const listener of this.listeners) listener(message.event)
      return
    }
    // id null: a line the server could not read an id from; ours are answered in order.
    const id = message.id ?? this.pendingReplies.keys().next().value
    if (id === undefined) return
    const waiting = this.pendingReplies.get(id)
    if (waiting === undefined) return
    this.pendingReplies.delete(id)
    clearTimeout(waiting.timer)
    this.updateRef()
    waiting.resolve(message)
  }

  /** fail -- reject every waiting request with `err`, and all later ones; drop the socket. */
  private fail(err: MPoolError): void {
    this.failure ??= err
    for (const waiting of this.pendingReplies.values()) {
      clearTimeout(waiting.timer)
      waiting.reject(this.failure)
    }
    this.pendingReplies.clear()
    this.socket.destroy()
  }

  private updateRef(): void {
    if (this.pendingReplies.size > 0 || this.listeners.size > 0 || this.ending) this.socket.ref()
    else this.socket.unref()
  }
}
