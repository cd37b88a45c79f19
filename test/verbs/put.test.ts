import assert from 'node:assert/strict'
import {runVerbLine} from '../../src/verbs/index.js'
import {pageOf} from '../helpers/tmp.js'
import {PAGESIZE, verbHarness} from './harness.js'

describe('the put verb', () => {
  const h = verbHarness('mpool-verbs-put-')

  it('runs put with --text, --hex (spaces and colons), --fill and --from, each marking the page dirty', async () => {
    await runVerbLine(h.pool(), 'get 1')
    await runVerbLine(h.pool(), "put 1 --text 'hi there' --offset 2")
    await runVerbLine(h.pool(), 'get 1')
    await runVerbLine(h.pool(), 'put 1 --hex "de ad:be ef" --offset 0x10')
    await runVerbLine(h.pool(), 'get 1')
    await runVerbLine(h.pool(), 'put 1 --fill 0xff --offset 60')
    const src = h.tmp.file(Buffer.from([1, 2, 3]))
    await runVerbLine(h.pool(), 'get 1')
    await runVerbLine(h.pool(), `put 1 --from ${src} --offset 40`)
    const snap = await h.pool().peek(1)
    assert.equal(snap.dirty, true)
    assert.equal(snap.pins, 0)
    assert.equal(snap.bytes.subarray(2, 10).toString(), 'hi there')
    assert.deepEqual([...snap.bytes.subarray(16, 20)], [0xde, 0xad, 0xbe, 0xef])
    assert.deepEqual([...snap.bytes.subarray(40, 43)], [1, 2, 3])
    assert.deepEqual([...snap.bytes.subarray(60)], [0xff, 0xff, 0xff, 0xff])
    assert.deepEqual(pageOf(h.file(), PAGESIZE, 1), Buffer.alloc(PAGESIZE, 2), 'nothing reaches the file before sync')
  })

  it('refuses a write past the end of the page and leaves the page pinned and unchanged', async () => {
    await runVerbLine(h.pool(), 'get 0')
    const before = await h.pool().peek(0)
    await h.rejects('put 0 --text toolong --offset 60', /cannot write 7 bytes at offset 60/)
    await h.rejects('put 0 --fill 1 --offset 64', /--offset 64 is past the end of the page/)
    const after = await h.pool().peek(0)
    assert.deepEqual(after, before)
  })

  it('rejects bad hex with one line before touching the pool', async () => {
    await runVerbLine(h.pool(), 'get 0')
    await h.rejects('put 0 --hex abc', /odd number of digits \(3\)/)
    await h.rejects('put 0 --hex 0g', /not "g"/)
    assert.equal((await h.pool().peek(0)).pins, 1)
  })

  it('says where it wrote in both offset spaces: inside the page (--offset) and in the file', async () => {
    await runVerbLine(h.pool(), 'get 3')
    const {text, result} = await runVerbLine(h.pool(), 'put 3 --text z --offset 0x3f')
    assert.equal(text, 'put page 3: wrote 1 byte at page offset 0x3f = file offset 0xff, marked dirty, unpinned')
    assert.deepEqual(result, {pgno: 3, dirtied: true, wrote: {offset: 63, fileOffset: 255, length: 1}})
  })
})
