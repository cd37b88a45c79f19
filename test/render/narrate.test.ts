import assert from 'node:assert/strict'
import {narrate, phrases} from '../../src/render/narrate.js'
import {LocalPool} from '../../src/session/local.js'
import {TmpDir} from '../helpers/tmp.js'

describe('narrate', () => {
  const tmp = new TmpDir('mpool-narrate-')
  after(() => tmp.cleanup())

  /** A pool of 4 pages of 4096 bytes caching 2, with explain on. */
  function pool(): LocalPool {
    const {file} = tmp.pageFile(4096, 4)
    return LocalPool.open(file, {pagesize: 4096, maxcache: 2, explain: true})
  }

  it('tells a miss that evicts a dirty page: the write folded into the eviction, then the read and the pin', async () => {
    const p = pool()
    await p.get(2)
    await p.put(2, {dirty: true})
    await p.get(1)
    await p.put(1)
    await p.get(1) // 2 is now the least recently used
    await p.put(1)
    await p.get(7 - 4) // page 3: a miss; the cache is full, so page 2 (dirty) goes
    assert.equal(narrate('get 3', p.lastEvents), 'get 3: miss; evicted page 2 from frame 0 (dirty, written at offset 8192) — lru: least recently used; read page 3 at offset 12288 into frame 0; pinned (1)')
    await p.close()
  })

  it('tells a hit, an unpin that dirties, and a clean eviction', async () => {
    const p = pool()
    await p.get(0)
    assert.deepEqual(phrases(p.lastEvents), ['miss', 'read page 0 at offset 0 into frame 0', 'pinned (1)'])
    await p.get(0)
    assert.deepEqual(phrases(p.lastEvents), ['hit (frame 0)', 'pinned (2)'])
    await p.put(0, {dirty: true})
    assert.deepEqual(phrases(p.lastEvents), ['unpinned (1 left), marked dirty'])
    await p.put(0)
    await p.get(1)
    await p.put(1)
    await p.get(2)
    assert.equal(phrases(p.lastEvents)[1], 'evicted page 0 from frame 0 (dirty, written at offset 0) — lru: least recently used')
    await p.put(2)
    await p.get(3)
    assert.equal(phrases(p.lastEvents)[1], 'evicted page 1 from frame 1 (clean, nothing to write) — lru: least recently used')
    await p.close()
  })

  it('tells new, sync (adjacent pages in one write), delete and close', async () => {
    const p = pool()
    const {pgno} = await p.new()
    assert.deepEqual(phrases(p.lastEvents), [`new page ${pgno} at the end of the file, in frame 0`, 'pinned (1)'])
    await p.get(3)
    await p.put(3, {dirty: true})
    await p.put(pgno, {dirty: true})
    await p.sync()
    assert.deepEqual(phrases(p.lastEvents), ['wrote pages 3-4 at offset 12288 (8192 bytes)', 'synced 2 pages in 1 write, then flushed the file'])
    await p.get(0)
    await p.delete(0)
    assert.deepEqual(phrases(p.lastEvents), ['dropped page 0 from frame 0 without writing it'])
    await p.get(1)
    await p.put(1, {dirty: true})
    await p.get(3)
    await p.close()
    assert.deepEqual(phrases(p.lastEvents), ['closed, dropped dirty page 1 unwritten, page 3 still pinned'])
  })

  it("tells each policy's own reason for its victim", async () => {
    /** The narration of `get 3` after gets of 0, 1, 2 (1 put back twice more) on 3 pages cached of 4, under `policy`. */
    const third = async (policy: 'fifo' | 'clock' | 'lru-k' | 'arc'): Promise<string> => {
      const {file} = tmp.pageFile(4096, 4)
      const q = LocalPool.open(file, {pagesize: 4096, maxcache: 3, explain: true, policy})
      for (const pgno of [0, 1, 2, 1, 1]) {
        await q.get(pgno)
        await q.put(pgno)
      }
      await q.get(3)
      const told = phrases(q.lastEvents)[1]
      await q.close()
      return told
    }
    // fifo: 0 came in first; hits on 1 change nothing
    assert.equal(await third('fifo'), 'evicted page 0 from frame 0 (clean, nothing to write) — fifo: first in, hits aside')
    // clock: counts 1 3 1, hand at 0: the first turn cuts all three, the second finds frame 0 at 0
    assert.equal(
      await third('clock'),
      'evicted page 0 from frame 0 (clean, nothing to write) — clock: the hand swept from frame 0, cut the counts of frame 0 (1→0), frame 1 (3→2), frame 2 (1→0), and stopped at frame 0 with count 0 after 1 full turn',
    )
    // lru-k: 0 and 2 were seen once (times 1 and 3): infinite distance, 0 the older
    assert.equal(await third('lru-k'), 'evicted page 0 from frame 0 (clean, nothing to write) — lru-k: fewer than 2 accesses (backward 2-distance ∞), the oldest first access of those 2 (time 1)')
    // arc: T1 = [0, 2], T2 = [1], p = 0: T1's oldest
    assert.equal(await third('arc'), 'evicted page 0 from frame 0 (clean, nothing to write) — arc: from T1 because |T1| = 2 > p = 0')
  })

  it('says so when a call changed nothing', () => {
    assert.equal(narrate('stats', []), 'stats: nothing changed in the pool')
  })

  it('tells a pool that grows past maxcache because every frame is pinned', async () => {
    const p = pool()
    await p.get(0)
    await p.get(1)
    await p.get(2)
    assert.match(phrases(p.lastEvents).join('; '), /every frame pinned: the cache grew to 3 pages, past maxcache 2/)
    await p.close()
  })
  it('tells a read-ahead in one phrase, a get it served, and a write-behind', async () => {
    const {file} = tmp.pageFile(4096, 32)
    const p = LocalPool.open(file, {pagesize: 4096, maxcache: 8, explain: true, readahead: 8, writeBehind: true})
    await p.get(11)
    await p.put(11)
    await p.get(12)
    // 19 would need page 11's frame, got since the run's previous read
    assert.equal(narrate('get 12', p.lastEvents), 'get 12: miss; read pages 12-18 at offset 49152 in one read; 13-18 prefetched; pinned (1)')
    await p.put(12, {dirty: true})
    await p.get(13)
    assert.equal(narrate('get 13', p.lastEvents), 'get 13: read ahead earlier: no read (frame 2); pinned (1)')
    await p.put(13, {dirty: true})
    for (const pgno of [14, 15, 16, 17]) {
      await p.get(pgno)
      await p.put(pgno)
    }
    await p.get(20) // evicts 18, read ahead and never asked for
    await p.put(20)
    await p.get(21) // a run again: 11 goes for 21, then 12 (with 13 behind it) for 22, and so on
    const told = phrases(p.lastEvents)
    assert.deepEqual(told.slice(0, 3), [
      'miss',
      'evicted page 11 from frame 0 (clean, nothing to write) — lru: least recently used',
      'evicted page 12 from frame 1 (dirty; written with 1 dirty neighbour behind it: pages 12-13 in one write at offset 49152) — lru: least recently used',
    ])
    assert.ok(told.includes('read pages 21-27 at offset 86016 in one read; 22-27 prefetched'), told.join('; '))
    await p.close()
  })
})
