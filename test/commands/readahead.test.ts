/**
 * open --readahead N / --write-behind and replay --readahead N, through the real binary and a
 * real pool server.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {sandboxEachTest} from '../helpers/cli.js'

const PAGESIZE = 512

describe('read-ahead and write-behind in the shell', function () {
  this.timeout(60_000)
  const box = sandboxEachTest()

  async function ok(args: string[]) {
    const r = await box().run(args)
    assert.equal(r.status, 0, `mpool ${args.join(' ')} failed: ${r.stderr}`)
    return r
  }

  it('opens a pool that reads ahead and writes behind, says so, and counts and narrates the read-ahead', async () => {
    const file = box().path('scan.db')
    fs.writeFileSync(file, Buffer.alloc(32 * PAGESIZE, 7))
    const opened = await ok(['open', file, '--pagesize', String(PAGESIZE), '--maxcache', '16', '--readahead', '8', '--write-behind'])
    assert.match(opened.stdout, /^policy +lru, readahead 8, write-behind$/m)
    await ok(['get', '0'])
    await ok(['put', '0'])
    const explained = await ok(['get', '1', '--explain', '--json'])
    assert.deepEqual(JSON.parse(explained.stdout).explain, ['miss', 'read pages 1-8 at offset 512 in one read; 2-8 prefetched', 'pinned (1)'])
    await ok(['put', '1'])
    await ok(['get', '2'])
    const stats = JSON.parse((await ok(['stats', '--json'])).stdout)
    assert.deepEqual(
      [stats.readahead, stats.writeBehind, stats.pageread, stats.prefetch, stats.prefetchhit, stats.prefetchwaste],
      [8, true, 2, 7, 1, 0],
    )
    assert.match((await ok(['stats'])).stdout, /^prefetchhit +1 /m)
    await ok(['close'])
  })

  it('refuses a readahead that is not a whole number from 0 to 256 (exit 2)', async () => {
    const file = box().path('x.db')
    fs.writeFileSync(file, Buffer.alloc(PAGESIZE))
    const r = await box().run(['open', file, '--readahead', '300'])
    assert.equal(r.status, 2)
    assert.equal(r.stderr.trim().split('\n').length, 1)
  })

  it('replays a scan with --readahead: the same hits, one read per 16 pages', async () => {
    const trace = box().path('scan.trace')
    await ok(['trace', 'gen', 'seq', '--pages', '1000', '-o', trace])
    const results = JSON.parse((await ok(['replay', trace, '--policy', 'lru', '--maxcache', '64', '--readahead', '16', '--json'])).stdout)
    const lru = results.find((r: {policy: string}) => r.policy === 'lru')
    assert.deepEqual([lru.hits, lru.misses, lru.reads, lru.readahead], [0, 1000, 64, 16])
    const text = (await ok(['replay', trace, '--policy', 'lru', '--maxcache', '64', '--readahead', '16'])).stdout
    assert.match(text, /^ +64 +64 reads \/ 1000 misses$/m)
  })
})
