/*
 * screen -- the real `mpool` binary in a real pseudo-terminal, its screen read back as text.
 *
 * node-pty runs `node bin/run.js ...` in a pty; every byte it writes goes into an
 * @xterm/headless Terminal, which keeps the screen as a terminal would. Tests read the
 * screen's rows (the active buffer: the alternate screen while the REPL runs) and wait for
 * what they expect: checked after every write the terminal parses, never after a fixed sleep.
 *
 * The child gets CI=false (Ink draws nothing interactive under CI), TERM=xterm-256color and
 * whatever the test adds (MPOOL_RUNTIME_DIR above all). kill() ends the child and its terminal;
 * call it in an after hook.
 */
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import pty from 'node-pty'
import xterm from '@xterm/headless'

const {Terminal} = xterm

/** Begin and end of a synchronized update (DEC mode 2026), which Ink puts around each frame. */
const BSU = '\u001B[?2026h'
const ESU = '\u001B[?2026l'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const BIN = path.join(ROOT, 'bin', 'run.js')

export interface SpawnOptions {
  cols?: number
  rows?: number
  env?: Record<string, string>
  cwd?: string
}

export class PtyScreen {
  readonly term: InstanceType<typeof Terminal>
  /** everything the child wrote, as received */
  raw = ''
  /** the exit code once the child has exited */
  exitCode: number | null = null
  readonly exited: Promise<number>
  private readonly child: pty.IPty
  /** settles once the terminal has parsed the last data received */
  private parsed: Promise<void> = Promise.resolve()
  /** no frame is half drawn: the last synchronized update begun has ended */
  private whole = true
  /** waitFor's checks, run after each write is parsed and when the child exits */
  private readonly watchers = new Set<() => void>()

  constructor(args: string[], options: SpawnOptions = {}) {
    const cols = options.cols ?? 80
    const rows = options.rows ?? 24
    this.term = new Terminal({cols, rows, allowProposedApi: true, scrollback: 0})
    this.child = pty.spawn(process.execPath, [BIN, ...args], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: options.cwd ?? ROOT,
      env: {...process.env, CI: 'false', TERM: 'xterm-256color', FORCE_COLOR: '1', ...options.env} as Record<string, string>,
    })
    this.child.onData((data) => {
      this.raw += data
      // Ink draws each frame between BSU and ESU (synchronized output): a frame the pty split
      // into several reads is checked only once its last part is on the screen
      const whole = this.raw.lastIndexOf(ESU) >= this.raw.lastIndexOf(BSU)
      this.parsed = new Promise<void>((resolve) =>
        this.term.write(data, () => {
          this.whole = whole
          resolve()
          if (whole) for (const check of [...this.watchers]) check()
        }),
      )
    })
    this.exited = new Promise((resolve) => {
      this.child.onExit(({exitCode}) => {
        this.exitCode = exitCode
        resolve(exitCode)
        void this.parsed.then(() => {
          for (const check of [...this.watchers]) check()
        })
      })
    })
  }

  get pid(): number {
    return this.child.pid
  }

  /** lines -- the screen's rows as text, trailing spaces trimmed. */
  lines(): string[] {
    const buffer = this.term.buffer.active
    const out: string[] = []
    for (let y = 0; y < this.term.rows; y++) out.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '')
    return out
  }

  /** text -- the screen as one string, rows joined by newlines. */
  text(): string {
    return this.lines().join('\n')
  }

  /** wrappedRows -- rows the terminal wrapped: something was written wider than the screen. */
  wrappedRows(): number[] {
    const buffer = this.term.buffer.active
    const out: number[] = []
    for (let y = 0; y < this.term.rows; y++) if (buffer.getLine(buffer.viewportY + y)?.isWrapped) out.push(y)
    return out
  }

  /** flush -- resolves once the terminal has parsed everything received so far. */
  flush(): Promise<void> {
    // xterm parses writes in order and calls each one's callback once it is parsed: the last
    // write's callback means everything before it is on the screen too
    return this.parsed
  }

  /**
   * waitFor -- resolves once `test(screen text)` holds, checked now and after every write the
   * terminal parses; rejects if the child exits first, or after `timeoutMs` with the screen in
   * the message (a deadline for a hung REPL, not a measure of anything).
   */
  waitFor(test: (text: string) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        this.watchers.delete(check)
        clearTimeout(deadline)
        if (err === undefined) resolve()
        else reject(err)
      }
      const check = () => {
        if (this.whole && test(this.text())) done()
        else if (this.exitCode !== null) done(new Error(`the REPL exited (${this.exitCode}) while waiting for ${what}; screen:\n${this.text()}\nraw tail: ${JSON.stringify(this.raw.slice(-400))}`))
      }
      const deadline = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${this.text()}`)), timeoutMs)
      this.watchers.add(check)
      void this.flush().then(check)
    })
  }

  /** waitForText -- waitFor the screen to contain `text` (a string or a pattern). */
  waitForText(text: string | RegExp, timeoutMs = 5000): Promise<void> {
    const test = typeof text === 'string' ? (s: string) => s.includes(text) : (s: string) => text.test(s)
    return this.waitFor(test, JSON.stringify(String(text)), timeoutMs)
  }

  /** type -- keys to the child, as a user would type them. */
  type(keys: string): void {
    this.child.write(keys)
  }

  /** resize -- the pty and the terminal both, as a window resize does. */
  resize(cols: number, rows: number): void {
    this.child.resize(cols, rows)
    this.term.resize(cols, rows)
  }

  /** kill -- end the child (if it still runs) and the terminal. */
  async kill(): Promise<void> {
    if (this.exitCode === null) {
      try {
        this.child.kill('SIGKILL')
      } catch {
        // already gone
      }
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2000))])
    }
    this.term.dispose()
  }
}
