import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import * as pty from 'node-pty'
import {helpKey, saveHelp} from '../../src/cli/help-cache.js'
import {BIN, buildOnce, CliSandbox, ROOT} from '../helpers/cli.js'

const TRACER = path.join(ROOT, 'test', 'helpers', 'import-trace.mjs')
const DIST_CLI = path.join(ROOT, 'dist', 'cli')
const OCLIF = /node_modules\/@oclif\//

/** The help cache files of `command` at `width`, which a test removes to start from a miss. */
function forget(command: string, width: number): void {
  for (const name of fs.readdirSync(DIST_CLI)) if (name.startsWith(`help.${command}.${width}.`) && name.endsWith('.cache')) fs.rmSync(path.join(DIST_CLI, name))
}

describe("help from the cache of oclif's own text", function () {
  this.timeout(60_000)
  const box = new CliSandbox('mpool-help-cache-')
  let serial = 0

  before(() => buildOnce())
  after(() => box.cleanup())

  /** help -- `mpool ARGS` in a pipe: its output, and whether it loaded oclif. */
  async function help(args: string[], env: Record<string, string | undefined> = {}): Promise<{stdout: string; oclif: boolean}> {
    const trace = box.path(`trace-${serial++}.txt`)
    const r = await box.run(args, {env: {...env, MPOOL_IMPORT_TRACE: trace, NODE_OPTIONS: `--import ${TRACER}`}})
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stderr, '')
    return {stdout: r.stdout, oclif: OCLIF.test(fs.readFileSync(trace, 'utf8'))}
  }

  it('prints help at another width from the text oclif printed on its first run there, at two widths', async () => {
    const plain = (await help(['get', '--help'])).stdout
    for (const width of [57, 131]) {
      forget('get', width)
      const env = {OCLIF_COLUMNS: String(width)}
      const live = await help(['help', 'get'], env)
      assert.ok(live.oclif)
      forget('get', width)
      const first = await help(['get', '--help'], env)
      assert.ok(first.oclif, `at ${width} columns the first run is oclif's`)
      const second = await help(['get', '--help'], env)
      assert.ok(!second.oclif, `at ${width} columns the second run is served without oclif`)
      assert.equal(first.stdout, live.stdout)
      assert.equal(second.stdout, live.stdout)
      assert.notEqual(second.stdout, plain, `${width} columns wrap otherwise than 80`)
    }
  })

  it('prints help on a terminal, in colour at its width, exactly as oclif does', async () => {
    forget('dump', 97)
    const trace = box.path('pty-trace.txt')
    const env: Record<string, string> = {}
    for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !/^(NO_COLOR|FORCE_COLOR|CI|OCLIF_COLUMNS)$/.test(name)) env[name] = value
    Object.assign(env, {TERM: 'xterm-256color', MPOOL_RUNTIME_DIR: box.runtime, MPOOL_IMPORT_TRACE: trace, NODE_OPTIONS: `--import ${TRACER}`})
    const onTerminal = (args: string[]) =>
      new Promise<{screen: string; oclif: boolean}>((resolve) => {
        fs.writeFileSync(trace, '')
        const child = pty.spawn(process.execPath, [BIN, ...args], {name: 'xterm-256color', cols: 97, rows: 50, cwd: box.dir, env})
        let screen = ''
        child.onData((data) => (screen += data))
        child.onExit(({exitCode}) => {
          assert.equal(exitCode, 0, screen)
          resolve({screen, oclif: OCLIF.test(fs.readFileSync(trace, 'utf8'))})
        })
      })
    const live = await onTerminal(['help', 'dump'])
    const first = await onTerminal(['dump', '--help'])
    const served = await onTerminal(['dump', '--help'])
    assert.ok(live.oclif && first.oclif, 'oclif renders help at a new width and colour')
    assert.ok(!served.oclif, 'the second help at this width and colour is served without oclif')
    assert.equal(first.screen, live.screen)
    assert.equal(served.screen, live.screen)
    assert.match(served.screen, /\x1b\[1mUSAGE\x1b\[22m/, 'section headers in bold, as oclif draws them on a terminal')
  })

  it('never serves a text saved under other conditions: another build, a theme, colour asked for', async () => {
    const file = path.join(DIST_CLI, 'help.stats.80.c0.cache')
    const seeded = fs.readFileSync(file, 'utf8')
    const plain = seeded.slice(seeded.indexOf('\n') + 1)
    try {
      // The same key with another text: served, so the cache is what the light entry prints.
      fs.writeFileSync(file, `${seeded.slice(0, seeded.indexOf('\n'))}\nFROM THE CACHE\n`)
      assert.equal((await help(['stats', '--help'])).stdout, 'FROM THE CACHE\n')
      // Saved for another build of the manifest: not served; oclif renders it and saves it anew.
      const key = JSON.parse(seeded.slice(0, seeded.indexOf('\n'))) as {stamps: string[]}
      key.stamps[1] = '1:1'
      fs.writeFileSync(file, `${JSON.stringify(key)}\nSTALE\n`)
      const rebuilt = await help(['stats', '--help'])
      assert.ok(rebuilt.oclif)
      assert.equal(rebuilt.stdout, plain)
      assert.equal(fs.readFileSync(file, 'utf8'), seeded, 'saved again under the key of now')
    } finally {
      fs.writeFileSync(file, seeded)
    }
    // A user theme (oclif reads it from the config directory) is rendered by oclif, not the plain text.
    const config = box.path('config')
    fs.mkdirSync(config)
    fs.writeFileSync(path.join(config, 'theme.json'), JSON.stringify({sectionHeader: 'red', flag: '#00ff00'}))
    const themed = {MPOOL_CONFIG_DIR: config, FORCE_COLOR: '3', NO_COLOR: undefined}
    const first = await help(['stats', '--help'], themed)
    assert.ok(first.oclif)
    assert.match(first.stdout, /\x1b\[31m/, 'the theme red')
    assert.equal((await help(['stats', '--help'], themed)).stdout, first.stdout)
    fs.writeFileSync(path.join(config, 'theme.json'), JSON.stringify({sectionHeader: 'blue'}))
    const changed = await help(['stats', '--help'], themed)
    assert.ok(changed.oclif, 'a changed theme is a miss')
    assert.match(changed.stdout, /\x1b\[34m/, 'the theme blue')
    // Colour forced into a pipe: oclif's colours, not the seeded plain text.
    const forced = await help(['stats', '--help'], {FORCE_COLOR: '1', NO_COLOR: undefined})
    assert.notEqual(forced.stdout, plain)
    assert.equal(forced.stdout, (await help(['help', 'stats'], {FORCE_COLOR: '1', NO_COLOR: undefined})).stdout)
    assert.equal((await help(['stats', '--help'])).stdout, plain, 'and the plain text still serves a plain pipe')
  })

  it('saves in the per-user cache directory where the first place cannot be written', () => {
    const blocked = box.path('not-a-dir')
    fs.writeFileSync(blocked, '')
    const user = box.path('user-cache')
    const key = helpKey(ROOT, 'sync')
    assert.equal(saveHelp(ROOT, key, 'text\n', [path.join(blocked, 'cli'), user]), true)
    assert.deepEqual(fs.readdirSync(user), [`help.sync.${key.width}.c0.cache`])
    assert.equal(saveHelp(ROOT, key, 'text\n', [path.join(blocked, 'cli')]), false, 'nowhere to write is no error')
  })
})
