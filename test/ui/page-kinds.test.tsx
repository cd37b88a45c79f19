/*
 * The REPL understands pages: the frame grid labels each cached page with its kind (and its
 * owner when short), and Ctrl-T toggles the page pane's decoded view. The whole App with
 * ink-testing-library over a real pool on a database the sqlite3 CLI made, checked against
 * sqlite3's own dbstat; and over a plain page file, which has no labels and no decoded view.
 */
import assert from 'node:assert/strict'
import {render} from 'ink-testing-library'
import {fileFormat} from '../../src/cli/file-format.js'
import {loadPalette} from '../../src/render/palette.js'
import {LocalPool} from '../../src/session/local.js'
import {App} from '../../src/ui/app.js'
import {createDispatcher} from '../../src/ui/dispatch.js'
import {labelText} from '../../src/ui/labels.js'
import {PoolWatcher} from '../../src/ui/watcher.js'
import {dbstatKind, kindsDatabase} from './helpers/kinds-db.js'
import {TmpDir} from '../helpers/tmp.js'
import {plain, until} from './helpers/frames.js'

/** openPool -- a private pool over `file` at the page size and format `mpool repl FILE` would choose (src/cli/file-format.ts) */
async function openPool(file: string, pagesize?: number): Promise<LocalPool> {
  const choice = await fileFormat(file, pagesize, 'repl')
  return LocalPool.open(file, {pagesize: choice.pagesize, maxcache: 4, explain: true, format: choice.format})
}

describe('labelText', () => {
  it('gives the kind and the owner when both fit, the kind alone when the owner is long, and never more than the room', () => {
    assert.equal(labelText({kind: 'table-leaf', owner: 't'}), 'table-leaf t')
    assert.equal(labelText({kind: 'index-interior', owner: 'ix'}), 'index-interior ix')
    assert.equal(labelText({kind: 'table-leaf', owner: 'sqlite_schema'}), 'table-leaf')
    assert.equal(labelText({kind: 'heap', owner: null}), 'heap')
    assert.equal(labelText({kind: 'freelist-trunk', owner: null}, 8), 'freelis…')
  })
})

describe('the REPL over a SQLite database', function () {
  this.timeout(20_000)
  let tmp: TmpDir
  let file: string
  let pool: LocalPool
  let watcher: PoolWatcher
  let app: ReturnType<typeof render> | null = null

  beforeEach(async () => {
    tmp = new TmpDir('mpool-ui-kinds-')
    file = tmp.path('kinds.db')
    kindsDatabase(file)
    pool = await openPool(file)
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

  const frame = () => plain(app?.lastFrame())
  const waitFor = (text: string | RegExp, what = String(text)) => until(() => (typeof text === 'string' ? frame().includes(text) : text.test(frame())), what, frame)

  async function type(line: string): Promise<void> {
    app!.stdin.write(line)
    await waitFor(`mpool> ${line}`, `the prompt to echo ${line}`)
    app!.stdin.write('\r')
  }

  it("labels each frame with its page's kind and short owner, as dbstat says, at 80x24, moving no counter", async () => {
    app = render(<App watcher={watcher} dispatcher={createDispatcher(pool)} attachedKey={null} palette={null} onExit={() => {}} size={{columns: 80, rows: 24}} />)
    await waitFor('mpool>')
    for (const pgno of [0, 1, 2]) {
      await type(`get ${pgno}`)
      await waitFor(`get ${pgno}: miss`)
    }
    const schema = dbstatKind(file, 1)
    assert.equal(schema.owner, 'sqlite_schema')
    await waitFor(new RegExp(` 0 p1 +${schema.kind} `), 'page 0 labelled with its kind alone (its owner is too long)')
    for (const page of [2, 3]) {
      const {owner, kind} = dbstatKind(file, page)
      await waitFor(new RegExp(`${page - 1} p1 +${kind} ${owner}`), `pgno ${page - 1} labelled ${kind} ${owner}`)
    }
    const lines = frame().split('\n')
    assert.ok(lines.length <= 23, `${lines.length} lines`)
    for (const line of lines) assert.ok(line.length <= 80, `too wide: ${line}`)
    // labelling read every page by peek: the counters are those of the three gets alone
    const stats = await pool.stats()
    assert.deepEqual([stats.pageget, stats.cachemiss, stats.cachehit, stats.pageread], [3, 3, 0, 3])
  })

  it('with no palette (NO_COLOR) the decoded view sends no colour escape, and fits 80x24', async () => {
    app = render(<App watcher={watcher} dispatcher={createDispatcher(pool)} attachedKey={null} palette={null} onExit={() => {}} size={{columns: 80, rows: 24}} />)
    await waitFor('mpool>')
    await type('get 1')
    await waitFor('page 1 · offset 1024')
    app.stdin.write('\u0014')
    await waitFor('cell content start', 'the decoded view')
    // SGR foreground or background colours: 30-49, 90-107, 38/48 extended
    assert.doesNotMatch(app.lastFrame() ?? '', /\u001B\[(?:[^m]*;)?(?:3\d|4\d|9\d|10\d)(?:;[^m]*)?m/)
    const lines = frame().split('\n')
    assert.ok(lines.length <= 23, `${lines.length} lines`)
    for (const line of lines) assert.ok(line.length <= 80, `too wide: ${line}`)
  })

  it('Ctrl-T shows the decoded view, field names in the colours of their bytes, and toggles back', async () => {
    const palette = await loadPalette(1)
    app = render(<App watcher={watcher} dispatcher={createDispatcher(pool)} attachedKey={null} palette={palette} onExit={() => {}} size={{columns: 100, rows: 40}} />)
    await waitFor('mpool>')
    await type('get 1')
    await waitFor('get 1: miss')
    await waitFor('page 1 · offset 1024')
    assert.doesNotMatch(frame(), /cell content start/)
    app.stdin.write('\u0014')
    await waitFor('cell content start', 'the decoded view')
    assert.match(frame(), /pgno 1 = SQLite page 2: table-interior/)
    assert.match(frame(), /decoded \(Ctrl-T: hex only\)/)
    // the field's name and its bytes in the hex below share the page-header region's colour
    const paint = palette!.region['page-header']('')
    const open = paint.slice(0, paint.indexOf('\u001B[', 1))
    const raw = app.lastFrame() ?? ''
    assert.ok(raw.includes(`${open}cell content start`), 'the name is in the page-header colour')
    assert.ok(raw.includes(`${open}05`), 'the page-header bytes are in the same colour in the hex')
    app.stdin.write('\u0014')
    await until(() => !frame().includes('cell content start'), 'the decoded view to go', frame)
    assert.match(frame(), /00000400: 05 /)
  })
})

describe('the REPL over a plain page file', () => {
  let tmp: TmpDir
  let pool: LocalPool
  let watcher: PoolWatcher
  let app: ReturnType<typeof render> | null = null

  afterEach(async () => {
    app?.unmount()
    watcher.stop()
    await pool.close().catch(() => {})
    tmp.cleanup()
  })

  it('labels no frame, and Ctrl-T says in one line that there is no format', async () => {
    tmp = new TmpDir('mpool-ui-plain-')
    pool = await openPool(tmp.pageFile(512, 8).file, 512)
    watcher = new PoolWatcher(pool, {shared: false})
    await watcher.start()
    app = render(<App watcher={watcher} dispatcher={createDispatcher(pool)} attachedKey={null} palette={null} onExit={() => {}} size={{columns: 80, rows: 24}} />)
    const frame = () => plain(app?.lastFrame())
    await until(() => frame().includes('mpool>'), 'the prompt', frame)
    app.stdin.write('get 1')
    await until(() => frame().includes('mpool> get 1'), 'the echo', frame)
    app.stdin.write('\r')
    await until(() => frame().includes('get 1: miss'), 'get 1', frame)
    assert.match(frame(), /^ 1 p1 {4}·/m)
    app.stdin.write('\u0014')
    await until(() => /^no format: file0 is a plain page file, nothing to decode$/m.test(frame()), 'the no-format line, one line', frame)
    assert.doesNotMatch(frame(), /decoded \(Ctrl-T/)
  })
})
