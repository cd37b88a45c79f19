/**
 * remote -- a PoolHandle on a pool hosted by a pool server.
 *
 * Each call is one request on the handle's connection; the server's error replies become
 * MPoolErrors with the server's code, message and page, so a caller cannot tell a remote
 * pool from a local one by its errors. Page bytes come back as copies (Buffers decoded from
 * base64). Events come over the same connection: subscribe() asks the server for them on the
 * first listener and stops them after the last.
 */
import {counted} from '../common/plural.js'
import {type CloseReport, type MPoolStats, MPoolError, type PoolEvent} from '../pool/index.js'
import {Connection} from './connection.js'
import {type FrameView, type PeekResult, type PinHolder, pinHolder, type PoolHandle, type PoolInfo, type PoolLayout, type PoolStats, type PutOptions} from './handle.js'
import {decodePage, decodePeek, encodeWrite, fromWireError, type HelloResult, maxRangePages, maxRequestBytes, type Op, type OpMap, PROTOCOL_VERSION} from './protocol.js'
import type {PoolPaths} from './runtime.js'

export interface RemoteConnectOptions {
  /** carry each call's events in its reply, into lastEvents */
  explain?: boolean
  /** who the pins taken through this handle are recorded as; default this process */
  holder?: PinHolder
  /** the deadline of every call, in ms; default clientTimeout() */
  timeoutMs?: number
}

export class RemotePool implements PoolHandle {
  lastEvents: readonly PoolEvent[] = []
  /** why calls are refused now: detached or closed */
  private ended: string | null = null
  /**
   * The hello's info while nothing else has been asked on this connection: the first info() or
   * layout() is answered with it, as the server would answer an info sent at once (one round
   * trip fewer for every verb, which asks for the pool's layout first). Any call clears it.
   */
  private helloInfo: PoolInfo | null

  private constructor(
    private readonly connection: Connection,
    readonly key: string,
    private readonly explain: boolean,
    /** the pool's info as of the hello */
    readonly opened: PoolInfo,
    /** the server's pid */
    readonly serverPid: number,
  ) {
    this.helloInfo = opened
  }

  /**
   * connect -- connect to the server of `paths` and say hello.
   *
   * @throws the raw connect error (ENOENT, ECONNREFUSED...) as Connection.open does; an
   *   MPoolError if the hello fails.
   */
  static async connect(paths: PoolPaths, options: RemoteConnectOptions = {}): Promise<RemotePool> {
    const connection = await Connection.open(paths, options.timeoutMs)
    try {
      const holder = options.holder ?? defaultHolder()
      const reply = await connection.send('hello', {pid: holder.pid, command: holder.command, explain: options.explain === true})
      if (!reply.ok) throw fromWireError(reply.error)
      const hello = reply.result as HelloResult
      if (hello.protocol !== PROTOCOL_VERSION) {
        throw new MPoolError('EPROTO', `the pool server for key ${paths.key} (pid ${hello.pid}) speaks protocol ${hello.protocol}, this mpool speaks ${PROTOCOL_VERSION}; stop it with kill ${hello.pid} (its pool is dropped without writing) and open it again`)
      }
      return new RemotePool(connection, paths.key, options.explain === true, hello.info, hello.pid)
    } catch (err) {
      connection.destroy()
      throw err
    }
  }

  /** waiting -- calls on this handle still waiting for the server's reply. */
  get waiting(): number {
    return this.connection.waiting
  }

  async info(): Promise<PoolInfo> {
    const fresh = this.helloInfo
    if (fresh === null || this.ended !== null) return this.call('info', {})
    this.helloInfo = null
    if (this.explain) this.lastEvents = [] // info causes no events
    return {...fresh}
  }

  /** layout -- the server's info (npages may move in another process): the hello's while nothing else was asked, else one round trip. */
  async layout(): Promise<PoolLayout> {
    return this.info()
  }

  async new(): Promise<{pgno: number; page: Buffer}> {
    const {pgno, page} = await this.call('new', {})
    return {pgno, page: decodePage(page)}
  }

  async get(pgno: number): Promise<Buffer> {
    return decodePage(await this.call('get', {pgno}))
  }

  /**
   * getRange -- one getRange request for a range that fits one reply (maxRangePages), else one
   * per part in turn; a part that fails has pinned nothing (the server puts back its own), and
   * the parts before it are put back here, so the range is still pinned whole or not at all.
   */
  async getRange(first: number, last: number): Promise<PeekResult[]> {
    const pages: PeekResult[] = []
    const events: PoolEvent[] = [] // every part's, so that lastEvents tells the whole range
    try {
      for (const [from, to] of rangeParts(first, last, maxRangePages(this.opened.pagesize, false))) {
        pages.push(...(await this.call('getRange', {first: from, last: to})).map(decodePeek))
        events.push(...this.lastEvents)
      }
    } catch (err) {
      events.push(...this.lastEvents)
      if (pages.length === 0 || !(err instanceof MPoolError) || this.ended !== null) throw err
      for (const {pgno} of pages) {
        await this.call('put', {pgno}).catch(() => undefined)
        events.push(...this.lastEvents)
      }
      if (this.explain) this.lastEvents = events
      throw new MPoolError(err.code, `${err.message}; get ${first}-${last} also put back pages ${first} to ${first + pages.length - 1}: nothing of the range is pinned`, err.pgno)
    }
    if (this.explain) this.lastEvents = events
    return pages
  }

  /** peekRange -- one peekRange request, or one per part when the range does not fit one reply. */
  async peekRange(first: number, last: number, options: {withFile?: boolean} = {}): Promise<PeekResult[]> {
    const withFile = options.withFile === true
    const pages: PeekResult[] = []
    for (const [from, to] of rangeParts(first, last, maxRangePages(this.opened.pagesize, withFile))) {
      pages.push(...(await this.call('peekRange', withFile ? {first: from, last: to, withFile} : {first: from, last: to})).map(decodePeek))
    }
    return pages
  }

  async put(pgno: number, options: PutOptions = {}): Promise<void> {
    const args: OpMap['put']['args'] = {pgno}
    if (options.dirty !== undefined) args.dirty = options.dirty
    if (options.write !== undefined) {
      const {offset, bytes} = options.write
      const pagesize = this.opened.pagesize
      // A write too big for the server's line limit is refused here, with the message the
      // server would give; anything smaller goes to the server, which checks the pin first.
      if (Math.ceil(bytes.length / 3) * 4 + 1024 > maxRequestBytes(pagesize)) {
        throw new MPoolError('EINVAL', `cannot write ${counted(bytes.length, 'byte')} at offset ${offset}: page ${pgno} has ${pagesize} bytes (offsets 0 to ${pagesize - 1}); nothing was written and the page is still pinned`, pgno)
      }
      args.write = encodeWrite(options.write)
    }
    await this.call('put', args)
  }

  async delete(pgno: number): Promise<void> {
    await this.call('delete', {pgno})
  }

  async sync(): Promise<number> {
    return this.call('sync', {})
  }

  async stats(): Promise<PoolStats> {
    return this.call('stats', {})
  }

  async frames(): Promise<FrameView[]> {
    return this.call('frames', {})
  }

  async policyState(): Promise<Record<string, unknown>> {
    return this.call('policyState', {})
  }

  async peek(pgno: number, options: {withFile?: boolean} = {}): Promise<PeekResult> {
    return decodePeek(await this.call('peek', options.withFile === true ? {pgno, withFile: true} : {pgno}))
  }

  /** close -- mpool_close for everyone: the server drops the pool (writing nothing), replies with what it dropped, and exits. */
  async close(): Promise<CloseReport> {
    const report = await this.call('close', {})
    this.ended = `pool ${this.key} is closed; open it again`
    this.connection.destroy()
    return report
  }

  /** onGone -- `listener` hears at once if the server dies under this handle (not after detach or close). */
  onGone(listener: (error: MPoolError) => void): () => void {
    return this.connection.onGone(listener)
  }

  /** detach -- end this connection; the pool, its pins and its other clients go on. */
  async detach(): Promise<void> {
    if (this.ended !== null) return
    this.ended = `this handle on pool ${this.key} is detached; connect again`
    await this.connection.end()
  }

  async subscribe(listener: (event: PoolEvent) => void): Promise<() => void> {
    const first = this.connection.listening === 0
    const stopLocal = this.connection.onEvent(listener)
    if (first) {
      try {
        await this.call('subscribe', {}, false)
      } catch (err) {
        stopLocal()
        throw err
      }
    }
    let stopped = false
    return () => {
      if (stopped) return
      stopped = true
      stopLocal()
      if (this.connection.listening === 0 && this.ended === null) {
        // Nobody waits for this reply; a failure only means the server is gone already.
        void this.call('unsubscribe', {}, false).catch(() => undefined)
      }
    }
  }

  /** call -- one request; `explained` false leaves lastEvents alone (for the handle's own bookkeeping requests). */
  private async call<O extends Op>(op: O, args: OpMap[O]['args'], explained = true): Promise<OpMap[O]['result']> {
    if (this.ended !== null) throw new MPoolError('ECLOSED', this.ended)
    this.helloInfo = null
    const reply = await this.connection.send(op, args)
    if (this.explain && explained) this.lastEvents = reply.events ?? []
    if (!reply.ok) throw fromWireError(reply.error)
    return reply.result as OpMap[O]['result']
  }
}

/** rangeParts -- first..last cut into parts of at most `most` pages (one part for a range out of order: the server refuses it). */
function rangeParts(first: number, last: number, most: number): Array<[number, number]> {
  if (last < first) return [[first, last]]
  const parts: Array<[number, number]> = []
  for (let from = first; from <= last; from += most) parts.push([from, Math.min(last, from + most - 1)])
  return parts
}

/** defaultHolder -- this process, named by its command line as `mpool ARGS`. */
export function defaultHolder(): PinHolder {
  return pinHolder()
}
