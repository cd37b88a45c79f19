/**
 * watcher -- keeps a picture of a pool (stats, frames in eviction order, policy state, the page
 * on show) up to date from the pool's events, for the REPL to draw.
 *
 *   pool events ──► note baselines (read: peek the page as read; new: zeros)
 *               ──► sort: this REPL's own command, or somebody else's (shared pools)
 *               ──► schedule one refresh ──(coalesceMs)──► stats + frames + policy + peek ──► picture
 *
 * Policy, in a sentence each:
 *  - A burst of events costs one refresh: the first event arms a short timer, the events that
 *    follow ride on it, and events during a refresh make exactly one more. With coalesceMs at
 *    16 a change shows well within 100 ms.
 *  - The page as read is kept per page (a peek taken right after its read event, or zeros for a
 *    new page), so the hex pane can show which bytes changed since; a later read replaces it.
 *  - In a shared pool every event arrives through the subscription, ours too: the events the
 *    REPL's own command returned are matched and dropped, the rest are handed on in bursts as
 *    somebody else's, to be narrated as such.
 *  - Reading the picture never changes the pool: peek, stats and frames move no pin, recency
 *    or counter.
 *  - Each cached page carries its label (its kind in the file's format, see labels.ts), computed
 *    when the page changes; the page on show is decoded only while the decoded view is wanted.
 */
import {formatOf, type DecodedPage} from '../formats/index.js'
import type {MPoolStats, PoolEvent} from '../pool/index.js'
import type {FrameView, PoolHandle, PoolLayout} from '../session/handle.js'
import {decodePage, withPoolPages} from '../verbs/formats.js'
import {PageLabeler, type PageLabel} from './labels.js'

/** The page the hex pane shows. */
export interface PageView {
  pgno: number
  bytes: Buffer
  /** the page as it was read (zeros for a new page); undefined if it was read before we watched */
  baseline: Buffer | undefined
  cached: boolean
  dirty: boolean
  pins: number
  frame: number
  /** the page decoded by its file's format, when the decoded view is on and the file has one */
  decoded?: DecodedPage
}

export interface PoolPicture {
  info: PoolLayout
  stats: MPoolStats
  /** cached pages in eviction order, the next victim (pins aside) first */
  frames: FrameView[]
  /** the policy's own state (clock hand, ARC's lists), as the pool describes it */
  policy: Record<string, unknown>
  page: PageView | null
  /** each cached page's kind (and owner) in the file's format; empty for a plain page file */
  labels: ReadonlyMap<number, PageLabel>
  /** why the page could not be shown, if it could not */
  pageError: string | null
}

export interface WatcherOptions {
  /** whether others use this pool too: their events are then told apart from ours */
  shared: boolean
  /** how long a burst of events is gathered before one refresh */
  coalesceMs?: number
  /** how long our own events are still expected after our command returned */
  ownGraceMs?: number
}

/** What the watcher tells its user besides a new picture. */
export interface WatcherHandlers {
  /** events somebody else caused, one burst at a time (shared pools) */
  onOthers?: (events: PoolEvent[]) => void
  /** the pool was closed by somebody else (our own close is our command's business) */
  onClosed?: (event: Extract<PoolEvent, {type: 'close'}>) => void
  /** a refresh failed */
  onError?: (error: Error) => void
  /** the pool's server died under us (its socket closed): the picture is of a pool that is no more */
  onGone?: (error: Error) => void
}

/** The event types that say which page was touched last. */
const TOUCHES = new Set<PoolEvent['type']>(['hit', 'miss', 'read', 'pin', 'unpin', 'new', 'delete'])

/** touchedPage -- the page the last of `events` was about (not a victim written or evicted for it), or null. */
export function touchedPage(events: readonly PoolEvent[]): number | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (TOUCHES.has(e.type) && 'pgno' in e) return e.pgno
  }
  return null
}

export class PoolWatcher {
  picture: PoolPicture | null = null
  /** the page to show: set by the REPL from the selection or the last page touched */
  private pageTarget: number | null = null
  private readonly baselines = new Map<number, Buffer>()
  /** made at the first refresh, from the format the pool's opener detected */
  private labeler: PageLabeler | null = null
  /** whether the page on show is to be decoded (the REPL's decoded view) */
  private decoding = false
  private readonly listeners = new Set<() => void>()
  private unsubscribe: (() => void) | null = null
  private timer: NodeJS.Timeout | null = null
  private refreshing = false
  private again = false
  /** callers of refresh() waiting for a picture taken after they asked */
  private waiting: Array<() => void> = []
  private stopped = false
  // own / others sorting, for shared pools
  private running = false
  private during: PoolEvent[] = []
  private expected: {key: string; until: number}[] = []
  private others: PoolEvent[] = []
  private handlers: WatcherHandlers = {}
  private stopGone: (() => void) | null = null
  /** why the pool is no more, once its server died */
  gone: Error | null = null

  constructor(
    private readonly pool: PoolHandle,
    private readonly options: WatcherOptions,
  ) {}

  /** start -- subscribe to the pool's events and take the first picture. */
  async start(): Promise<void> {
    // The socket closing is the news of a dead server, at once: no refresh has to fail first.
    this.stopGone = this.pool.onGone?.((error) => {
      if (this.stopped) return
      this.gone = error
      this.stop()
      this.handlers.onGone?.(error)
    }) ?? null
    this.unsubscribe = await this.pool.subscribe((event) => this.onEvent(event))
    await this.refresh()
  }

  /** setHandlers -- who hears of others' events, the pool closing and failed refreshes. */
  setHandlers(handlers: WatcherHandlers): void {
    this.handlers = handlers
    if (this.gone !== null) handlers.onGone?.(this.gone) // it died before anyone listened
  }

  /** stop -- no more events or refreshes; the pool is left as it is. */
  stop(): void {
    this.stopped = true
    for (const resolve of this.waiting.splice(0)) resolve()
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.unsubscribe?.()
    this.unsubscribe = null
    this.stopGone?.()
    this.stopGone = null
  }

  /** onChange -- call `listener` after each new picture (useSyncExternalStore's subscribe). */
  onChange = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** current -- the latest picture (useSyncExternalStore's getSnapshot). */
  current = (): PoolPicture | null => this.picture

  /** showPage -- the page the picture should carry (null: none); refreshes soon if it changed, unless told not to. */
  showPage(pgno: number | null, options: {schedule?: boolean} = {}): void {
    if (pgno === this.pageTarget) return
    this.pageTarget = pgno
    if (options.schedule !== false) this.schedule()
  }

  /** showDecoded -- whether the picture's page should carry its decode; refreshes soon if that changed. */
  showDecoded(on: boolean): void {
    if (on === this.decoding) return
    this.decoding = on
    this.schedule()
  }

  /** baseline -- the page as it was read, if this watcher saw it read. */
  baseline(pgno: number): Buffer | undefined {
    return this.baselines.get(pgno)
  }

  /** beginCommand -- our command starts: events from now on may be ours. */
  beginCommand(): void {
    this.running = true
  }

  /**
   * endCommand -- our command returned these events: in a shared pool, those already received
   * are dropped, those still to come are expected for a short while; the rest were somebody else's.
   */
  endCommand(own: readonly PoolEvent[]): void {
    this.running = false
    if (!this.options.shared) {
      this.during = []
      return
    }
    const until = Date.now() + (this.options.ownGraceMs ?? 1000)
    const keys = own.map((e) => JSON.stringify(e))
    let k = 0
    for (const event of this.during) {
      if (k < keys.length && JSON.stringify(event) === keys[k]) k++
      else this.others.push(event)
    }
    this.during = []
    this.expected = keys.slice(k).map((key) => ({key, until}))
    this.schedule()
  }

  /**
   * refresh -- take a new picture now (normally done by schedule); resolves once a picture
   * taken after the call is in place, so that a command's result and its picture show together.
   */
  async refresh(): Promise<void> {
    if (this.stopped) return
    if (this.refreshing) {
      this.again = true
      return new Promise((resolve) => this.waiting.push(resolve))
    }
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    const waiting = this.waiting
    this.waiting = []
    this.refreshing = true
    try {
      // Every request at once: over a socket they are pipelined, so a picture costs one round trip.
      const target = this.pageTarget
      const peeking = target === null ? Promise.resolve(null) : this.pool.peek(target).then((peek) => peek, (err: Error) => err)
      const [info, stats, frames, policy, peek] = await Promise.all([this.pool.layout(), this.pool.stats(), this.pool.frames(), this.pool.policyState(), peeking])
      let page: PageView | null = null
      let pageError: string | null = null
      if (peek instanceof Error) pageError = peek.message
      else if (peek !== null && target !== null) {
        page = {pgno: target, bytes: peek.bytes, baseline: this.baselines.get(target), cached: peek.cached, dirty: peek.dirty, pins: peek.pins, frame: peek.frame}
        const decoded = this.decoding ? await this.decode(info, target, peek.bytes) : undefined
        if (decoded !== undefined) page.decoded = decoded
      }
      this.labeler ??= new PageLabeler(this.pool, info.format ?? null)
      const labels = await this.labeler.update(frames, stats.npages)
      if (this.stopped) return
      this.picture = {info, stats, frames, policy, page, labels, pageError}
      this.flushOthers()
      for (const listener of this.listeners) listener()
    } catch (err) {
      if (!this.stopped) this.handlers.onError?.(err as Error)
    } finally {
      this.refreshing = false
      for (const resolve of waiting) resolve()
      if (this.again && !this.stopped) {
        this.again = false
        if (this.waiting.length > 0) void this.refresh()
        else this.schedule()
      } else {
        for (const resolve of this.waiting.splice(0)) resolve()
      }
    }
  }

  /** decode -- page pgno (`bytes`) by the pool's format, other pages read by peek; undefined for a plain page file. */
  private async decode(info: PoolLayout, pgno: number, bytes: Buffer): Promise<DecodedPage | undefined> {
    const format = info.format ?? null
    const decoder = format === null ? undefined : formatOf(format)
    if (format === null || decoder === undefined) return undefined
    return withPoolPages(this.pool, info.npages, new Map([[pgno, bytes]]), (read) => decodePage(format, decoder, bytes, pgno, read, info.npages))
  }

  private onEvent(event: PoolEvent): void {
    if (this.stopped) return
    this.noteBaseline(event)
    this.labeler?.note(event)
    if (this.options.shared) this.sort(event)
    if (event.type === 'close') {
      if (!this.running) this.handlers.onClosed?.(event)
      return
    }
    this.schedule()
  }

  /** sort -- ours (during our command, or expected after it) or somebody else's. */
  private sort(event: PoolEvent): void {
    if (this.running) {
      this.during.push(event)
      return
    }
    const now = Date.now()
    this.expected = this.expected.filter((e) => e.until >= now)
    if (this.expected.length > 0 && this.expected[0].key === JSON.stringify(event)) {
      this.expected.shift()
      return
    }
    this.others.push(event)
  }

  private flushOthers(): void {
    if (this.others.length === 0) return
    const burst = this.others
    this.others = []
    this.handlers.onOthers?.(burst)
  }

  /** noteBaseline -- keep the page as read: peeked after the read call has finished, or zeros for new. */
  private noteBaseline(event: PoolEvent): void {
    switch (event.type) {
      case 'read': {
        const {pgno} = event
        // A microtask: the engine call that read the page finishes before the peek runs.
        queueMicrotask(() => {
          this.pool.peek(pgno).then(
            (peek) => {
              this.baselines.set(pgno, peek.bytes)
              if (pgno === this.pageTarget) this.schedule()
            },
            () => this.baselines.delete(pgno),
          )
        })
        break
      }
      case 'new': {
        const pagesize = this.picture?.stats.pagesize
        if (pagesize !== undefined) this.baselines.set(event.pgno, Buffer.alloc(pagesize))
        else this.pool.layout().then((info) => this.baselines.set(event.pgno, Buffer.alloc(info.pagesize)), () => {})
        break
      }
      case 'delete':
        this.baselines.delete(event.pgno)
        break
      default:
    }
  }

  /** schedule -- one refresh after coalesceMs, whatever number of events arrive meanwhile. */
  private schedule(): void {
    if (this.stopped || this.timer !== null) return
    if (this.refreshing) {
      this.again = true
      return
    }
    this.timer = setTimeout(() => {
      this.timer = null
      void this.refresh()
    }, this.options.coalesceMs ?? 16)
  }
}
