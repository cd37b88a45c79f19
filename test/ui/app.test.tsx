/*
 * The panes with ink-testing-library, and the whole App over a real pool on a real file with
 * the real verb dispatcher: keys in, frames out.
 */
import assert from 'node:assert/strict'
import {render} from 'ink-testing-library'
import {LocalPool} from '../../src/session/local.js'
import {App, type ReplEnd} from '../../src/ui/app.js'
import {Counters} from '../../src/ui/counters.js'
import {createDispatcher} from '../../src/ui/dispatch.js'
import {GridView} from '../../src/ui/frame-grid.js'
import {Header, policyLine} from '../../src/ui/header.js'
import {HexPane, pageBody} from '../../src/ui/hex-pane.js'
import {Narration} from '../../src/ui/narration.js'
import {PromptView} from '../../src/ui/prompt.js'
import {initialPromptState, promptReducer} from '../../src/ui/prompt-state.js'
import {PoolWatcher} from '../../src/ui/watcher.js'
import {TmpDir} from '../helpers/tmp.js'
import {plain, until} from './helpers/frames.js'

const PAGESIZE = 512

describe('the REPL panes', () => {
  let tmp: TmpDir
  let pool: LocalPool
  let watcher: PoolWatcher

  beforeEach(async () => {
    tmp = new TmpDir('mpool-ui-panes-')
    pool = LocalPool.open(tmp.pageFile(PAGESIZE, 8).file, {pagesize: PAGESIZE, maxcache: 4, explain: true})
    watcher = new PoolWatcher(pool, {shared: false})
    await watcher.start()
  })

  afterEach(async () => {
    watcher.stop()
    await pool.close().catch(() => {})
    tmp.cleanup()
  })

  async function picture() {
    await watcher.refresh()
    return watcher.current()!
  }

  it('Header names the file, the sizes, frames used of maxcache, overcommit and the policy', async () => {
    const {lastFrame} = render(<Header picture={await picture()} attachedKey={null} width={80} rows={1} />)
    assert.equal(plain(lastFrame()), 'file0 (private) · pagesize 512 · npages 8 · frames 0/4 · over 0 · policy lru')
  })

  it('Header fits 80 columns by shortening the file name from the left', async () => {
    const p = await picture()
    const long = {...p, info: {...p.info, file: `/very/${'deep/'.repeat(30)}pages.db`}}
    const at = (width: number) => plain(render(<Header picture={long} attachedKey="demo" width={width} rows={1} />).lastFrame())
    assert.equal(at(100), 'pages.db (pool demo, shared) · pagesize 512 · npages 8 · frames 0/4 · over 0 · policy lru')
    assert.equal(at(80), 'pages.db · pagesize 512 · npages 8 · frames 0/4 · over 0 · policy lru')
    assert.equal(at(66), '…s.db · pagesize 512 · npages 8 · frames 0/4 · over 0 · policy lru')
    assert.equal(at(60), 'pagesize 512 · npages 8 · frames 0/4 · over 0 · policy lru')
  })

  it("policyLine tells clock's hand and usage, ARC's lists and target, and nothing for LRU", () => {
    assert.equal(policyLine({policy: 'lru', frames: 3}), null)
    assert.equal(policyLine({policy: 'clock', frames: 2, hand: 1, maxUsage: 5, usage: [1, null, 3]}), 'clock: hand at frame 1 · usage (max 5) f0:1 f2:3')
    assert.equal(policyLine({policy: 'arc', c: 4, p: 1, t1: 2, t2: 1, b1: 0, b2: 3}), 'arc: target |T1| p=1 of c=4 · T1 2 · T2 1 · ghosts B1 0 · B2 3')
    // ARC's p is real-valued (Figure 4): shown with at most two decimals
    assert.equal(policyLine({policy: 'arc', c: 4, p: 2 / 3, t1: 2, t2: 1, b1: 0, b2: 3}), 'arc: target |T1| p=0.67 of c=4 · T1 2 · T2 1 · ghosts B1 0 · B2 3')
  })

  it('GridView draws the cells in eviction order with pins, dirty and the next victim', async () => {
    await pool.get(1)
    await pool.get(2)
    await pool.put(2, {dirty: true})
    const p = await picture()
    const {lastFrame} = render(<GridView frames={p.frames} maxcache={4} width={80} rows={2} selected={-1} focused={false} />)
    const [title, cells] = plain(lastFrame()).split('\n')
    assert.match(title, /^eviction order → {2}▸ next victim/)
    assert.equal(cells.trimEnd(), ' 1 p1   ▸2    *  ·       ·')
  })

  it('GridView marks the frames a fully pinned pool grew past maxcache', async () => {
    for (const n of [0, 1, 2, 3, 4, 5]) await pool.get(n)
    const p = await picture()
    const {lastFrame} = render(<GridView frames={p.frames} maxcache={4} width={80} rows={2} selected={-1} focused={false} />)
    assert.match(plain(lastFrame()), / 3 p1 +\+4 p1 +\+5 p1/)
  })

  it('Counters shows every counter, zero-filled reads and give-backs apart, wrapping between counters, never dropping one', async () => {
    await pool.get(1)
    await pool.put(1)
    await pool.get(1)
    const stats = (await picture()).stats
    const all = 'hits 1 · misses 1 · hit rate 50.0% · reads 1 · zero-filled 0 · writes 0 · evictions 0 · given back 0 · pinned 1 · dirty 0'
    assert.equal(plain(render(<Counters stats={stats} width={140} rows={1} />).lastFrame()), all)
    // at 80 columns the line breaks between counters: every counter is still there
    const at80 = plain(render(<Counters stats={stats} width={80} rows={2} />).lastFrame()).split('\n')
    assert.deepEqual(at80, ['hits 1 · misses 1 · hit rate 50.0% · reads 1 · zero-filled 0 · writes 0 ·', 'evictions 0 · given back 0 · pinned 1 · dirty 0'])
    assert.ok(at80.every((l) => l.length <= 80))
  })

  it('HexPane shows the page at its file offsets and marks the bytes changed since it was read', async () => {
    await pool.get(2)
    await until(() => watcher.baseline(2) !== undefined, 'the baseline', () => '')
    await pool.put(2, {write: {offset: 0, bytes: Buffer.from('hi')}})
    watcher.showPage(2)
    const p = await picture()
    const body = pageBody(p.page!, PAGESIZE, null)
    const {lastFrame} = render(<HexPane body={body} rows={6} width={100} scroll={null} empty="" />)
    const lines = plain(lastFrame()).split('\n')
    assert.equal(lines[0], 'page 2 · offset 1024 · frame 0 · pins 0 · dirty · 2 bytes changed since read')
    assert.equal(lines[1], '00000400: 68 69 03 03 03 03 03 03 03 03 03 03 03 03 03 03    hi..............')
    assert.match(lines[2], /^ {10}\^\^ \^\^ +\^\^$/, 'the plain marker line under the two changed bytes')
  })

  it('HexPane shows no more lines than it has rows and says what is scrolled away', () => {
    const body = {title: 'help', lines: Array.from({length: 20}, (_, i) => `line ${i}`), firstChange: 0}
    const {lastFrame} = render(<HexPane body={body} rows={4} width={80} scroll={5} empty="" />)
    assert.deepEqual(plain(lastFrame()).split('\n'), ['help · lines 6-8 of 20', 'line 5', 'line 6', 'line 7'])
  })

  it('Narration shows the newest entries that fit', () => {
    const log = ['get 1: miss', 'get 2: miss', 'put 2: unpinned'].map((text, id) => ({id, kind: 'own' as const, text}))
    const {lastFrame} = render(<Narration log={log} width={80} rows={2} />)
    assert.deepEqual(plain(lastFrame()).split('\n'), ['get 2: miss', 'put 2: unpinned'])
  })

  it('PromptView keeps the cursor in sight on a line longer than the width', () => {
    const state = promptReducer(initialPromptState(), {type: 'insert', text: `put 1 --text ${'x'.repeat(100)}`})
    const {lastFrame} = render(<PromptView state={state} width={40} focused running={false} />)
    const line = plain(lastFrame())
    assert.ok(line.length <= 40, line)
    assert.match(line, /^mpool> x{31} ?$/)
  })
})

describe('the REPL app', () => {
  let tmp: TmpDir
  let pool: LocalPool
  let watcher: PoolWatcher
  let app: ReturnType<typeof render> | null = null

  beforeEach(async () => {
    tmp = new TmpDir('mpool-ui-app-')
    pool = LocalPool.open(tmp.pageFile(PAGESIZE, 8).file, {pagesize: PAGESIZE, maxcache: 4, explain: true})
    watcher = new PoolWatcher(pool, {shared: false})
    await watcher.start()
  })

  afterEach(async () => {
    app?.unmount()
    app = null
    watcher.stop()
    await pool.close().catch(() => {})
    tmp.cleanup()
  })

  function mount(size = {columns: 100, rows: 30}): {ends: ReplEnd[]} {
    const ends: ReplEnd[] = []
    app = render(<App watcher={watcher} dispatcher={createDispatcher(pool)} attachedKey={null} palette={null} onExit={(e) => ends.push(e)} size={size} />)
    return {ends}
  }

  const frame = () => plain(app?.lastFrame())
  const waitFor = (text: string | RegExp, what = String(text)) => until(() => (typeof text === 'string' ? frame().includes(text) : text.test(frame())), what, frame)

  async function type(line: string): Promise<void> {
    app!.stdin.write(line)
    await waitFor(`mpool> ${line}`, `the prompt to echo ${line}`)
    app!.stdin.write('\r')
  }

  it('runs a verb typed at the prompt and draws its page, its cell and its narration', async () => {
    mount()
    await waitFor('mpool>')
    await type('get 1')
    await waitFor('get 1: miss; read page 1 at offset 512 into frame 0; pinned (1)')
    assert.match(frame(), / 1 p1 /)
    assert.match(frame(), /page 1 · offset 512 · frame 0 · pins 1 · clean · unchanged since read/)
    assert.match(frame(), /00000200: 02 02 02/)
  })

  it('never draws more lines than rows - 1 nor wider than the columns', async () => {
    mount({columns: 80, rows: 24})
    await waitFor('mpool>')
    await type('get 3')
    await waitFor('get 3: miss')
    const lines = frame().split('\n')
    assert.ok(lines.length <= 23, `${lines.length} lines`)
    for (const line of lines) assert.ok(line.length <= 80, `too wide: ${line}`)
  })

  it('shows an error in place and goes on', async () => {
    mount()
    await waitFor('mpool>')
    await type('get 99')
    await waitFor('✗ page 99 is past the end of ')
    await type('get 2')
    await waitFor('get 2: miss')
    assert.ok(!frame().includes('✗'), 'the error is gone once the next line ran')
  })

  it('completes a verb with Tab and brings a line back with ↑', async () => {
    mount()
    await waitFor('mpool>')
    app!.stdin.write('sy')
    await waitFor('mpool> sy')
    app!.stdin.write('\t')
    await waitFor(/mpool> sync\s*\n/)
    app!.stdin.write('\r')
    await waitFor('sync: nothing dirty to write')
    app!.stdin.write('\u001B[A')
    await waitFor('mpool> sync')
  })

  it('moves the focus to the grid with Tab on an empty line and shows the page selected', async () => {
    mount()
    await waitFor('mpool>')
    await type('get 1')
    await waitFor('get 1: miss')
    await type('get 2')
    await waitFor('get 2: miss')
    app!.stdin.write('\t')
    await waitFor('grid: page 1')
    await waitFor(/page 1 · offset 512/)
    app!.stdin.write('\u001B[C')
    await waitFor('grid: page 2')
    await waitFor(/page 2 · offset 1024/)
    app!.stdin.write('\r')
    await until(() => !frame().includes('grid: page'), 'the focus back on the prompt', frame)
    assert.match(frame(), /page 2 · offset 1024/)
  })

  it('scrolls a long page with PgDn and PgUp', async () => {
    await pool.close()
    watcher.stop()
    const file = tmp.file(Buffer.from(Array.from({length: 8192}, (_, i) => (i * 7) & 0xff)), 'varied.db')
    pool = LocalPool.open(file, {pagesize: 4096, maxcache: 2, explain: true})
    watcher = new PoolWatcher(pool, {shared: false})
    await watcher.start()
    mount()
    await waitFor('mpool>')
    await type('get 1')
    await waitFor(/page 1 · offset 4096 .* · lines 1-\d+ of 257$/m)
    assert.match(frame(), /^00001000: 00 07 0e 15/m)
    app!.stdin.write('\u001B[6~')
    await waitFor(/lines 9-\d+ of 257/)
    assert.match(frame(), /^00001080: 80 87 8e 95/m)
    app!.stdin.write('\u001B[5~')
    await waitFor(/lines 1-\d+ of 257/)
  })

  it('shows help in the hex pane until Esc', async () => {
    mount()
    await waitFor('mpool>')
    await type('help')
    await waitFor('help (Esc hides it)')
    assert.match(frame(), /put PGNO \[--dirty\]/)
    app!.stdin.write('\u001B')
    await until(() => !frame().includes('help (Esc hides it)'), 'help to go', frame)
  })

  it('quits on quit, on Ctrl-D on an empty line, and on Ctrl-C', async () => {
    for (const keys of ['quit\r', '\u0004', '\u0003']) {
      const {ends} = mount()
      await waitFor('mpool>')
      app!.stdin.write(keys)
      await until(() => ends.length > 0, `quit by ${JSON.stringify(keys)}`, frame)
      assert.deepEqual(ends, [{how: 'quit'}])
      app!.unmount()
    }
  })

  it('ends with what close reported when close is typed', async () => {
    const {ends} = mount()
    await waitFor('mpool>')
    await type('get 4')
    await waitFor('get 4: miss')
    await type('close')
    await until(() => ends.length > 0, 'the end', frame)
    assert.deepEqual(ends, [{how: 'closed', report: {dirty: [], pinned: [4]}}])
  })
})
