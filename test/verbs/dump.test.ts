import assert from 'node:assert/strict'
import {runVerbLine} from '../../src/verbs/index.js'
import type {PageDump, CacheDump} from '../../src/verbs/dump.js'
import {PAGESIZE, verbHarness} from './harness.js'

describe('the dump verb', () => {
  const h = verbHarness('mpool-verbs-dump-')

  it('dumps the cache in LRU order with the next victim marked, changing nothing', async () => {
    for (const n of [0, 1]) {
      await runVerbLine(h.pool(), `get ${n}`)
      await runVerbLine(h.pool(), `put ${n}`)
    }
    await runVerbLine(h.pool(), 'get 0')
    const stats = await h.pool().stats()
    const {result, text} = await runVerbLine(h.pool(), 'dump')
    const cache = result as CacheDump
    assert.deepEqual(cache.frames.map((f) => [f.pgno, f.pins, f.nextVictim]), [[1, 0, true], [0, 1, false]])
    assert.match(text, /^pool \(private\)|^private pool: 2 of 2 frames in use, lru order/)
    assert.match(text, /<- next victim/)
    assert.deepEqual(await h.pool().stats(), stats)
  })

  it('says what the next miss will do when every frame is pinned', async () => {
    await runVerbLine(h.pool(), 'get 0')
    await runVerbLine(h.pool(), 'get 1')
    const {text} = await runVerbLine(h.pool(), 'dump')
    assert.match(text.split('\n')[0], /2 of 2 frames in use, lru order \(next victim first\); every frame pinned, so the next miss grows the cache past maxcache$/)
    assert.doesNotMatch(text, /next victim\n|<- next victim/)
  })

  it('dumps a page as the pool holds it, and with --diff the ranges that differ from the file', async () => {
    await runVerbLine(h.pool(), 'get 3')
    await runVerbLine(h.pool(), 'put 3 --text AB --offset 5')
    const stats = await h.pool().stats()
    const {result, text} = await runVerbLine(h.pool(), 'dump 3 --diff')
    const page = result as PageDump
    assert.deepEqual(page.changed, [{start: 5, end: 7, offset: 3 * PAGESIZE + 5}])
    assert.match(text, /2 bytes differ from the file, in 1 range: page offsets 0x5-0x6 = file offsets 0xc5-0xc6$/)
    assert.match(text, /\n {10}(?: {3}){5}\^\^ \^\^/)
    assert.deepEqual(await h.pool().stats(), stats, 'dump moves no counter')
    await h.rejects('dump --diff', /--diff compares one page with the file/)
  })

  it('says "1 byte differs" for one changed byte', async () => {
    await runVerbLine(h.pool(), 'get 2')
    await runVerbLine(h.pool(), 'put 2 --text Z --offset 1')
    const {text} = await runVerbLine(h.pool(), 'dump 2 --diff')
    assert.match(text, /\n1 byte differs from the file, in 1 range: page offset 0x1 = file offset 0x81$/)
  })
})
