/**
 * recording -- a PoolHandle that keeps the events of every call a verb makes.
 *
 * A handle's lastEvents holds the events of its last call only, and a verb may make several
 * (get pins the page, then peeks at it for the header). Wrapped in a RecordingHandle, each
 * call's lastEvents are appended to `events` as it returns, so narration tells the whole verb.
 * Calls that only look (info, stats, frames, peek, peekRange, policyState) cause no events and add none.
 */
import type {PoolEvent} from '../pool/index.js'
import type {FrameView, PeekResult, PoolHandle, PoolInfo, PoolLayout, PutOptions} from '../session/handle.js'

export class RecordingHandle implements PoolHandle {
  /** every event of the calls made through this handle, in order */
  readonly events: PoolEvent[] = []

  constructor(private readonly inner: PoolHandle) {}

  get key(): string | null {
    return this.inner.key
  }

  get lastEvents(): readonly PoolEvent[] {
    return this.inner.lastEvents
  }

  private async record<T>(call: Promise<T>): Promise<T> {
    const result = await call
    this.events.push(...this.inner.lastEvents)
    return result
  }

  info(): Promise<PoolInfo> {
    return this.inner.info()
  }

  layout(): Promise<PoolLayout> {
    return this.inner.layout()
  }

  new(): Promise<{pgno: number; page: Buffer}> {
    return this.record(this.inner.new())
  }

  get(pgno: number): Promise<Buffer> {
    return this.record(this.inner.get(pgno))
  }

  getRange(first: number, last: number): Promise<PeekResult[]> {
    return this.record(this.inner.getRange(first, last))
  }

  put(pgno: number, options?: PutOptions): Promise<void> {
    return this.record(this.inner.put(pgno, options))
  }

  delete(pgno: number): Promise<void> {
    return this.record(this.inner.delete(pgno))
  }

  sync(): Promise<number> {
    return this.record(this.inner.sync())
  }

  stats() {
    return this.inner.stats()
  }

  frames(): Promise<FrameView[]> {
    return this.inner.frames()
  }

  policyState(): Promise<Record<string, unknown>> {
    return this.inner.policyState()
  }

  peek(pgno: number, options?: {withFile?: boolean}): Promise<PeekResult> {
    return this.inner.peek(pgno, options)
  }

  peekRange(first: number, last: number, options?: {withFile?: boolean}): Promise<PeekResult[]> {
    return this.inner.peekRange(first, last, options)
  }

  close() {
    return this.record(this.inner.close())
  }

  detach(): Promise<void> {
    return this.inner.detach()
  }

  subscribe(listener: (event: PoolEvent) => void): Promise<() => void> {
    return this.inner.subscribe(listener)
  }
}
