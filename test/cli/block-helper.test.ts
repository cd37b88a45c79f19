/*
 * block-helper -- a file's blocks shared between the main thread and a real helper thread
 * (src/cli/block-helper.ts, the thread's script run from the sources, test/helpers/block-helper-thread.mjs), on databases
 * made by sqlite3: the map is the one a single thread makes, whoever did which block; a helper
 * that fails after claiming blocks, or that cannot start, costs nothing but time. Through the
 * real binary: a map --file large enough to start a helper agrees with dbstat on every page.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {HELP_FROM_BYTES, startHelper, type BlockHelper} from '../../src/cli/block-helper.js'
import {DETECT_HEAD_BYTES, detectFormat, formatNamed, type FormatInfo, type MapShare, type PageMap} from '../../src/formats/index.js'
import {sandboxEachTest} from '../helpers/cli.js'
import {fileReader, makeDatabase, sqlite3, sqliteJson} from '../helpers/sqlite3.js'
import {TmpDir} from '../helpers/tmp.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const THREAD = path.join(HERE, '../helpers/block-helper-thread.mjs')
const FAILING = path.join(HERE, '../helpers/failing-block-helper.mjs')
const sqlite = formatNamed('sqlite')!

/** A database read whole, with its info and its map as one thread makes it. */
function opened(file: string): {info: FormatInfo; read: (pgno: number) => Buffer; npages: number; fd: number; map: PageMap} {
  const head = fileReader(file, 512).bytes
  const info = detectFormat(head.subarray(0, DETECT_HEAD_BYTES), head.length)!
  const {read, npages} = fileReader(file, info.pagesize)
  return {info, read, npages, fd: fs.openSync(file, 'r'), map: sqlite.map(read, npages, info)}
}

describe('block-helper: blocks shared with a helper thread', function () {
  this.timeout(60_000)
  let tmp: TmpDir
  let file: string
  let helper: BlockHelper | null = null
  before(() => {
    tmp = new TmpDir()
    file = tmp.path('db')
    makeDatabase(file, 1024, {rows: 3000})
  })
  afterEach(() => helper?.stop())
  after(() => tmp.cleanup())

  it('makes the map one thread makes, when the helper summarises some of the blocks', async () => {
    const db = opened(file)
    try {
      const perBlock = 4
      const nblocks = Math.ceil(db.npages / perBlock)
      const mapper = sqlite.mapper!(db.npages, db.info)
      const share = mapper.share!()
      // Every page a Summariser fills is marked in `clean` (1 or, for a damaged page, 0 with a type), so
      // page 1's block, held back until the helper has filled a page of another block, proves it helped.
      const clean = new Uint8Array((share.shared as {columns: {clean: SharedArrayBuffer}}).columns.clean)
      const byHelper = (): boolean => clean.subarray(perBlock + 1).some((v) => v === 1)
      helper = startHelper(THREAD)
      assert.ok(helper !== null)
      let firstHeldBack = false
      const step = (block: number): void => {
        // Held until the helper's first block is in; the clock only turns a helper that never
        // comes into a failure instead of a hang (a spin cannot be cut short by mocha's timeout).
        const watchdog = Date.now() + 30_000
        while (block === 0 && !byHelper()) {
          firstHeldBack = true
          if (Date.now() > watchdog) throw new Error('the helper thread summarised no block in 30 s')
        }
        const pgno = block * perBlock
        const count = Math.min(perBlock, db.npages - pgno)
        mapper.add(Buffer.concat(Array.from({length: count}, (_, k) => db.read(pgno + k))), pgno, count)
      }
      await helper.help(nblocks, step, share, {format: 'sqlite', fd: db.fd, file, pagesize: db.info.pagesize, npages: db.npages, perBlock})
      assert.ok(firstHeldBack && byHelper())
      assert.deepEqual(mapper.finish(db.read), db.map)
    } finally {
      fs.closeSync(db.fd)
    }
  })

  it('does every block itself when the helper fails after claiming them, and the map is whole', async () => {
    const db = opened(file)
    try {
      const perBlock = 8
      const nblocks = Math.ceil(db.npages / perBlock)
      const mapper = sqlite.mapper!(db.npages, db.info)
      const ready = new SharedArrayBuffer(4)
      const real = mapper.share!()
      const share: MapShare = {shared: {ready}, join: () => assert.fail('a failed helper has nothing to join')}
      helper = startHelper(FAILING)
      assert.ok(helper !== null)
      const done: number[] = []
      const step = (block: number): void => {
        if (block === 0) Atomics.wait(new Int32Array(ready), 0, 0) // until the helper has claimed the rest
        const pgno = block * perBlock
        const count = Math.min(perBlock, db.npages - pgno)
        mapper.add(Buffer.concat(Array.from({length: count}, (_, k) => db.read(pgno + k))), pgno, count)
        done.push(block)
      }
      await helper.help(nblocks, step, share, {format: 'sqlite', fd: db.fd, file, pagesize: db.info.pagesize, npages: db.npages, perBlock})
      assert.deepEqual(done.sort((a, b) => a - b), Array.from({length: nblocks}, (_, b) => b), 'each block once, by the main thread')
      assert.ok(real.shared !== null)
      assert.deepEqual(mapper.finish(db.read), db.map)
    } finally {
      fs.closeSync(db.fd)
    }
  })

  it('does every block itself when the helper cannot start', async () => {
    const db = opened(file)
    try {
      const mapper = sqlite.mapper!(db.npages, db.info)
      helper = startHelper(path.join(tmp.dir, 'no-such-helper.js'))
      assert.ok(helper !== null, 'a missing script shows only once the thread tries to load it')
      let blocks = 0
      const step = (block: number): void => {
        mapper.add(db.read(block), block, 1)
        blocks++
      }
      await helper.help(db.npages, step, mapper.share!(), {format: 'sqlite', fd: db.fd, file, pagesize: db.info.pagesize, npages: db.npages, perBlock: 1})
      assert.equal(blocks, db.npages)
      assert.deepEqual(mapper.finish(db.read), db.map)
    } finally {
      fs.closeSync(db.fd)
    }
  })

  describe('map --file of a database large enough for a helper, through the binary', () => {
    const sandbox = sandboxEachTest()
    let big: string
    before(function () {
      this.timeout(120_000)
      big = tmp.path('big.db')
      sqlite3(
        big,
        `PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
         CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, body BLOB);
         CREATE INDEX t_name ON t(name);
         BEGIN;
         WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 70000)
           INSERT INTO t SELECT i, 'name ' || (i * 7919 % 70000), CASE WHEN i % 300 = 0 THEN randomblob(9000) ELSE randomblob(900) END FROM s;
         COMMIT;`,
      )
      assert.ok(fs.statSync(big).size >= HELP_FROM_BYTES, 'the database is large enough to start a helper')
    })

    it('agrees with dbstat on every page', async () => {
      const r = await sandbox().run(['map', '--file', big, '--json'])
      assert.equal(r.status, 0, r.stderr)
      const map = JSON.parse(r.stdout) as {pages: Array<{page: number; kind: string; owner: string | null; cells: number; free: number; payload: number}>; problems: unknown[]}
      assert.deepEqual(map.problems, [])
      const stat = sqliteJson<{name: string; pageno: number; ncell: number; payload: number; unused: number}>(big, 'SELECT name, pageno, ncell, payload, unused FROM dbstat ORDER BY pageno')
      assert.deepEqual(
        stat.map((row) => {
          const e = map.pages[row.pageno - 1]!
          return {name: e.owner, pageno: e.page, ncell: e.cells, payload: e.payload, unused: e.free}
        }),
        stat,
      )
    })
  })
})
