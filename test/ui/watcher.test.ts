/*
 * The watcher over real pools on real files: the picture follows events, bursts are coalesced,
 * pages are remembered as read, and in a shared pool others' events are told from ours.
 */
import assert from 'node:assert/strict'
import type {PoolEvent} from '../../src/pool/index.js'
import {LocalPool} from '../../src/session/local.js'
import {PoolWatcher, touchedPage} from '../../src/ui/watcher.js'
import {TmpDir} from '../helpers/tmp.js'
import {until} from './helpers/frames.js'

const PAGESIZE = 512

describe('watcher', () => {
  let tmp: TmpDir
  let file: string
  const pools: LocalPool[] = []
  const watchers: PoolWatcher[] = []

  function open(options: {key?: string; maxcache?: number} = {}): LocalPool {
    const pool = LocalPool.open(file, {pagesize: PAGESIZE, maxcache: options.maxcache ?? 4, explain: true, ...(options.key === undefined ? {} : {key: options.key})})
    pools.push(pool)
    return pool
  }

  function watch(pool: LocalPool, shared = false): PoolWatcher {
    const watcher = new PoolWatcher(pool, {shared})
    watchers.push(watcher)
    return watcher
  }

  beforeEach(() => {
    tmp = new TmpDir('mpool-ui-watcher-')
    file = tmp.pageFile(PAGESIZE, 8).file
  })

  afterEach(async () => {
    for (const w of watchers.splice(0)) w.stop()
    for (const p of pools.splice(0)) await p.close().catch(() => {})
    tmp.cleanup()
  })

  it('takes a first picture of the pool on start', async () => {
    const watcher = watch(open())
    await watcher.start()
    const picture = watcher.current()
    assert.ok(picture !== null)
    assert.equal(picture.stats.npages, 8)
    assert.equal(picture.stats.maxcache, 4)
    assert.deepEqual(picture.frames, [])
    assert.equal(picture.page, null)
  })

  it('follows the pool, one refresh for a burst of calls', async () => {
    const pool = open()
    const watcher = watch(pool)
    await watcher.start()
    let pictures = 0
    watcher.onChange(() => pictures++)
    for (let i = 0; i < 20; i++) {
      await pool.get(i % 8)
      await pool.put(i % 8)
    }
    await until(() => watcher.current()?.stats.pageget === 20, 'the picture to show 20 gets')
    assert.ok(pictures >= 1 && pictures <= 3, `${pictures} refreshes for 40 calls`)
    assert.deepEqual(watcher.current()!.frames.map((f) => f.pgno), [0, 1, 2, 3])
  })

  it('remembers each page as it was read, so changes since show', async () => {
    const pool = open()
    const watcher = watch(pool)
    await watcher.start()
    await pool.get(2)
    await until(() => watcher.baseline(2) !== undefined, 'the baseline of page 2')
    assert.deepEqual(watcher.baseline(2), Buffer.alloc(PAGESIZE, 3))
    await pool.put(2, {write: {offset: 10, bytes: Buffer.from('hi')}})
    watcher.showPage(2)
    await until(() => watcher.current()?.page?.dirty === true, 'page 2 shown dirty')
    const page = watcher.current()!.page!
    assert.equal(page.bytes.subarray(10, 12).toString(), 'hi')
    assert.deepEqual(page.baseline, Buffer.alloc(PAGESIZE, 3), 'the baseline is the page as read, not as changed')
  })

  it('takes zeros as the baseline of a new page', async () => {
    const pool = open()
    const watcher = watch(pool)
    await watcher.start()
    const {pgno} = await pool.new()
    assert.deepEqual(watcher.baseline(pgno), Buffer.alloc(PAGESIZE))
  })

  it("hands on others' events in a shared pool and keeps our own to ourselves", async () => {
    const ours = open({key: 'ui-watcher-shared'})
    const theirs = open({key: 'ui-watcher-shared'})
    const watcher = watch(ours, true)
    await watcher.start()
    const bursts: PoolEvent[][] = []
    watcher.setHandlers({onOthers: (events) => bursts.push(events)})

    watcher.beginCommand()
    await ours.get(1)
    watcher.endCommand(ours.lastEvents)
    await theirs.get(3)
    await until(() => bursts.length > 0, "others' events")
    const others = bursts.flat()
    assert.deepEqual(others.map((e) => e.type), ['miss', 'read', 'pin'])
    assert.ok(others.every((e) => 'pgno' in e && e.pgno === 3), 'only page 3, which the other handle got')
    assert.equal(touchedPage(others), 3)
    assert.deepEqual(watcher.current()!.frames.map((f) => f.pgno), [1, 3])
  })

  it('tells of the pool closed by somebody else, not of our own close', async () => {
    const pool = open()
    const watcher = watch(pool)
    await watcher.start()
    const closed: unknown[] = []
    watcher.setHandlers({onClosed: (event) => closed.push(event)})
    await pool.get(1)
    watcher.beginCommand()
    await pool.close()
    watcher.endCommand(pool.lastEvents)
    assert.deepEqual(closed, [])
  })

  it('names the page a call touched, not the victim it evicted', () => {
    const events: PoolEvent[] = [
      {type: 'miss', pgno: 7},
      {type: 'evict', pgno: 2, frame: 0, dirty: false, reason: 'replace'},
      {type: 'read', pgno: 7, frame: 0, offset: 3584, bytes: 512},
      {type: 'pin', pgno: 7, frame: 0, pins: 1},
    ]
    assert.equal(touchedPage(events), 7)
    assert.equal(touchedPage([{type: 'sync', pages: 0, writes: 0}]), null)
  })
})
