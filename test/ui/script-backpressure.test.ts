/*
 * `mpool repl --json` into a reader that falls behind: the real binary in a child process, its
 * stdout a pipe this test stops reading. The child must stop running lines while the pipe is
 * full (so its memory stays bounded), go on when the reader catches up, and deliver every
 * line, complete and in order.
 *
 * How the test knows what the child has run without a clock: the script works on a shared pool,
 * and the test reads that pool's `pageget` counter from a client of its own. The child is
 * "stalled" once the counter has not moved over STEADY reads in a row (each a round trip to the
 * pool server); a child that ignored the full pipe would run on and be caught past the bound.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import fs from 'node:fs'
import {connectPool} from '../../src/session/index.js'
import type {RemotePool} from '../../src/session/remote.js'
import {BIN, buildOnce, CliSandbox} from '../helpers/cli.js'

const PAGESIZE = 4096
const PAGES = 16
/** get+put pairs in the script: about 80 MB of --json results, far more than any pipe holds */
const PAIRS = 10_000
/** gets whose results (8.3 KB each) are more than the pipe holds: the child has filled it once it ran these */
const FILL = 10
/** pool reads in a row that must show the same count before the child counts as stalled */
const STEADY = 400
/**
 * The most gets the child may run ahead of the reader: the pipe (64 KiB on Linux), what the test's
 * own stream reads ahead, stdout's buffer and one 64 KiB block in making hold about 30 results
 * of 8.3 KB; 64 leaves room, and is 1/150 of the script.
 */
const AHEAD = 64
/** the child's resident memory may not exceed this while it is held up (it ran at about 72 MB here, held up 26 gets ahead; one that ignored the full pipe reached 80-140 MB) */
const MAX_RSS = 100 << 20

/** rssOf -- the resident set of process `pid` in bytes (Linux /proc), or null once it is gone. */
function rssOf(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return kb === null ? null : Number(kb[1]) * 1024
  } catch {
    return null
  }
}

describe('mpool repl --json into a reader that falls behind', function () {
  this.timeout(120_000)
  const box = new CliSandbox('mpool-ui-backpressure-')
  const key = 'slow'
  let watcher: RemotePool
  const saved = process.env.MPOOL_RUNTIME_DIR

  before(async () => {
    buildOnce()
    const file = box.path('pages.db')
    fs.writeFileSync(file, Buffer.concat(Array.from({length: PAGES}, (_, n) => Buffer.alloc(PAGESIZE, n + 1))))
    const opened = await box.run(['open', file, '--key', key, '--pagesize', String(PAGESIZE), '--maxcache', String(PAGES)])
    assert.equal(opened.status, 0, opened.stderr)
    process.env.MPOOL_RUNTIME_DIR = box.runtime
    watcher = await connectPool({key})
  })

  after(async () => {
    await watcher?.detach().catch(() => {})
    if (saved === undefined) delete process.env.MPOOL_RUNTIME_DIR
    else process.env.MPOOL_RUNTIME_DIR = saved
    await box.cleanup()
  })

  /** gets -- the pool's count of gets so far (the child's: nothing else gets a page). */
  const gets = async (): Promise<number> => (await watcher.stats()).pageget

  /** reached -- reads the count until it is at least `count`. */
  async function reached(count: number): Promise<void> {
    while ((await gets()) < count);
  }

  /** stalled -- reads the count until it stays the same STEADY times in a row; resolves to it. */
  async function stalled(): Promise<number> {
    let last = await gets()
    for (let same = 0; same < STEADY; ) {
      const now = await gets()
      same = now === last ? same + 1 : 0
      last = now
    }
    return last
  }

  it('stops running lines while stdout is full, goes on as it drains, and delivers every result in order', async () => {
    const script = box.path('pairs.txt')
    fs.writeFileSync(script, Array.from({length: PAIRS}, (_, i) => `get ${i % PAGES}\nput ${i % PAGES}\n`).join(''))
    const before = await gets()
    const input = fs.openSync(script, 'r')
    const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', MPOOL_RUNTIME_DIR: box.runtime}
    delete env.MPOOL_KEY
    const child = spawn(process.execPath, [BIN, 'repl', '--key', key, '--json'], {env, stdio: [input, 'pipe', 'pipe']})
    fs.closeSync(input)
    const stdout = child.stdout!
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    const exited = once(child, 'exit')
    try {
      const hexes = Array.from({length: PAGES}, (_, n) => Buffer.alloc(PAGESIZE, n + 1).toString('hex'))
      let received = 0 // results read and checked: a get's and a put's for each pair
      let partial = ''
      let caughtUp: (() => void) | null = null
      let target = 0
      stdout.setEncoding('utf8')
      stdout.pause()
      stdout.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n')
        partial = lines.pop()!
        for (const line of lines) {
          const pair = Math.floor(received / 2)
          const doc = JSON.parse(line) as Record<string, unknown>
          if (received % 2 === 0) {
            assert.equal(doc.pgno, pair % PAGES, `result ${received + 1} is the get of pair ${pair + 1}`)
            assert.equal(doc.hex, hexes[pair % PAGES], `result ${received + 1} is the whole page`)
          } else {
            assert.deepEqual(doc, {pgno: pair % PAGES, dirtied: false, wrote: null}, `result ${received + 1} is the put of pair ${pair + 1}`)
          }
          received++
        }
        if (caughtUp !== null && received >= target) {
          stdout.pause()
          caughtUp()
          caughtUp = null
        }
      })
      stdout.pause()

      // Not read at all: the child fills the pipe and must then wait.
      let maxRss = 0
      for (let round = 0; round < 3; round++) {
        await reached(before + received / 2 + FILL) // the pipe is full by now
        const ran = (await stalled()) - before
        const rss = rssOf(child.pid!)
        if (rss !== null) maxRss = Math.max(maxRss, rss)
        assert.ok(ran - received / 2 <= AHEAD, `round ${round + 1}: the child ran ${ran} gets while the reader had taken ${received / 2}: it did not wait for the pipe`)
        assert.ok(ran > received / 2, `round ${round + 1}: the child ran ahead of the reader (${ran} gets, ${received / 2} read)`)
        assert.equal(child.exitCode, null, 'the child is still running')
        // Read what it made so far, and stop again.
        target = ran * 2
        await new Promise<void>((resolve) => {
          caughtUp = resolve
          stdout.resume()
        })
      }
      assert.ok(maxRss > 0 && maxRss <= MAX_RSS, `the child's memory while held up: ${(maxRss / 2 ** 20).toFixed(0)} MiB`)

      // Then everything, as fast as it comes.
      const ended = once(stdout, 'end')
      stdout.resume()
      await ended
      const [status] = await exited
      assert.equal(status, 0, stderr)
      assert.equal(partial, '', 'the last result ends its line')
      assert.equal(received, 2 * PAIRS, 'every result arrived')
      assert.equal((await gets()) - before, PAIRS)
    } finally {
      if (child.exitCode === null) child.kill()
    }
  })
})
