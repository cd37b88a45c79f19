/**
 * batched-writer -- a piped script's results written in blocks, not one write a line, and no
 * faster than the reader takes them.
 *
 * Policy, in a sentence each:
 *  - Text is held until 64 KiB of it wait, then written in one call: a script read from a file
 *    pays one write to stdout per 64 KiB instead of one per line (a write a line was a tenth of
 *    a `--json` script's time).
 *  - Whatever is held is written before the process could go idle: the first held text schedules
 *    a flush with setImmediate, which runs only once the script waits for more input (or for a
 *    pool server's reply). A program that sends one line and waits for its answer (a coprocess)
 *    therefore gets every answer before the script waits for its next line.
 *  - The caller flushes before it writes an error to stderr and at the end, so results and errors
 *    keep their order for anyone reading both.
 *  - Backpressure: a sink that says it is full (a stream's write returned false) makes the writer
 *    `blocked` until the sink's drain; the script awaits `unblocked()` before its next line, so a
 *    slow reader (`| (sleep 5; cat)`) holds at most a block and the stream's own buffer here,
 *    not every result the script could make meanwhile.
 */
export class BatchedWriter {
  private held: string[] = []
  private size = 0
  private scheduled: NodeJS.Immediate | null = null
  private full = false

  constructor(
    /** where a block goes (process.stdout.write): false means it is full, wait for drained */
    private readonly sink: (text: string) => unknown,
    /** how many characters may wait before they are written at once */
    private readonly limit = 64 << 10,
    /** resolves once the sink takes more again (the stream's 'drain', or its end) */
    private readonly drained: () => Promise<void> = () => Promise.resolve(),
  ) {}

  /** blocked -- the sink said it was full at the last block: wait for unblocked() before making more. */
  get blocked(): boolean {
    return this.full
  }

  /** unblocked -- resolves once the sink has drained (at once when it was not full). */
  async unblocked(): Promise<void> {
    if (!this.full) return
    await this.drained()
    this.full = false
  }

  /** write -- hold `text` for the next block; writes the block now once `limit` characters wait. */
  write(text: string): void {
    if (text === '') return
    this.held.push(text)
    this.size += text.length
    if (this.size >= this.limit) this.flush()
    else this.scheduled ??= setImmediate(() => this.flush())
  }

  /** flush -- write everything held, in one call. */
  flush(): void {
    if (this.scheduled !== null) {
      clearImmediate(this.scheduled)
      this.scheduled = null
    }
    if (this.size === 0) return
    const text = this.held.length === 1 ? this.held[0]! : this.held.join('')
    this.held = []
    this.size = 0
    if (this.sink(text) === false) this.full = true
  }
}

/** drainOf -- resolves at `stream`'s next 'drain', or when it closes or fails (nothing more to wait for then). */
export function drainOf(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done)
      stream.off('close', done)
      stream.off('error', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
    stream.on('error', done)
  })
}
