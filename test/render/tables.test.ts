import assert from 'node:assert/strict'
import {COUNTERS, framesTable, poolsTable, statsSheet, table} from '../../src/render/tables.js'
import {LocalPool} from '../../src/session/local.js'
import {TmpDir} from '../helpers/tmp.js'

describe('tables', () => {
  const tmp = new TmpDir('mpool-tables-')
  after(() => tmp.cleanup())

  it('aligns columns: text to the left, numbers to the right', () => {
    assert.equal(table(['key', 'n'], [['a', 5], ['bbb', 100]]), 'key    n\na      5\nbbb  100')
  })

  it('aligns a table of more rows than a call takes arguments (the map of a 1 GiB file), a column with any text in it to the left', () => {
    const rows: Array<[number, string | number]> = Array.from({length: 300_000}, (_, i) => [i, i === 299_999 ? '-' : i % 7])
    const lines = table(['pgno', 'cells'], rows).split('\n')
    assert.equal(lines.length, 300_001)
    assert.deepEqual([lines[0], lines[1], lines[300_000]], ['  pgno  cells', '     0  0', '299999  -'])
  })

  it("lays out stats like mpool_stat: each of BSD's nine counters on its own line under its name", async () => {
    const {file} = tmp.pageFile(512, 3)
    const pool = LocalPool.open(file, {pagesize: 512, maxcache: 2})
    await pool.get(0)
    await pool.put(0)
    await pool.get(0)
    const text = statsSheet({...(await pool.stats()), file}, null)
    for (const [name] of COUNTERS) assert.equal(text.split('\n').filter((l) => l.startsWith(`${name} `)).length, 1, name)
    assert.match(text, /^cachehit +1 /m)
    assert.match(text, /^cachemiss +1 /m)
    assert.match(text, /^pageget +2 /m)
    assert.match(text, /^hit rate +50% \(1 hit, 1 miss\)$/m)
    assert.match(text, /^cache +1 of 2 pages: 1 pinned, 0 dirty, 0 over the limit$/m)
    assert.match(text, /^policy +lru$/m)
    await pool.close()
  })

  it('shows read-ahead and write-behind beside the policy, and the three read-ahead counters after the nine', async () => {
    const {file} = tmp.pageFile(512, 8)
    const pool = LocalPool.open(file, {pagesize: 512, maxcache: 8, readahead: 4, writeBehind: true})
    for (const pgno of [0, 1]) {
      await pool.get(pgno)
      await pool.put(pgno)
    }
    const text = statsSheet({...(await pool.stats()), file}, null)
    assert.match(text, /^policy +lru, readahead 4, write-behind$/m)
    assert.match(text, /^pageread +2 /m)
    assert.match(text, /^prefetch +3 +pages read ahead/m)
    assert.match(text, /^prefetchhit +0 /m)
    assert.match(text, /^prefetchwaste +0 /m)
    await pool.close()
    const plain = LocalPool.open(file, {pagesize: 512, maxcache: 2})
    assert.doesNotMatch(statsSheet({...(await plain.stats()), file}, null), /prefetch|readahead|write-behind/)
    await plain.close()
  })

  it('shows the frames least recent first, who holds the pins, and the next victim', () => {
    const text = framesTable(
      [
        {frame: 1, pgno: 4, pins: 0, dirty: true, holders: [], nextVictim: true},
        {frame: 0, pgno: 2, pins: 2, dirty: false, holders: [{pid: 42, command: 'mpool get 2'}, {pid: 43, command: 'repl'}], nextVictim: false},
      ],
      null,
    )
    const [header, first, second] = text.split('\n')
    assert.match(header, /^frame +page +pins +state +next +held by$/)
    assert.match(first, /^ +1 +4 +0 +dirty +<- next victim$/)
    assert.match(second, /^ +0 +2 +2 +clean +42 mpool get 2, 43 repl$/)
  })

  it('says "no pools open" when there are none, else one row a pool, with its format or - for a plain page file', () => {
    assert.equal(poolsTable([]), 'no pools open')
    const text = poolsTable([
      {key: 'demo', answering: true, file: '/tmp/demo.db', pagesize: 4096, npages: 3, cached: 2, maxcache: 64, dirty: 1, pinned: 0, policy: 'lru', pid: 4242, format: null},
      {key: 's1k', answering: true, file: '/tmp/s1k.db', pagesize: 1024, npages: 9, cached: 0, maxcache: 64, dirty: 0, pinned: 0, policy: 'lru', pid: 4243, format: 'sqlite'},
      {key: 'stuck', answering: false, file: '/tmp/stuck.db', pagesize: 512, npages: null, cached: null, maxcache: 8, dirty: null, pinned: null, policy: 'clock', pid: 77, format: null},
    ])
    assert.match(text.split('\n')[0]!, /^key +file +format +pagesize +cached +dirty +pinned +policy$/)
    assert.match(text.split('\n')[1]!, /^demo +\/tmp\/demo\.db +- +4096 +2\/64 +1 +0 +lru$/)
    assert.match(text.split('\n')[2]!, /^s1k +\/tmp\/s1k\.db +sqlite +1024 +0\/64 +0 +0 +lru$/)
    assert.match(text.split('\n')[3]!, /^stuck +\/tmp\/stuck\.db +- +512 +not answering \(pid 77\) +- +- +clock$/)
  })
})
