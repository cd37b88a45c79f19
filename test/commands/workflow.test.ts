import assert from 'node:assert/strict'
import fs from 'node:fs'
import {sandboxEachTest} from '../helpers/cli.js'
import {EXIT} from '../../src/common/exit-status.js'

const PAGESIZE = 512

describe('the mpool shell, through the real binary', function () {
  this.timeout(60_000)
  const box = sandboxEachTest()

  async function ok(args: string[], env?: Record<string, string>) {
    const r = await box().run(args, env === undefined ? {} : {env})
    assert.equal(r.status, 0, `mpool ${args.join(' ')} failed: ${r.stderr}`)
    assert.equal(r.stderr, '', `mpool ${args.join(' ')} wrote to stderr`)
    return r
  }

  it('runs open, new, put --dirty, get, sync, stats, close and leaves the bytes in the file', async () => {
    const file = box().path('demo.db')
    const opened = await ok(['open', file, '--create', '--pagesize', String(PAGESIZE), '--maxcache', '2'])
    assert.match(opened.stdout, /^opened pool demo\nkey +demo\nfile +\S*demo\.db\nformat +none \(a plain page file\)\npagesize +512\nnpages +0\nmaxcache +2\npolicy +lru\n$/)
    assert.equal((await ok(['new'])).stdout, '0\n')
    assert.equal((await ok(['new'])).stdout, '1\n')
    assert.equal((await ok(['put', '0', '--dirty', '--text', 'hello, page', '--offset', '16'])).stdout, 'put page 0: wrote 11 bytes at page offset 0x10 = file offset 0x10, marked dirty, unpinned\n')
    assert.equal((await ok(['put', '1', '--dirty'])).stdout, 'put page 1: marked dirty, unpinned\n')
    assert.equal(fs.statSync(file).size, 0, 'nothing is written before sync')

    const got = await ok(['get', '0'])
    assert.equal(
      got.stdout,
      [
        'page 0 at offset 0 (0x0): frame 0, pins 1, dirty',
        '00000000: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00    ................',
        '00000010: 68 65 6c 6c 6f 2c 20 70 61 67 65 00 00 00 00 00    hello, page.....',
        '00000020: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00    ................',
        '*',
        '00000200',
        '',
      ].join('\n'),
    )
    const raw = await box().run(['get', '0', '--raw'])
    assert.equal(raw.raw.length, PAGESIZE)
    assert.equal(raw.raw.subarray(16, 27).toString(), 'hello, page')

    assert.equal((await ok(['sync'])).stdout, 'wrote 2 pages\n')
    const bytes = fs.readFileSync(file)
    assert.equal(bytes.length, 2 * PAGESIZE)
    const expected = Buffer.alloc(2 * PAGESIZE)
    expected.write('hello, page', 16)
    assert.deepEqual(bytes, expected)

    const stats = (await ok(['stats'])).stdout
    assert.match(stats, /^pool +demo +\S*demo\.db$/m)
    assert.match(stats, /^pagenew +2 +calls to new$/m)
    assert.match(stats, /^pageget +2 +calls to get$/m)
    assert.match(stats, /^pagewrite +2 +pages written to the file$/m)
    assert.match(stats, /^cache +2 of 2 pages: 1 pinned, 0 dirty, 0 over the limit$/m)

    await ok(['get', '1'])
    const fromStdin = await box().run(['put', '1', '--from', '-', '--offset', '500'], {input: 'from stdin'})
    assert.equal(fromStdin.stdout, 'put page 1: wrote 10 bytes at page offset 0x1f4 = file offset 0x3f4, marked dirty, unpinned\n')
    assert.equal((await ok(['close'])).stdout, 'closed pool demo: dropped dirty page 1 without writing it; page 0 still pinned\n')
    assert.equal((await ok(['ls'])).stdout, 'no pools open\n')
    assert.deepEqual(fs.readFileSync(file), expected, 'close writes nothing')
  })

  it('gives one clean JSON document for every verb', async () => {
    const file = box().path('j.db')
    fs.writeFileSync(file, Buffer.alloc(3 * PAGESIZE, 7))
    const docs: Record<string, unknown> = {}
    const steps: string[][] = [
      ['open', file, '--pagesize', String(PAGESIZE), '--key', 'j'],
      ['ls'],
      ['new'],
      ['get', '1'],
      ['put', '1', '--hex', 'aa bb'],
      ['put', '3'],
      ['get', '0'],
      ['delete', '0'],
      ['sync'],
      ['stats'],
      ['dump'],
      ['dump', '1', '--diff'],
      ['dump', '2', '--file', file, '--pagesize', String(PAGESIZE)],
      ['close'],
    ]
    for (const step of steps) {
      const r = await ok([...step, '--json'])
      docs[step.join(' ')] = JSON.parse(r.stdout)
    }
    assert.deepEqual(docs[`open ${file} --pagesize ${PAGESIZE} --key j`], {key: 'j', file, pagesize: PAGESIZE, npages: 3, maxcache: 64, policy: 'lru', hardLimit: false, trailing: 0, joined: false, format: null, pagesizeFrom: '--pagesize'})
    assert.equal((docs.ls as {pools: Array<{key: string}>}).pools[0].key, 'j')
    assert.deepEqual(docs.new, {pgno: 3, offset: 3 * PAGESIZE})
    assert.equal((docs['get 1'] as {hex: string}).hex, '07'.repeat(PAGESIZE))
    assert.deepEqual(docs['put 1 --hex aa bb'], {pgno: 1, dirtied: true, wrote: {offset: 0, fileOffset: PAGESIZE, length: 2}})
    assert.deepEqual(docs['delete 0'], {pgno: 0, dropped: false})
    assert.deepEqual(docs.sync, {written: 1})
    assert.equal((docs.stats as {pageget: number}).pageget, 2)
    assert.equal((docs.dump as {kind: string}).kind, 'cache')
    assert.deepEqual((docs['dump 1 --diff'] as {changed: unknown}).changed, [], 'synced: nothing differs')
    assert.equal((docs[`dump 2 --file ${file} --pagesize ${PAGESIZE}`] as {hex: string}).hex, '07'.repeat(PAGESIZE))
    assert.deepEqual(docs.close, {key: 'j', dirty: [], pinned: []})
  })

  it('explains a miss that evicts a dirty page, in words on stdout and as an array in --json', async () => {
    const file = box().path('e.db')
    fs.writeFileSync(file, Buffer.alloc(3 * PAGESIZE))
    await ok(['open', file, '--pagesize', String(PAGESIZE), '--maxcache', '1'])
    await ok(['get', '0'])
    await ok(['put', '0', '--text', 'X'])
    const r = await ok(['get', '1', '--explain'])
    const lines = r.stdout.trimEnd().split('\n')
    assert.equal(lines.at(-1), 'get 1: miss; evicted page 0 from frame 0 (dirty, written at offset 0) — lru: least recently used; read page 1 at offset 512 into frame 0; pinned (1)')
    assert.equal(fs.readFileSync(file)[0], 'X'.charCodeAt(0), 'the dirty victim reached the file')
    await ok(['put', '1', '--text', 'Y'])
    const j = JSON.parse((await ok(['get', '2', '--explain', '--json'])).stdout) as {explain: string[]}
    assert.deepEqual(j.explain, ['miss', 'evicted page 1 from frame 0 (dirty, written at offset 512) — lru: least recently used', 'read page 2 at offset 1024 into frame 0', 'pinned (1)'])
    const raw = await box().run(['get', '2', '--raw', '--explain'])
    assert.equal(raw.raw.length, PAGESIZE, '--raw keeps stdout to the page bytes')
    assert.equal(raw.stderr, 'get 2: hit (frame 0); pinned (2)\n')
  })

  it('finds the pool by --key, by MPOOL_KEY, or as the only one open; several open and none chosen is exit 3', async () => {
    const a = box().path('a.db')
    const b = box().path('b.db')
    await ok(['open', a, '--create'])
    assert.equal((await ok(['new'])).stdout, '0\n', 'the only pool open')
    await ok(['open', b, '--create', '--pagesize', '1024'])
    const ambiguous = await box().run(['new'])
    assert.equal(ambiguous.status, 3)
    assert.equal(ambiguous.stderr, 'mpool new: 2 pools are open (a, b); choose one with --key KEY or MPOOL_KEY=KEY\n')
    assert.equal((await ok(['new', '--key', 'b'])).stdout, '0\n')
    assert.equal((await ok(['new'], {MPOOL_KEY: 'a'})).stdout, '1\n')
    assert.match((await ok(['ls'])).stdout, /^key +file +format +pagesize +cached +dirty +pinned +policy\na +\S+a\.db +- +4096 +2\/64 +0 +2 +lru\nb +\S+b\.db +- +1024 +1\/64 +0 +1 +lru\n$/)
  })

  it('joins an open pool with its own pagesize and maxcache when they are not given', async () => {
    const file = box().path('join.db')
    await ok(['open', file, '--create', '--pagesize', '256', '--maxcache', '3'])
    const joined = await ok(['open', file])
    assert.match(joined.stdout, /^joined the pool already open as join\n/)
    assert.match(joined.stdout, /^pagesize +256 \(from the open pool\)$/m)
    assert.match(joined.stdout, /^maxcache +3$/m)
    assert.match((await ok(['open', file, '--maxcache', '8'])).stdout, /^maxcache +8$/m, 'a larger maxcache raises it')
    const elsewhere = await box().run(['open', box().path('no-such.db'), '--key', 'join'])
    assert.equal(elsewhere.status, EXIT.refused, 'a join naming another file than the key holds is refused')
    assert.match(elsewhere.stderr, /^mpool open: pool join holds \S+join\.db, not \S+no-such\.db; to open a second pool over \S+, give it a key of its own/)
    const keyOnly = await ok(['open', '--key', 'join'])
    assert.match(keyOnly.stdout, new RegExp(`^file +${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), 'with no FILE the key is joined, as mpool_open ignores the fd')
    assert.equal(fs.existsSync(box().path('no-such.db')), false)
    const refusals: Array<[string[], RegExp]> = [
      [['--policy', 'arc'], /^mpool open: pool "join" is open with policy lru, not arc; join it without a policy, or close it and open it again\n$/],
      [['--hard-limit'], /^mpool open: pool "join" is open without a hard limit; join it without asking for one, or close it and open it again\n$/],
      [['--record', box().path('t.trace')], /^mpool open: pool join is already open, and --record starts with a pool; close it and open it again with --record\n$/],
    ]
    for (const [flags, message] of refusals) {
      const r = await box().run(['open', file, ...flags])
      assert.equal(r.status, 4, `open ${flags.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr, message)
    }
    assert.equal(fs.existsSync(box().path('t.trace')), false)
    assert.match((await ok(['open', file, '--policy', 'lru'])).stdout, /^joined the pool already open as join\n/, 'its own policy joins')
  })

  it('dumps the cache least recent first with pin holders and the next victim, without changing the stats', async () => {
    const file = box().path('d.db')
    fs.writeFileSync(file, Buffer.alloc(4 * PAGESIZE))
    await ok(['open', file, '--pagesize', String(PAGESIZE), '--maxcache', '2'])
    await ok(['get', '2'])
    await ok(['put', '2', '--dirty'])
    await ok(['get', '3'])
    const before = (await ok(['stats', '--json'])).stdout
    const dump = (await ok(['dump'])).stdout.split('\n')
    assert.equal(dump[0], 'pool d: 2 of 2 frames in use, lru order (next victim first)')
    assert.match(dump[2], /^ +0 +2 +0 +dirty +<- next victim$/)
    assert.match(dump[3], /^ +1 +3 +1 +clean +\d+ mpool get 3$/)
    assert.equal((await ok(['stats', '--json'])).stdout, before)
    await ok(['dump', '2'])
    assert.equal((await ok(['stats', '--json'])).stdout, before, 'dump PGNO moves nothing either')
  })

  it('reports EBUSY with exit 5 when a hard-limited pool has every frame pinned, and a second pin blocks delete', async () => {
    const file = box().path('busy.db')
    fs.writeFileSync(file, Buffer.alloc(2 * PAGESIZE))
    await ok(['open', file, '--pagesize', String(PAGESIZE), '--maxcache', '1', '--hard-limit'])
    await ok(['get', '0'])
    assert.match((await ok(['dump'])).stdout, /^pool busy: 1 of 1 frames in use, lru order \(next victim first\); every frame pinned, so the next miss fails with EBUSY \(hard limit\)\n/)
    const full = await box().run(['get', '1'])
    assert.equal(full.status, 5)
    assert.equal(full.stderr.split('\n').length, 2)
    await ok(['get', '0'])
    const twice = await box().run(['delete', '0'])
    assert.equal(twice.status, 5)
    assert.match(twice.stderr, /^mpool delete: .*pinned/)
  })

  it('colours the hex view only when asked (FORCE_COLOR), and never with NO_COLOR', async () => {
    const file = box().path('c.db')
    fs.writeFileSync(file, Buffer.from('A\0'.repeat(PAGESIZE / 2), 'latin1'))
    const plain = await box().run(['dump', '0', '--file', file, '--pagesize', String(PAGESIZE)])
    assert.ok(!plain.stdout.includes('\x1b['))
    const coloured = await box().run(['dump', '0', '--file', file, '--pagesize', String(PAGESIZE)], {env: {FORCE_COLOR: '1'}})
    assert.ok(coloured.stdout.includes('\x1b['))
    assert.equal(coloured.stdout.replace(/\x1b\[[0-9;]*m/g, ''), plain.stdout)
    const noColor = await box().run(['dump', '0', '--file', file, '--pagesize', String(PAGESIZE)], {env: {FORCE_COLOR: '1', NO_COLOR: '1'}})
    assert.equal(noColor.stdout, plain.stdout)
  })
})
