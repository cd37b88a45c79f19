/*
 * The whole REPL in a real pseudo-terminal: the built binary under node-pty, its screen read
 * back through @xterm/headless. A private pool over a real file, then a shared pool that
 * another process changes while the REPL watches.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {buildOnce, CliSandbox} from '../helpers/cli.js'
import {PtyScreen} from './helpers/screen.js'

const PAGESIZE = 512

/** a file of `n` pages, page k filled with k + 1 */
function pageFile(box: CliSandbox, name: string, n = 8): string {
  const file = box.path(name)
  fs.writeFileSync(file, Buffer.concat(Array.from({length: n}, (_, k) => Buffer.alloc(PAGESIZE, k + 1))))
  return file
}

/** assertFits -- the screen is drawn within the terminal: header on the first row, the last row blank, nothing wrapped. */
function assertFits(screen: PtyScreen, header: RegExp): void {
  const lines = screen.lines()
  assert.equal(lines.length, screen.term.rows)
  assert.match(lines[0], header, `the header is on the first row:\n${screen.text()}`)
  assert.equal(lines[lines.length - 1].trim(), '', `the last row is left blank (rows - 1 drawn):\n${screen.text()}`)
  assert.deepEqual(screen.wrappedRows(), [], `no row wider than ${screen.term.cols} columns:\n${screen.text()}`)
  for (const line of lines) assert.ok(line.length <= screen.term.cols)
}

/** counterText -- the counters as one line: the lines from `hits` on, joined where they broke after ` ·`. */
function counterText(screen: PtyScreen): string {
  const lines = screen.lines()
  const first = lines.findIndex((l) => l.startsWith('hits '))
  if (first < 0) return ''
  let text = lines[first]
  for (let i = first + 1; text.endsWith(' ·') && i < lines.length; i++) text += ` ${lines[i]}`
  return text
}

/** waitForCounters -- the counters pane reads exactly `expected` (wrapped or not). */
function waitForCounters(screen: PtyScreen, expected: string): Promise<void> {
  return screen.waitFor(() => counterText(screen).includes(expected), `the counters to read ${expected}`)
}

/** the grid's row of cells: the line after the grid's title */
function gridRow(screen: PtyScreen): string {
  const lines = screen.lines()
  return lines[lines.findIndex((l) => l.startsWith('eviction order')) + 1] ?? ''
}

describe('mpool repl in a real terminal', function () {
  this.timeout(60_000)
  const box = new CliSandbox('mpool-ui-pty-')
  const screens: PtyScreen[] = []

  function start(args: string[], cols = 80, rows = 24): PtyScreen {
    const screen = new PtyScreen(['repl', ...args], {cols, rows, cwd: box.dir, env: {MPOOL_RUNTIME_DIR: box.runtime}})
    screens.push(screen)
    return screen
  }

  async function run(screen: PtyScreen, line: string, expect: string | RegExp): Promise<void> {
    screen.type(line)
    await screen.waitForText(`mpool> ${line}`)
    screen.type('\r')
    await screen.waitForText(expect)
  }

  before(() => buildOnce())
  after(async () => {
    for (const s of screens) await s.kill()
    await box.cleanup()
  })

  describe('on a private pool', () => {
    let screen: PtyScreen
    let file: string

    before(async () => {
      file = pageFile(box, 'private.db')
      screen = start([file, '--pagesize', String(PAGESIZE), '--maxcache', '4'])
      await screen.waitForText('mpool>', 15_000)
    })

    it('draws the empty pool at 80×24 within the terminal', async () => {
      await screen.waitForText('frames 0/4')
      assertFits(screen, /^private\.db · pagesize 512 · npages 8 · frames 0\/4 · over 0 · policy lru$/)
    })

    it('shows page 1 pinned in the grid and its bytes in the hex pane after get 1', async () => {
      await run(screen, 'get 1', 'get 1: miss; read page 1 at offset 512 into frame 0; pinned (1)')
      assert.match(gridRow(screen), /^ 1 p1 /)
      await screen.waitForText('page 1 · offset 512 · frame 0 · pins 1 · clean')
      assert.match(screen.text(), /00000200: (?:02 ){16} {3}\.{16}/)
    })

    it('shows the page dirty, and its changed bytes, after put 1 --dirty --text hi', async () => {
      await run(screen, 'put 1 --dirty --text hi', /put 1: unpinned \(0 left\), marked dirty/)
      await screen.waitForText('2 bytes changed since read')
      assert.match(gridRow(screen), /^▸1 {4}\*/, 'page 1: the next victim, unpinned, dirty')
      assert.match(screen.text(), /00000200: 68 69 02 02/)
      // the dirty cell is drawn yellow (palette colour 3)
      const row = screen.lines().findIndex((l) => l.startsWith('eviction order')) + 1
      const cell = screen.term.buffer.active.getLine(row)!.getCell(1)!
      assert.equal(cell.getFgColor(), 3)
    })

    it('narrates the eviction of the dirty page when the cache is full, and the file gets its bytes', async () => {
      for (const n of [2, 3, 4]) await run(screen, `get ${n}`, `get ${n}: miss`)
      await screen.waitForText('frames 4/4')
      await run(screen, 'get 5', 'evicted page 1 from frame 0 (dirty, written at offset 512)')
      await waitForCounters(screen, 'writes 1 · evictions 1 · given back 0')
      assert.doesNotMatch(gridRow(screen), /(^|\s)1 /, 'page 1 left the grid')
      assert.equal(fs.readFileSync(file).subarray(512, 514).toString(), 'hi')
    })

    it('shows an error in place and goes on', async () => {
      await run(screen, 'put 7', '✗ cannot put page 7: it is not in the cache, so it is not pinned; get it first')
      await run(screen, 'get 6', /get 6: /)
    })

    it('redraws within bounds when the terminal is resized', async () => {
      for (const [cols, rows] of [[100, 30], [120, 40], [80, 24], [90, 26]]) {
        screen.resize(cols, rows)
        await screen.waitFor(() => {
          const lines = screen.lines()
          return /^\S.*policy lru/.test(lines[0]) && lines[rows - 1].trim() === '' && lines.some((l) => l.startsWith('mpool>')) && screen.wrappedRows().length === 0
        }, `a redraw at ${cols}×${rows}`)
        assertFits(screen, /^private\.db( \(private\))? · pagesize 512/)
      }
    })

    it('closes the private pool on quit and prints what close reported', async () => {
      screen.type('quit\r')
      assert.equal(await screen.exited, 0)
      await screen.flush()
      assert.match(screen.lines().join(''), /closed the pool: no dirty pages dropped; pages 2, 3, 4, 5, 6 still pinned/)
    })
  })

  describe('attached to a shared pool', () => {
    const KEY = 'ptyshared'
    let screen: PtyScreen

    before(async () => {
      const file = pageFile(box, 'shared.db')
      const opened = await box.run(['open', file, '--key', KEY, '--create', '--pagesize', String(PAGESIZE), '--maxcache', '4'])
      assert.equal(opened.status, 0, opened.stderr)
      screen = start(['--key', KEY], 100, 30)
      await screen.waitForText('mpool>', 15_000)
    })
    after(async () => {
      await box.run(['close', '--key', KEY])
    })

    it('names the shared pool in the header', async () => {
      await screen.waitForText(`(pool ${KEY}, shared)`)
      assertFits(screen, /shared\.db \(pool ptyshared, shared\) · pagesize 512/)
    })

    it('follows a get made by another process, with no key pressed', async () => {
      const r = await box.run(['get', '3', '--key', KEY])
      assert.equal(r.status, 0, r.stderr)
      await screen.waitForText('elsewhere: get 3: miss; read page 3 at offset 1536 into frame 0; pinned (1)')
      assert.match(gridRow(screen), /^ 3 p1 /)
      await screen.waitForText(/page 3 · offset 1536 · frame 0 · pins 1 \(\d+ mpool get 3 --key ptyshared\)/)
    })

    it('follows a put and a sync made by another process', async () => {
      assert.equal((await box.run(['put', '3', '--text', 'zz', '--key', KEY])).status, 0)
      await screen.waitForText('elsewhere: put 3: unpinned (0 left), marked dirty')
      await screen.waitForText('2 bytes changed since read')
      assert.equal((await box.run(['sync', '--key', KEY])).status, 0)
      await screen.waitForText(/elsewhere: sync: .*synced 1 page/)
    })

    it("runs its own verbs on the shared pool without telling them as another's", async () => {
      await run(screen, 'get 4', 'get 4: miss; read page 4 at offset 2048')
      // The server sends every watcher the events in the order it ran the calls: once another
      // process's later get shows, any echo of our own get 4 would have shown before it.
      assert.equal((await box.run(['get', '5', '--key', KEY])).status, 0)
      await screen.waitForText('elsewhere: get 5: miss')
      assert.doesNotMatch(screen.text(), /elsewhere: get 4/)
      const cache = await box.run(['dump', '--key', KEY])
      assert.match(cache.stdout, /4\s+1\s+clean.*mpool repl/, 'the pin is held by the REPL')
    })

    it('detaches on quit and leaves the pool open', async () => {
      screen.type('\u0004')
      assert.equal(await screen.exited, 0)
      await screen.flush()
      assert.match(screen.lines().join(''), new RegExp(`detached from pool ${KEY}: it stays open`))
      const listed = await box.run(['ls', '--json'])
      assert.ok((JSON.parse(listed.stdout) as {pools: {key: string}[]}).pools.some((p) => p.key === KEY))
    })

    it('ends when another process closes the pool, saying what close dropped', async () => {
      const again = start(['--key', KEY])
      await again.waitForText('mpool>', 15_000)
      assert.equal((await box.run(['get', '6', '--key', KEY])).status, 0)
      await again.waitForText('elsewhere: get 6')
      const closed = await box.run(['close', '--key', KEY])
      assert.equal(closed.status, 0, closed.stderr)
      assert.equal(await again.exited, 0)
      await again.flush()
      assert.match(again.lines().join(''), new RegExp(`pool ${KEY} was closed by another process: closed pool ${KEY}: .*pages? [\\d, ]*6 still pinned`))
    })
  })

  describe('where a new user tripped', () => {
    /** SGR colour parameters: 30-39, 40-49, 90-97, 100-107 (38/48 start 256-colour and RGB) */
    const COLOUR_SGR = /\u001B\[(?:[0-9;]*;)?(?:3\d|4\d|9[0-7]|10[0-7])(?:;[0-9;]*)?m/

    it('sends no colour escape anywhere on the screen with NO_COLOR', async () => {
      const file = pageFile(box, 'nocolor.db')
      // FORCE_COLOR=1 is in every child's environment: NO_COLOR must win over it
      const screen = new PtyScreen(['repl', file, '--pagesize', String(PAGESIZE), '--maxcache', '2', '--policy', 'clock'], {cols: 80, rows: 24, cwd: box.dir, env: {MPOOL_RUNTIME_DIR: box.runtime, NO_COLOR: '1'}})
      screens.push(screen)
      await screen.waitForText('mpool>', 15_000)
      // a pinned cell, a dirty cell, the policy line, an error, the hex bytes and the help line
      await run(screen, 'get 1', 'get 1: miss')
      await run(screen, 'put 1 --dirty --text hi', 'put 1: unpinned')
      await run(screen, 'get 2', 'get 2: miss')
      await run(screen, 'put 7', '✗ cannot put page 7')
      assert.match(screen.text(), /clock: hand/)
      assert.doesNotMatch(screen.raw, COLOUR_SGR, 'no colour escape was sent')
      const buffer = screen.term.buffer.active
      for (let y = 0; y < screen.term.rows; y++) {
        const line = buffer.getLine(buffer.viewportY + y)!
        for (let x = 0; x < screen.term.cols; x++) assert.ok(line.getCell(x)!.isFgDefault() && line.getCell(x)!.isBgDefault(), `no colour at row ${y}, column ${x}:\n${screen.text()}`)
      }
      screen.type('\u0003')
      assert.equal(await screen.exited, 0)
    })

    it('shows every counter at 80×24, evictions apart from frames given back, zero-filled reads apart from reads', async () => {
      const screen = start([box.path('fresh.db'), '--create', '--pagesize', String(PAGESIZE), '--maxcache', '4'])
      await screen.waitForText('mpool>', 15_000)
      // six new pages pinned: the pool grows to 6; the first put gives a frame back, no miss asked for it
      screen.type('new\r'.repeat(6))
      await screen.waitForText('frames 6/4')
      await run(screen, 'put 0', 'put 0: unpinned')
      await waitForCounters(screen, 'evictions 0 · given back 1 · pinned 5 · dirty 0')
      for (const n of [1, 2, 3, 4, 5]) await run(screen, `put ${n}`, `put ${n}: unpinned`)
      // page 0 was never written: its read finds no bytes and is zero-filled; page 2 is the victim
      await run(screen, 'get 0', 'get 0: miss')
      await waitForCounters(screen, 'hits 0 · misses 1 · hit rate 0.0% · reads 0 · zero-filled 1 · writes 0 · evictions 1 · given back 2 · pinned 1 · dirty 0')
      assertFits(screen, /^fresh\.db/)
      screen.type('\u0003')
      assert.equal(await screen.exited, 0)
    })

    it('runs every line typed ahead while commands run, in order, dropping none', async () => {
      const file = pageFile(box, 'ahead.db', 16)
      const screen = start([file, '--pagesize', String(PAGESIZE), '--maxcache', '4'])
      await screen.waitForText('mpool>', 15_000)
      // as tmux send-keys does it: each line, then Enter, each a write of its own, none waiting
      for (let n = 1; n <= 12; n++) {
        for (const line of [`get ${n}`, `put ${n} --dirty`]) {
          screen.type(line)
          screen.type('\r')
        }
      }
      await screen.waitForText('put 12: unpinned (0 left), marked dirty', 30_000) // 24 commands on a shared machine
      // 12 misses; 8 dirty victims written: pages 1 to 8, in order; nothing failed
      await waitForCounters(screen, 'hits 0 · misses 12 · hit rate 0.0% · reads 12 · zero-filled 0 · writes 8 · evictions 8 · given back 0 · pinned 0 · dirty 4')
      assert.doesNotMatch(screen.text(), /✗/)
      screen.type('quit\r')
      assert.equal(await screen.exited, 0)
      await screen.flush()
      assert.match(screen.lines().join(''), /closed the pool: dropped dirty pages 9, 10, 11, 12 without writing them; no pins held/)
    })

    it('deletes once for every Backspace that arrives in one read', async () => {
      const screen = start([pageFile(box, 'backspace.db'), '--pagesize', String(PAGESIZE), '--maxcache', '4'])
      await screen.waitForText('mpool>', 15_000)
      screen.type('get 123')
      await screen.waitForText('mpool> get 123')
      screen.type('\u007f\u007f\u007f') // one write: tmux send-keys BSpace BSpace BSpace
      await screen.waitFor((text) => /^mpool> get\s*$/m.test(text), 'the three digits deleted')
      screen.type('4')
      await screen.waitForText('mpool> get 4')
      screen.type('\r')
      await screen.waitForText('get 4: miss')
      screen.type('\u0003')
      assert.equal(await screen.exited, 0)
    })
  })

  describe('on a pool larger than the screen', () => {
    it('scrolls the grid instead of overflowing, and shows the policy state in the header', async () => {
      const file = pageFile(box, 'big.db', 300)
      const screen = start([file, '--pagesize', String(PAGESIZE), '--maxcache', '200', '--policy', 'arc'], 80, 24)
      await screen.waitForText('mpool>', 15_000)
      // a paste of 150 lines: each runs in turn
      screen.type(Array.from({length: 150}, (_, n) => `get ${n}`).join('\r') + '\r')
      await screen.waitForText('get 149: miss', 20_000)
      await screen.waitForText('frames 150/200')
      assert.match(screen.text(), /arc: target \|T1\| p=0 of c=200 · T1 150 · T2 0/)
      assert.match(screen.text(), /eviction order → \(rows 1-\d+ of 19\)/, '150 cells of 9 columns, 8 a row at 80 columns: 19 rows')
      assertFits(screen, /^big\.db · pagesize 512 · npages 300 · frames 150\/200 · over 0 · policy arc$/)
      screen.type('\t')
      await screen.waitForText('grid: page 0')
      screen.type('\u001B[F') // End: the most recent page
      await screen.waitForText('grid: page 149')
      await screen.waitForText(/eviction order → \(rows \d+-19 of 19\)/)
      await screen.waitForText('page 149 · offset 76288')
      assertFits(screen, /^big\.db/)
      screen.type('\u001B')
      await screen.waitFor((text) => !text.includes('grid: page'), 'the focus back on the prompt')
      screen.type('\u0003')
      assert.equal(await screen.exited, 0)
    })
  })
})
