/**
 * Crash-safe sync (issue 9): the journal is written and flushed before any in-place write and
 * retired after the file is flushed; the next open completes a sync whose journal is whole and
 * rolls back one whose journal is not. Real files; FaultyIO and FaultyJournal for the faults.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {journalPathOf, MPool, MPOOL_DIRTY, parseJournal} from '../../src/pool/index.js'
import {FaultyIO} from '../helpers/faulty-io.js'
import {FaultyJournal} from '../helpers/faulty-journal.js'
import {filled, pageOf, TmpDir} from '../helpers/tmp.js'

const PS = 64

describe('crash-safe sync (journal)', () => {
  let tmp: TmpDir
  const pools: MPool[] = []

  beforeEach(() => {
    tmp = new TmpDir()
  })

  afterEach(() => {
    for (const pool of pools.splice(0)) if (!pool.closed) pool.close()
    tmp.cleanup()
  })

  function setUp(npages: number) {
    const {file, fd} = tmp.pageFile(PS, npages)
    const io = new FaultyIO(fd)
    const journal = new FaultyJournal(journalPathOf(file))
    const pool = MPool.open(null, fd, PS, 16, {io, journal})
    pools.push(pool)
    return {file, fd, io, journal, pool}
  }

  function dirty(pool: MPool, pgnos: number[], byte: number): void {
    for (const pgno of pgnos) {
      pool.get(pgno).fill(byte)
      pool.put(pgno, MPOOL_DIRTY)
    }
  }

  it('writes and flushes the journal before any page is written in place, and retires it after the file is flushed', () => {
    const {io, journal, pool} = setUp(8)
    dirty(pool, [1, 2, 5], 0xee)
    io.forget()
    let journalAt = -1
    let bytes: Buffer | null = null
    const write = journal.write.bind(journal)
    journal.write = (buffers) => {
      journalAt = io.calls.length
      write(buffers)
      bytes = fs.readFileSync(journal.name)
    }
    assert.equal(pool.sync(), 3)
    assert.equal(journalAt, 0, 'the journal comes before every write of the file')
    assert.deepEqual(io.calls.map((c) => c.op), ['writev', 'write', 'flush'])
    assert.deepEqual(journal.calls.slice(-1), ['remove'])
    assert.equal(fs.existsSync(journal.name), false)
    const parsed = parseJournal(bytes!)
    assert.ok(parsed.complete)
    assert.deepEqual(parsed.pages.map((p) => [p.pgno, p.bytes.equals(filled(PS, 0xee))]), [[1, true], [2, true], [5, true]])
    assert.equal(pool.stats().journal, true)
  })

  it('writes nothing in place when the journal cannot be written: every page stays dirty, and a retry succeeds', () => {
    const {file, io, journal, pool} = setUp(4)
    dirty(pool, [0, 3], 0x11)
    io.forget()
    journal.failWrite('ENOSPC', 30)
    assert.throws(() => pool.sync(), {code: 'ENOSPC'})
    assert.deepEqual(io.calls, [])
    assert.deepEqual(pool.frames().filter((f) => f.dirty).map((f) => f.pgno).sort(), [0, 3])
    assert.equal(pool.sync(), 2)
    assert.deepEqual(pageOf(file, PS, 3), filled(PS, 0x11))
  })

  it('completes at the next open a sync whose journal is whole, whatever the in-place writes left', () => {
    const {file, fd, io, pool} = setUp(6)
    dirty(pool, [1, 2, 3], 0x5a)
    io.short('writev', PS + 10).fail('writev', 'EIO') // a torn in-place write, then the "crash"
    assert.throws(() => pool.sync(), {code: 'EIO'})
    assert.notDeepEqual(pageOf(file, PS, 2), filled(PS, 0x5a), 'page 2 is torn on the file')
    const left = fs.readFileSync(journalPathOf(file))
    pool.close() // close retires a failed sync's journal: put it back as a crash would have left it
    fs.writeFileSync(journalPathOf(file), left)
    const again = MPool.open(null, fd, PS, 4, {journal: new FaultyJournal(journalPathOf(file))})
    pools.push(again)
    assert.deepEqual(again.recovery, {outcome: 'completed', pages: 3, message: `found the journal of an interrupted sync: completed it, 3 pages written again from ${journalPathOf(file)}`})
    for (const pgno of [1, 2, 3]) assert.deepEqual(pageOf(file, PS, pgno), filled(PS, 0x5a), `page ${pgno}`)
    assert.deepEqual(pageOf(file, PS, 0), filled(PS, 1))
    assert.equal(fs.existsSync(journalPathOf(file)), false)
  })

  for (const keep of [0, 7, 20, 100, 195]) {
    it(`rolls back at the next open a sync whose journal was cut at byte ${keep}, touching no page`, () => {
      const {file, fd, journal, pool} = setUp(6)
      const before = fs.readFileSync(file)
      dirty(pool, [0, 4], 0x77)
      journal.failWrite('EIO', keep)
      assert.throws(() => pool.sync(), {code: 'EIO'})
      const left = fs.readFileSync(journalPathOf(file))
      pool.close()
      fs.writeFileSync(journalPathOf(file), left)
      const again = MPool.open(null, fd, PS, 4, {journal: new FaultyJournal(journalPathOf(file))})
      pools.push(again)
      assert.equal(again.recovery?.outcome, 'rolled back')
      assert.match(again.recovery!.message, /^found the journal of a sync interrupted before it wrote any page \(.+\): rolled back, the file is as the sync before it left it$/)
      assert.deepEqual(fs.readFileSync(file), before)
      assert.equal(fs.existsSync(journalPathOf(file)), false)
    })
  }

  it('leaves the journal for the next open when completing it fails, and that open completes it', () => {
    const {file, fd, io, pool} = setUp(4)
    dirty(pool, [2], 0x42)
    io.fail('write', 'EIO')
    assert.throws(() => pool.sync(), {code: 'EIO'})
    const left = fs.readFileSync(journalPathOf(file))
    pool.close()
    fs.writeFileSync(journalPathOf(file), left)
    const failing = new FaultyIO(fd).fail('write', 'EIO')
    assert.throws(() => MPool.open(null, fd, PS, 4, {io: failing, journal: new FaultyJournal(journalPathOf(file))}), {code: 'EIO'})
    assert.equal(fs.existsSync(journalPathOf(file)), true)
    const again = MPool.open(null, fd, PS, 4, {journal: new FaultyJournal(journalPathOf(file))})
    pools.push(again)
    assert.equal(again.recovery?.outcome, 'completed')
    assert.deepEqual(pageOf(file, PS, 2), filled(PS, 0x42))
  })

  it('opens with no journal left as any open does: no recovery', () => {
    const {pool} = setUp(2)
    assert.equal(pool.recovery, null)
  })
})
