import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {buildOnce, ROOT} from '../helpers/cli.js'

const LOADER = path.join(ROOT, 'dist', 'cli', 'bundle-loader.cjs')

/** A child node that loads `file` through the built loader and prints what it got and what became of each cache. */
function load(file: string, tag?: string): {value: unknown; status: string; sibling: string | undefined; cached: string[]} {
  const script = `
    const loader = require(${JSON.stringify(LOADER)})
    const file = process.argv[1]
    const exports = loader.loadBundle(file)
    if (process.argv[2]) loader.coverTag(process.argv[2])
    const sibling = require('node:path').join(require('node:path').dirname(file), 'b.cjs')
    process.stdout.write(JSON.stringify({value: exports.value(), status: loader.cacheStatus(file), sibling: loader.cacheStatus(sibling), cached: Object.keys(require.cache)}))`
  return JSON.parse(execFileSync(process.execPath, ['-e', script, file, ...(tag === undefined ? [] : [tag])], {encoding: 'utf8'}))
}

/** The first line of `file`'s cache: what it was made from. */
function header(file: string): {size: number; node: string; tags: string[]} {
  const bytes = fs.readFileSync(`${file}.v8-cache`)
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
    const cache = `${bundle}.v8-cache`
    const bytes = fs.readFileSync(cache)
    const newline = bytes.indexOf(10)
    fs.writeFileSync(cache, Buffer.concat([bytes.subarray(0, newline + 1), Buffer.alloc(bytes.length - newline - 1, 0x5a)]))
    const refused = load(bundle)
    assert.deepEqual([refused.value, refused.status], ['a/b1', 'refused'])
    assert.equal(load(bundle).status, 'used')
  })

  it('runs the bundle uncached where the cache cannot be written, leaving nothing behind', () => {
    fs.mkdirSync(`${bundle}.v8-cache`) // neither readable as a file nor replaceable by one
    const run = load(bundle)
    assert.deepEqual([run.value, run.status], ['a/b1', 'missing'])
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.cjs', 'a.cjs.v8-cache', 'b.cjs', 'b.cjs.v8-cache'])
    assert.ok(fs.statSync(`${bundle}.v8-cache`).isDirectory())
  })

  it("adds a tag's code to the cache once: a tag seen before writes nothing", () => {
    load(bundle)
    assert.deepEqual(header(bundle).tags, [])
    load(bundle, 'get')
    assert.deepEqual(header(bundle).tags, ['get'])
    const before = fs.statSync(`${bundle}.v8-cache`)
    load(bundle, 'get')
    const after = fs.statSync(`${bundle}.v8-cache`)
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs], 'the cache was written again')
    load(bundle, 'put')
    assert.deepEqual(header(bundle).tags, ['get', 'put'])
  })
})
