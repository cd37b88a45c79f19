import assert from 'node:assert/strict'
import fs from 'node:fs'
import {narrate} from '../../src/render/narrate.js'
import {LocalPool} from '../../src/session/local.js'
import {parseVerbLine, runVerbLine, splitLine, usage, VerbLineError, VERBS} from '../../src/verbs/index.js'
import type {PageDump, CacheDump} from '../../src/verbs/dump.js'
import {SHELL_COMMANDS} from '../../src/cli/commands/index.js'
import Close from '../../src/commands/close.js'
import Delete from '../../src/commands/delete.js'
import Dump from '../../src/commands/dump.js'
import Get from '../../src/commands/get.js'
import New from '../../src/commands/new.js'
import Put from '../../src/commands/put.js'
import Stats from '../../src/commands/stats.js'
import Sync from '../../src/commands/sync.js'
import {TmpDir, pageOf} from '../helpers/tmp.js'

const PAGESIZE = 64

describe('the verb layer', () => {
  const tmp = new TmpDir('mpool-verbs-')
  let file: string
  let pool: LocalPool

  beforeEach(() => {
    file = tmp.pageFile(PAGESIZE, 4).file
    pool = LocalPool.open(file, {pagesize: PAGESIZE, maxcache: 2, explain: true})
  })
  afterEach(async () => {
    if (!pool.closed) await pool.close()
  })
  after(() => tmp.cleanup())

  async function rejects(line: string, pattern: RegExp): Promise<Error> {
    let caught: Error | undefined
    await runVerbLine(pool, line).catch((err: Error) => (caught = err))
    assert.ok(caught !== undefined, `${line} should fail`)
    assert.match(caught.message, pattern)
    assert.ok(!caught.message.includes('\n'), `one line: ${caught.message}`)
    return caught
  }

  it('splits lines as a shell does: quotes and backslashes, no variable expansion', () => {
    assert.deepEqual(splitLine(`put 3 --text 'hello world' --hex "de ad"`), ['put', '3', '--text', 'hello world', '--hex', 'de ad'])
    assert.deepEqual(splitLine('put 3 --text a\\ b'), ['put', '3', '--text', 'a b'])
    assert.deepEqual(splitLine('put 3 --text $HOME'), ['put', '3', '--text', '$HOME'])
    assert.deepEqual(splitLine('get 3 # a comment'), ['get', '3'])
    assert.deepEqual(splitLine(`put 3 --text "it's" # don't`), ['put', '3', '--text', "it's"])
    assert.deepEqual(splitLine('put 3 --text \\"'), ['put', '3', '--text', '"'])
    assert.throws(() => splitLine('put 1 --text "abc'), {message: 'the double quote is never closed: close it, or escape it with a backslash'})
    assert.throws(() => splitLine("put 1 --text 'a\\"), {message: 'the single quote is never closed: close it, or escape it with a backslash'})
  })

  it('runs get: pins the page and shows it at its file offset, with the events of the call', async () => {
    const {result, text, events, label} = await runVerbLine(pool, 'get 2')
    const page = result as PageDump
    assert.equal(page.pins, 1)
    assert.equal(page.offset, 2 * PAGESIZE)
    assert.equal(Buffer.from(page.hex, 'hex').equals(pageOf(file, PAGESIZE, 2)), true)
    assert.match(text, /^page 2 at offset 128 \(0x80\): frame 0, pins 1, clean\n00000080: 03 03 03/)
    assert.equal(narrate(label, events), 'get 2: miss; read page 2 at offset 128 into frame 0; pinned (1)')
  })

  it('runs put with --text, --hex (spaces and colons), --fill and --from, each marking the page dirty', async () => {
    await runVerbLine(pool, 'get 1')
    await runVerbLine(pool, "put 1 --text 'hi there' --offset 2")
    await runVerbLine(pool, 'get 1')
    await runVerbLine(pool, 'put 1 --hex "de ad:be ef" --offset 0x10')
    await runVerbLine(pool, 'get 1')
    await runVerbLine(pool, 'put 1 --fill 0xff --offset 60')
    const src = tmp.file(Buffer.from([1, 2, 3]))
    await runVerbLine(pool, 'get 1')
    await runVerbLine(pool, `put 1 --from ${src} --offset 40`)
    const snap = await pool.peek(1)
    assert.equal(snap.dirty, true)
    assert.equal(snap.pins, 0)
    assert.equal(snap.bytes.subarray(2, 10).toString(), 'hi there')
    assert.deepEqual([...snap.bytes.subarray(16, 20)], [0xde, 0xad, 0xbe, 0xef])
    assert.deepEqual([...snap.bytes.subarray(40, 43)], [1, 2, 3])
    assert.deepEqual([...snap.bytes.subarray(60)], [0xff, 0xff, 0xff, 0xff])
    assert.deepEqual(pageOf(file, PAGESIZE, 1), Buffer.alloc(PAGESIZE, 2), 'nothing reaches the file before sync')
  })

  it('refuses a write past the end of the page and leaves the page pinned and unchanged', async () => {
    await runVerbLine(pool, 'get 0')
    const before = await pool.peek(0)
    await rejects('put 0 --text toolong --offset 60', /cannot write 7 bytes at offset 60/)
    await rejects('put 0 --fill 1 --offset 64', /--offset 64 is past the end of the page/)
    const after = await pool.peek(0)
    assert.deepEqual(after, before)
  })

  it('rejects bad hex with one line before touching the pool', async () => {
    await runVerbLine(pool, 'get 0')
    await rejects('put 0 --hex abc', /odd number of digits \(3\)/)
    await rejects('put 0 --hex 0g', /not "g"/)
    assert.equal((await pool.peek(0)).pins, 1)
  })

  it('rejects unknown verbs, missing and malformed arguments, conflicting flags and pipes as one line each', async () => {
    const stats = await pool.stats()
    await rejects('frobnicate 1', /unknown verb "frobnicate"; verbs: new, get, put/)
    await rejects('get', /get: missing PGNO/)
    await rejects('get seven', /the page number must be a whole number/)
    await rejects('get 4294967296', /from 0 to 4294967295/)
    await rejects('put 0 --text a --hex 00', /^put: --text and --hex cannot go together/)
    await rejects('get 0 --bogus', /^get: unknown flag --bogus: get takes --format, --json$/)
    await rejects('get 0 | head', /one verb a line: "\|"/)
    await rejects('', /an empty line/)
    assert.ok((await rejects('get 1 2', /^get: unexpected argument "2": get takes PGNO/)) instanceof VerbLineError)
    assert.deepEqual(await pool.stats(), stats)
  })

  it('passes the pool\'s own refusals through: a page past the end, a put of a page not pinned', async () => {
    await rejects('get 4', /cannot get page 4: the file has 4 pages/)
    const err = await rejects('put 3', /not pinned/)
    assert.equal((err as {code?: string}).code, 'EINVAL')
  })

  it('gives JSON text for a line with --json', async () => {
    const {text} = await runVerbLine(pool, 'new --json')
    assert.deepEqual(JSON.parse(text), {pgno: 4, offset: 4 * PAGESIZE})
  })

  it('dumps the cache in LRU order with the next victim marked, changing nothing', async () => {
    for (const n of [0, 1]) {
      await runVerbLine(pool, `get ${n}`)
      await runVerbLine(pool, `put ${n}`)
    }
    await runVerbLine(pool, 'get 0')
    const stats = await pool.stats()
    const {result, text} = await runVerbLine(pool, 'dump')
    const cache = result as CacheDump
    assert.deepEqual(cache.frames.map((f) => [f.pgno, f.pins, f.nextVictim]), [[1, 0, true], [0, 1, false]])
    assert.match(text, /^pool \(private\)|^private pool: 2 of 2 frames in use, lru order/)
    assert.match(text, /<- next victim/)
    assert.deepEqual(await pool.stats(), stats)
  })

  it('says what the next miss will do when every frame is pinned', async () => {
    await runVerbLine(pool, 'get 0')
    await runVerbLine(pool, 'get 1')
    const {text} = await runVerbLine(pool, 'dump')
    assert.match(text.split('\n')[0], /2 of 2 frames in use, lru order \(next victim first\); every frame pinned, so the next miss grows the cache past maxcache$/)
    assert.doesNotMatch(text, /next victim\n|<- next victim/)
  })

  it('dumps a page as the pool holds it, and with --diff the ranges that differ from the file', async () => {
    await runVerbLine(pool, 'get 3')
    await runVerbLine(pool, 'put 3 --text AB --offset 5')
    const stats = await pool.stats()
    const {result, text} = await runVerbLine(pool, 'dump 3 --diff')
    const page = result as PageDump
    assert.deepEqual(page.changed, [{start: 5, end: 7, offset: 3 * PAGESIZE + 5}])
    assert.match(text, /2 bytes differ from the file, in 1 range: 0xc5-0xc6$/)
    assert.match(text, /\n {10}(?: {3}){5}\^\^ \^\^/)
    assert.deepEqual(await pool.stats(), stats, 'dump moves no counter')
    await rejects('dump --diff', /--diff compares one page with the file/)
  })

  it('runs new, delete, sync, stats and close with results a script can use', async () => {
    assert.equal((await runVerbLine(pool, 'new')).text, '4')
    await runVerbLine(pool, 'put 4 --text x')
    await runVerbLine(pool, 'get 2')
    assert.equal((await runVerbLine(pool, 'delete 2')).text, 'dropped page 2 without writing it')
    await runVerbLine(pool, 'get 3')
    await runVerbLine(pool, 'put 3 --text lost')
    await runVerbLine(pool, 'get 3')
    assert.equal((await runVerbLine(pool, 'delete 3')).text, 'dropped page 3 without writing it (it was dirty: its changes are lost)')
    assert.equal((await runVerbLine(pool, 'sync')).text, 'wrote 1 page')
    assert.equal(fs.statSync(file).size, 5 * PAGESIZE)
    const stats = (await runVerbLine(pool, 'stats')).result as {pagenew: number; file: string}
    assert.equal(stats.pagenew, 1)
    assert.equal(stats.file, file)
    await runVerbLine(pool, 'get 0')
    await runVerbLine(pool, 'put 0 --dirty')
    await runVerbLine(pool, 'get 1')
    assert.equal((await runVerbLine(pool, 'close')).text, 'closed the pool: dropped dirty page 0 without writing it; page 1 still pinned')
  })

  it('describes every verb once, with a usage line for help and completion', async () => {
    assert.deepEqual(Object.keys(VERBS), ['new', 'get', 'put', 'delete', 'sync', 'stats', 'dump', 'close'])
    assert.equal(usage(VERBS.put), 'put PGNO [--dirty] [--offset N] [--text TEXT] [--hex HEX] [--fill BYTE] [--from FILE]')
    assert.equal(usage(VERBS.dump), 'dump [PGNO] [--diff] [--format LAYOUT]')
    const {verb, parsed} = await parseVerbLine('put 0x10 --fill 255')
    assert.equal(verb, VERBS.put)
    assert.deepEqual(parsed.args, {pgno: 16})
    assert.equal(parsed.flags.fill, 255)
  })

  it('gives the shell commands the very definitions the REPL parses with, and oclif the same flags', async () => {
    const classes: Record<string, {args?: Record<string, unknown>; flags?: Record<string, unknown>; summary?: string}> = {new: New, get: Get, put: Put, delete: Delete, sync: Sync, stats: Stats, dump: Dump, close: Close}
    for (const [name, verb] of Object.entries(VERBS)) {
      const command = await SHELL_COMMANDS[name]()
      // mocha loads this file's imports as CommonJS and the table's loaders import ES modules:
      // the same definitions, compared field by field.
      const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
      for (const arg of Object.keys(verb.args)) assert.ok(same(command.args[arg], verb.args[arg]), `${name} ${arg}`)
      for (const flag of Object.keys(verb.flags)) assert.ok(same(command.flags[flag], verb.flags[flag]), `${name} --${flag}`)
      assert.equal(command.summary, verb.summary)
      assert.deepEqual(Object.keys(classes[name].flags ?? {}), Object.keys(command.flags), `${name}: oclif's flags`)
      assert.deepEqual(Object.keys(classes[name].args ?? {}), Object.keys(command.args), `${name}: oclif's args`)
      assert.equal(classes[name].summary, command.summary)
    }
  })
})
