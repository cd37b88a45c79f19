import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {buildOnce, ROOT} from '../helpers/cli.js'

const LOADER = path.join(ROOT, 'dist', 'cli', 'bundle-loader.cjs')

/**
 * A child node that loads `file` through the built loader for `command` (keeping its caches
 * unless `keep` is false) and prints what it got and what became of each cache.
 */
function load(file: string, command = 'get', keep = true): {value: unknown; status: string; sibling: string | undefined; cached: string[]} {
  const script = `
    const loader = require(${JSON.stringify(LOADER)})
    const [file, command, keep] = process.argv.slice(1)
    const exports = loader.loadBundle(file, command)
    if (keep === 'keep') loader.keepCache()
    const sibling = require('node:path').join(require('node:path').dirname(file), 'b.cjs')
    process.stdout.write(JSON.stringify({value: exports.value(), status: loader.cacheStatus(file), sibling: loader.cacheStatus(sibling), cached: Object.keys(require.cache)}))`
  return JSON.parse(execFileSync(process.execPath, ['-e', script, file, command, keep ? 'keep' : 'no'], {encoding: 'utf8'}))
}

/** The first line of `file`'s cache for `command`: what it was made from. */
function header(file: string, command = 'get'): {size: number; node: string} {
  const bytes = fs.readFileSync(`${file}.${command}.v8-cache`)
  return JSON.parse(bytes.subarray(0, bytes.indexOf(10)).toString('utf8'))
}

describe('the bundle loader (V8 code cache beside each bundle)', function () {
  this.timeout(60_000)
  let dir: string
  let bundle: string

  before(() => buildOnce())
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-loader-'))
    bundle = path.join(dir, 'a.cjs')
    fs.writeFileSync(bundle, "const {sep} = require('node:path')\nexports.value = () => ['a', sep, require('./b.cjs').b()].join('')\n")
    fs.writeFileSync(path.join(dir, 'b.cjs'), "exports.b = () => 'b1'\n")
  })
  afterEach(() => fs.rmSync(dir, {recursive: true, force: true}))

  it('compiles a bundle with no cache, writes one as the process exits, and uses it on the next run', () => {
    const first = load(bundle)
    assert.deepEqual([first.value, first.status, first.sibling], ['a/b1', 'missing', 'missing'])
    assert.equal(header(bundle).size, fs.statSync(bundle).size)
    assert.equal(header(bundle).node, process.version)
    const second = load(bundle)
    assert.deepEqual([second.value, second.status, second.sibling], ['a/b1', 'used', 'used'])
    assert.ok(second.cached.includes(bundle) && second.cached.includes(path.join(dir, 'b.cjs')), 'both bundles are in require.cache')
  })

  it('does not use the cache of a bundle that changed since, even at the same size', () => {
    load(bundle)
    const b = path.join(dir, 'b.cjs')
    fs.writeFileSync(b, "exports.b = () => 'b2'\n")
    fs.utimesSync(b, new Date(), new Date(Date.now() + 5000))
    const after = load(bundle)
    assert.deepEqual([after.value, after.status, after.sibling], ['a/b2', 'used', 'stale'])
    assert.equal(load(bundle).sibling, 'used', 'the cache was made again for the new bundle')
  })

  it('runs the bundle when V8 refuses the cached data, and makes it again', () => {
    load(bundle)
    const cache = `${bundle}.get.v8-cache`
    const bytes = fs.readFileSync(cache)
    const newline = bytes.indexOf(10)
    fs.writeFileSync(cache, Buffer.concat([bytes.subarray(0, newline + 1), Buffer.alloc(bytes.length - newline - 1, 0x5a)]))
    const refused = load(bundle)
    assert.deepEqual([refused.value, refused.status], ['a/b1', 'refused'])
    assert.equal(load(bundle).status, 'used')
  })

  it('runs the bundle uncached where the cache cannot be written, leaving nothing behind', () => {
    fs.mkdirSync(`${bundle}.get.v8-cache`) // neither readable as a file nor replaceable by one
    const run = load(bundle)
    assert.deepEqual([run.value, run.status], ['a/b1', 'missing'])
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.cjs', 'a.cjs.get.v8-cache', 'b.cjs', 'b.cjs.get.v8-cache'])
    assert.ok(fs.statSync(`${bundle}.get.v8-cache`).isDirectory())
  })

  it('keeps a cache per command, written once, and none for a word the caller did not keep', () => {
    assert.equal(load(bundle, 'get').status, 'missing')
    const first = fs.statSync(`${bundle}.get.v8-cache`)
    assert.equal(load(bundle, 'get').status, 'used')
    const again = fs.statSync(`${bundle}.get.v8-cache`)
    assert.deepEqual([again.ino, again.mtimeMs], [first.ino, first.mtimeMs], 'a used cache is not written again')
    assert.equal(load(bundle, 'put').status, 'missing', "put does not use get's cache")
    assert.equal(load(bundle, 'put').status, 'used')
    assert.equal(load(bundle, 'gte', false).status, 'missing')
    assert.equal(load(bundle, '../../x', true).status, 'missing')
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith('a.cjs.')).sort(), ['a.cjs.get.v8-cache', 'a.cjs.other.v8-cache', 'a.cjs.put.v8-cache'], 'a word not kept makes no file; a word unfit for a file name is "other"')
  })
})
