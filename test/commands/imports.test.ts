import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {buildOnce, CliSandbox, ROOT} from '../helpers/cli.js'

const TRACER = path.join(ROOT, 'test', 'helpers', 'import-trace.mjs')

describe('what each command loads', function () {
  this.timeout(60_000)
  const box = new CliSandbox('mpool-imports-')
  let serial = 0

  before(async () => {
    buildOnce()
    fs.writeFileSync(box.path('p.db'), Buffer.alloc(4 * 4096))
    assert.equal((await box.run(['open', box.path('p.db')])).status, 0)
  })
  after(() => box.cleanup())

  /** The ES modules `mpool ARGS` resolved, as URLs. */
  async function modulesOf(args: string[], env: Record<string, string> = {}): Promise<string[]> {
    const trace = box.path(`trace-${serial++}.txt`)
    const r = await box.run(args, {env: {...env, MPOOL_IMPORT_TRACE: trace, NODE_OPTIONS: `--import ${TRACER}`}})
    assert.equal(r.status, 0, r.stderr)
    return fs.readFileSync(trace, 'utf8').trim().split('\n')
  }

  const loads = (modules: string[], what: RegExp) => modules.some((url) => what.test(url))
  const INK = /node_modules\/(ink|react)\//
  const CHALK = /node_modules\/chalk\//

  it('dump --file loads neither oclif, nor chalk, nor the session layer, nor Ink and React', async () => {
    const modules = await modulesOf(['dump', '0', '--file', box.path('p.db')])
    assert.ok(loads(modules, /dist\/cli\/fast-dump\.js$/), 'the tracer sees the fast path')
    assert.ok(!loads(modules, /@oclif\/core/))
    assert.ok(!loads(modules, CHALK))
    assert.ok(!loads(modules, /dist\/session\//))
    assert.ok(!loads(modules, INK))
  })

  it('get, put and ls never load Ink or React, and chalk only for colour', async () => {
    for (const args of [['get', '1'], ['put', '1', '--text', 'x'], ['ls'], ['stats']]) {
      const modules = await modulesOf(args)
      assert.ok(loads(modules, /dist\/commands\//), `${args[0]}: the tracer sees the command`)
      assert.ok(!loads(modules, INK), `${args[0]} loaded Ink or React`)
      assert.ok(!loads(modules, CHALK), `${args[0]} loaded chalk with no colour wanted`)
    }
    assert.ok(loads(await modulesOf(['dump', '1'], {FORCE_COLOR: '1'}), CHALK), 'with colour asked for, chalk is loaded')
  })
})
