/**
 * batched-writer -- a piped script's results written in blocks, not one write a line.
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
 */
export class BatchedWriter {
  private held: string[] = []
  private size = 0
  private scheduled: NodeJS.Immediate | null = null

  constructor(
    /** where a block goes (process.stdout.write) */
    private readonly sink: (text: string) => void,
    /** how many characters may wait before they are written at once */
    private readonly limit = 64 << 10,
  ) {}

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
    this.sink(text)
  }
}
