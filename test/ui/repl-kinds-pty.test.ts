/*
 * The REPL in a real pseudo-terminal over a database the sqlite3 CLI made: the grid labels the
 * frames with their pages' kinds (as sqlite3's dbstat names them), and Ctrl-T shows the page's
 * decoded fields and then the hex alone again. Every wait is for the screen, never for time.
 */
import assert from 'node:assert/strict'
import {buildOnce, CliSandbox} from '../helpers/cli.js'
import {dbstatKind, kindsDatabase} from './helpers/kinds-db.js'
import {PtyScreen} from './helpers/screen.js'

describe('mpool repl on a SQLite database in a real terminal', function () {
  this.timeout(60_000)
  const box = new CliSandbox('mpool-ui-kinds-pty-')
  let screen: PtyScreen
  let file: string

  async function run(line: string, expect: string | RegExp): Promise<void> {
    screen.type(line)
    await screen.waitForText(`mpool> ${line}`)
    screen.type('\r')
    await screen.waitForText(expect)
  }

  before(async () => {
    buildOnce()
    file = box.path('kinds.db')
    kindsDatabase(file)
    screen = new PtyScreen(['repl', file, '--maxcache', '4'], {cols: 80, rows: 24, cwd: box.dir, env: {MPOOL_RUNTIME_DIR: box.runtime}})
    await screen.waitForText('mpool>', 15_000)
  })
  after(async () => {
    await screen.kill()
    await box.cleanup()
  })

  it("labels the frames with their pages' kinds, as dbstat says, within 80x24", async () => {
    await run('get 0', 'get 0: miss')
    await run('get 1', 'get 1: miss')
    const root = dbstatKind(file, 2)
    await screen.waitForText(new RegExp(`1 p1 +${root.kind} ${root.owner}`))
    await screen.waitForText(new RegExp(` 0 p1 +${dbstatKind(file, 1).kind} `))
    assert.deepEqual(screen.wrappedRows(), [], `no row wider than 80 columns:\n${screen.text()}`)
  })

  it('shows the decoded fields on Ctrl-T and the hex alone on Ctrl-T again', async () => {
    await screen.waitForText('page 1 · offset 1024')
    screen.type('\u0014')
    await screen.waitForText('cell content start')
    assert.match(screen.text(), /pgno 1 = SQLite page 2: table-interior/)
    screen.type('\u0014')
    await screen.waitFor(() => !screen.text().includes('cell content start'), 'the decoded view to go')
    assert.match(screen.text(), /00000400: 05 /)
  })
})
