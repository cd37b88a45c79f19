import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {execFileSync} from 'node:child_process'
import {BIN, buildOnce, CliSandbox, ROOT} from '../helpers/cli.js'
import {sqlite3} from '../helpers/sqlite3.js'

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

  /** The modules `mpool ARGS` loaded, as URLs: all of them (ES modules and CommonJS), and the ES modules alone. */
  async function traceOf(args: string[], env: Record<string, string> = {}, status = 0): Promise<{all: string[]; esm: string[]}> {
    const trace = box.path(`trace-${serial++}.txt`)
    const r = await box.run(args, {env: {...env, MPOOL_IMPORT_TRACE: trace, NODE_OPTIONS: `--import ${TRACER}`}})
    assert.equal(r.status, status, r.stderr)
    const lines = fs.readFileSync(trace, 'utf8').trim().split('\n')
    const url = (line: string) => line.replace(/^(esm|cjs) /, '')
    return {all: lines.map(url), esm: lines.filter((line) => line.startsWith('esm ')).map(url)}
  }

  /** The modules `mpool ARGS` loaded, as URLs. */
  async function modulesOf(args: string[], env: Record<string, string> = {}, status = 0): Promise<string[]> {
    return (await traceOf(args, env, status)).all
  }

  const loads = (modules: string[], what: RegExp) => modules.some((url) => what.test(url))
  const INK = /node_modules\/(ink|react)\//
  // chalk is bundled on its own (scripts/bundle-light.mjs), as are the format decoders.
  const CHALK = /node_modules\/chalk\/|dist\/cli\/light-chalk\.cjs$/

  const OCLIF = /node_modules\/@oclif\//
  const BUNDLE = /dist\/cli\/light\.bundle\.cjs$/
  const LOADER = /dist\/cli\/bundle-loader\.cjs$/
  const FORMATS = /dist\/cli\/light-formats\.cjs$/
  const SQLITE_DECODERS = /dist\/cli\/light-format-sqlite\.cjs$/
  const ANY_DECODERS = /dist\/cli\/light-format-\w+\.cjs$/

  it('every verb runs from the one light bundle: no oclif, no Ink or React, no other module of ours, no ES module, chalk only for colour', async () => {
    const lines = [['open', box.path('p.db')], ['get', '1'], ['put', '1', '--text', 'x'], ['ls'], ['stats'], ['dump'], ['dump', '0', '--file', box.path('p.db')], ['new'], ['delete', '4'], ['sync'], ['get', '1', '--json'], ['put', '1', '--bogus', '--json']]
    for (const args of lines) {
      const {all: modules, esm} = await traceOf(args, {}, args.includes('--bogus') ? 2 : 0)
      const where = `mpool ${args.join(' ')}`
      assert.ok(loads(modules, BUNDLE), `${where}: the tracer sees the bundle`)
      assert.ok(!loads(modules, OCLIF), `${where} loaded oclif`)
      assert.ok(!loads(modules, INK), `${where} loaded Ink or React`)
      assert.ok(!loads(modules, CHALK), `${where} loaded chalk with no colour wanted`)
      // Node's ES module loader costs more to start than a verb's own work: nothing of ours is
      // an ES module (the tracer makes node resolve the entry, bin/run.js, through it).
      assert.deepEqual(esm.filter((url) => url.startsWith('file:') && !/\/test\/helpers\/|\/bin\/run\.js$/.test(url)), [], `${where}: ES modules`)
      const beside = modules.filter((url) => /\/dist\//.test(url) && !BUNDLE.test(url) && !LOADER.test(url))
      // The format decoders (their own bundle) load only where a file's format is detected:
      // dump --file; open here joins the pool opened in before(), which detected it.
      const detects = args.includes('--file')
      assert.deepEqual(beside.filter((url) => !FORMATS.test(url)), [], `${where}: modules beside the bundle`)
      assert.equal(loads(modules, FORMATS), detects, `${where}: ${detects ? 'detects a file format without the decoders' : 'loaded the format decoders'}`)
    }
  })

  it("loads a format's decoders for --decode and map, which need them, and only the pool's file's format", async () => {
    sqlite3(box.path('s.db'), 'CREATE TABLE t(a); INSERT INTO t VALUES (1);')
    assert.equal((await box.run(['open', box.path('s.db'), '--key', 'sq'])).status, 0)
    try {
      for (const args of [['get', '1', '--decode', '--key', 'sq'], ['map', '--key', 'sq']]) {
        const modules = await modulesOf(args)
        const where = `mpool ${args.join(' ')}`
        assert.ok(loads(modules, SQLITE_DECODERS), `${where} did not load the SQLite decoders`)
        assert.deepEqual(modules.filter((url) => ANY_DECODERS.test(url) && !SQLITE_DECODERS.test(url)), [], `${where} loaded another format's decoders`)
        assert.ok(!loads(modules, FORMATS), `${where} loaded every format (the registry)`)
      }
    } finally {
      assert.equal((await box.run(['close', '--key', 'sq'])).status, 0)
    }
    for (const args of [['get', '1', '--decode'], ['map']]) {
      const modules = await modulesOf(args, {}, 6) // a plain page file: EFTYPE, with nothing to decode it by
      assert.ok(!loads(modules, ANY_DECODERS) && !loads(modules, FORMATS), `mpool ${args.join(' ')} on a plain page file loaded decoders`)
    }
  })

  it('runs the verbs on a pool with V8\'s optimizing compiler starting late: not for one page, yes for a long range, and at once for map', async () => {
    const run = fs.readFileSync(path.join(ROOT, 'bin', 'run.js'), 'utf8')
    const listed = JSON.parse(/const OPTIMIZED_LATE = (\[[^\]]*\])/.exec(run)![1]!.replace(/'/g, '"')) as string[]
    const {SHELL_COMMANDS} = await import('../../src/cli/commands/index.js')
    assert.deepEqual([...listed].sort(), Object.keys(SHELL_COMMANDS).filter((name) => name !== 'map').sort())
    // a full table leaf decoded: its hot loops are marked for optimization unless the compiler starts late
    const db = box.path('leaf.db')
    sqlite3(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000) INSERT INTO t SELECT i, i * 3, 'x' || i FROM s;")
    assert.equal((await box.run(['open', db, '--key', 'leaf'])).status, 0)
    try {
      // node --trace-opt (NODE_OPTIONS may not carry it) prints on stdout what it marks for optimizing
      const traced = (args: string[]) => execFileSync(process.execPath, ['--trace-opt', BIN, ...args], {env: {...process.env, MPOOL_RUNTIME_DIR: box.runtime, MPOOL_LOCK_DIR: box.path('locks'), NO_COLOR: '1'}, encoding: 'utf8', maxBuffer: 1 << 26})
      const decoded = traced(['get', '2', '--decode', '--key', 'leaf'])
      assert.match(decoded, /table-leaf of t/)
      assert.doesNotMatch(decoded, /^\[marking /m, 'get --decode optimized code')
      // every page of a larger database decoded (about 180 pages), many times one page's work: optimized after all
      const big = box.path('big.db')
      sqlite3(big, "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 40000) INSERT INTO t SELECT i, i * 3, 'x' || i FROM s;")
      const pages = (JSON.parse((await box.run(['map', '--file', big, '--json'])).stdout) as {pages: unknown[]}).pages.length
      assert.ok(pages > 150)
      assert.match(traced(['dump', `0-${pages - 1}`, '--file', big, '--decode']), /^\[marking /m, 'a long range ran unoptimized to its end')
      // map keeps V8's usual budget: its table, a line a page, is hot within 2,000 pages (the pass and the walk are WebAssembly)
      const walked = box.path('walked.db')
      sqlite3(walked, "CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 400000) INSERT INTO t SELECT i, i * 3, 'x' || i FROM s;")
      assert.match(traced(['map', '--file', walked]), /^\[marking .*JSFunction (entryAt|table|line) /m, 'map --file of 2,000 pages optimized none of its table')
    } finally {
      assert.equal((await box.run(['close', '--key', 'leaf'])).status, 0)
    }
  })

  it("prints a verb's --help into a pipe without oclif, exactly as oclif's help plugin prints it", async () => {
    for (const name of ['open', 'ls', 'new', 'get', 'put', 'delete', 'sync', 'stats', 'dump', 'close']) {
      const live = await box.run(['help', name])
      assert.equal(live.status, 0, live.stderr)
      for (const flag of ['--help', '-h']) {
        const built = await box.run([name, flag])
        assert.equal(built.status, 0, built.stderr)
        assert.equal(built.stdout, live.stdout, `mpool ${name} ${flag} vs mpool help ${name}`)
      }
    }
    assert.ok(!loads(await modulesOf(['get', '--help']), OCLIF))
    assert.match((await box.run(['get', '--help'])).stdout, /^Pin a page and show its bytes/)
  })

  it('leaves help to oclif for the rest, and for a width it was not rendered at before', async () => {
    assert.ok(loads(await modulesOf(['help', 'get']), OCLIF))
    assert.ok(loads(await modulesOf(['repl', '--help']), OCLIF))
    for (const name of fs.readdirSync(path.join(ROOT, 'dist', 'cli'))) if (/^help\.get\.119\./.test(name)) fs.rmSync(path.join(ROOT, 'dist', 'cli', name))
    assert.ok(loads(await modulesOf(['get', '--help'], {OCLIF_COLUMNS: '119'}), OCLIF))
    assert.ok(loads(await modulesOf(['dump', '1'], {FORCE_COLOR: '1'}), CHALK), 'with colour asked for, chalk is loaded')
  })
})
