/*
 * The package contract: what `npm run build` makes is what a user imports.
 *
 * The child processes import 'mpool' exactly as a user's code would; with the repository as
 * the working directory, Node resolves the package's own name through package.json "exports"
 * (self-reference), so this exercises dist/, the exports map and the ESM build, not src/.
 * dist/ is rebuilt first when any file under src/ is newer than dist/index.js.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import ts from 'typescript'
import {TmpDir} from './helpers/tmp.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const distIndex = path.join(repo, 'dist', 'index.js')

/** newestSource -- the latest modification time of any file under src/. */
function newestSource(): number {
  let newest = 0
  for (const entry of fs.readdirSync(path.join(repo, 'src'), {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs)
  }
  return newest
}

/** runModule -- run ES module source in a child node with the repository as cwd; its stdout. */
function runModule(source: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: repo,
    encoding: 'utf8',
    env: {...process.env, NODE_OPTIONS: '', ...env},
    timeout: 20_000,
  })
}

describe('the mpool package', function () {
  this.timeout(120_000)
  let tmp: TmpDir

  before(() => {
    if (!fs.existsSync(distIndex) || fs.statSync(distIndex).mtimeMs < newestSource()) {
      execFileSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
        cwd: repo,
        stdio: 'pipe',
      })
    }
    tmp = new TmpDir()
  })

  after(() => {
    tmp?.cleanup()
  })

  it('imports MPool, MPOOL_DIRTY and MPoolError from "mpool" and runs a pool from the built files', () => {
    const file = tmp.file(Buffer.alloc(3 * 32, 1))
    const out = runModule(`
      import fs from 'node:fs'
      import {MPool, MPOOL_DIRTY, MPoolError} from 'mpool'
      const fd = fs.openSync(${JSON.stringify(file)}, 'r+')
      const pool = MPool.open(null, fd, 32, 2)
      const page = pool.get(1)
      page.fill(0x42)
      pool.put(page, MPOOL_DIRTY)
      const {pgno} = pool.new()
      pool.put(pgno)
      const written = pool.sync()
      let code = null
      try { pool.get(99) } catch (err) { code = err instanceof MPoolError ? err.code : 'not an MPoolError' }
      const {cachehit, cachemiss, pagenew, pagewrite} = pool.stats()
      console.log(JSON.stringify({MPOOL_DIRTY, written, code, npages: pool.npages, cachehit, cachemiss, pagenew, pagewrite, close: pool.close()}))
      fs.closeSync(fd)
    `)
    assert.deepEqual(JSON.parse(out), {
      MPOOL_DIRTY: 1, written: 1, code: 'EINVAL', npages: 4, cachehit: 0, cachemiss: 1, pagenew: 1, pagewrite: 1,
      close: {dirty: [], pinned: []},
    })
    assert.deepEqual(fs.readFileSync(file).subarray(32, 64), Buffer.alloc(32, 0x42))
  })

  it('exports the whole engine surface from the package root', () => {
    const out = runModule(`
      import * as mpool from 'mpool'
      console.log(JSON.stringify(Object.keys(mpool).sort()))
    `)
    const names: string[] = JSON.parse(out)
    for (const name of ['MPool', 'MPOOL_DIRTY', 'MPoolError', 'FileIO', 'MAX_PGNO', 'MAX_PAGESIZE', 'MAX_MAXCACHE', 'POLICY_NAMES', 'DEFAULT_POLICY']) {
      assert.ok(names.includes(name), `exports ${name}: ${names.join(', ')}`)
    }
  })

  it('ships type declarations that a TypeScript user type-checks against', () => {
    assert.match(fs.readFileSync(path.join(repo, 'dist', 'index.d.ts'), 'utf8'), /pool\/index\.js/)
    assert.match(fs.readFileSync(path.join(repo, 'dist', 'pool', 'mpool.d.ts'), 'utf8'), /export declare class MPool\b/)
    // A user project: node_modules/mpool is this package, the consumer imports it by name.
    const project = tmp.path('consumer')
    fs.mkdirSync(path.join(project, 'node_modules'), {recursive: true})
    fs.symlinkSync(repo, path.join(project, 'node_modules', 'mpool'), 'dir')
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({type: 'module'}))
    const consumer = path.join(project, 'use.ts')
    fs.writeFileSync(consumer, [
      "import {MPool, MPOOL_DIRTY, MPoolError, type MPoolStats, type PoolEvent} from 'mpool'",
      'const pool: MPool = MPool.open(null, 0, 64, 8)',
      'const stats: MPoolStats = pool.stats()',
      'const hits: number = stats.cachehit',
      'const page: Buffer = pool.get(0)',
      'pool.put(page, MPOOL_DIRTY)',
      'pool.on((event: PoolEvent) => { if (event.type === "hit") console.log(event.pgno) })',
      'const err = new MPoolError("EINVAL", "x")',
      'const code: string = err.code',
      '// @ts-expect-error a page number is a number: the declarations are real types, not any',
      'pool.get("0")',
      'console.log(hits, code)',
      '',
    ].join('\n'))
    const program = ts.createProgram([consumer], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(repo, 'node_modules', '@types')],
    })
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    assert.deepEqual(diagnostics, [])
    const resolved = program.getSourceFiles().map((f) => f.fileName).filter((f) => f.includes('mpool.d.ts'))
    assert.equal(resolved.length, 1, 'the consumer saw dist/pool/mpool.d.ts')
  })
})
