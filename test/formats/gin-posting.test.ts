/*
 * gin-posting -- GinPostingList segments decoded against an encoder written from ginpostinglist.c
 * (encode_varbyte over itemptr_to_uint64 deltas), on random increasing TIDs (fast-check), and
 * damaged segments named, never read past.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {PageFields} from '../../src/formats/page-fields.js'
import {postingTids} from '../../src/formats/postgresql/gin-posting.js'

/** segment -- ginCompressPostingList's one segment of `tids` ([block, offset], increasing), little-endian, at page offset 0. */
function segment(tids: Array<[number, number]>): Buffer {
  const [first, ...rest] = tids
  const bytes: number[] = []
  let prev = first![0] * 2048 + first![1]
  for (const [block, offset] of rest) {
    const value = block * 2048 + offset
    let delta = value - prev
    prev = value
    // encode_varbyte: 7 bits a byte, low first, the high bit on all but the last
    while (delta > 0x7f) {
      bytes.push((delta % 128) | 0x80)
      delta = Math.floor(delta / 128)
    }
    bytes.push(delta)
  }
  const page = Buffer.alloc(8 + bytes.length + 8)
  page.writeUInt16LE(Math.floor(first![0] / 65536), 0)
  page.writeUInt16LE(first![0] % 65536, 2)
  page.writeUInt16LE(first![1], 4)
  page.writeUInt16LE(bytes.length, 6)
  Buffer.from(bytes).copy(page, 8)
  return page
}

const tid = fc.tuple(fc.integer({min: 0, max: 0xffffffff}), fc.integer({min: 1, max: 2047}))

describe('GIN posting list segments (ginpostinglist.c varbyte TIDs)', () => {
  it('decodes what ginpostinglist.c encodes: any increasing TIDs, blocks up to 2^32 - 1 (fast-check)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(tid, {minLength: 1, maxLength: 60, selector: ([b, o]) => b * 2048 + o}), (tids) => {
        tids.sort((a, b) => a[0] * 2048 + a[1] - (b[0] * 2048 + b[1]))
        const page = segment(tids)
        const decoded = postingTids(new PageFields(page, 0, true), 0, page.readUInt16LE(6))
        assert.equal(decoded.problem, null)
        assert.deepEqual(decoded.tids, tids.map(([b, o]) => `(${b},${o})`))
      }),
      {numRuns: 500},
    )
  })

  it('names a TID that runs past the segment, a zero delta and an offset of 0, and stops there', () => {
    const page = segment([[0, 1], [0, 2], [5, 3]])
    const r = new PageFields(page, 0, true)
    // the last delta (5 blocks on) is more than one byte: cut the segment inside it
    const cut = postingTids(r, 0, page.readUInt16LE(6) - 1)
    assert.deepEqual(cut.tids, ['(0,1)', '(0,2)'])
    assert.match(cut.problem!, /runs past the segment's end/)
    page[8] = 0
    assert.match(postingTids(r, 0, 1).problem!, /delta of 0/)
    page[8] = 0x7f // (0,1) + 127 = (0,128): fine; + 2047 more lands on offset 0 of block 1
    assert.deepEqual(postingTids(r, 0, 1).tids, ['(0,1)', '(0,128)'])
    page.set([0xff, 0x0f], 8)
    assert.match(postingTids(r, 0, 2).problem!, /offset 0 is no tuple/)
  })

  it('never throws and never reads past the bytes it is given, on random segments (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({minLength: 8, maxLength: 200}), fc.nat(), (bytes, n) => {
        const page = Buffer.from(bytes)
        const length = n % (page.length - 7)
        const decoded = postingTids(new PageFields(page, 0, true), 0, length)
        assert.ok(decoded.tids.length >= 1 && decoded.tids.length <= length + 1)
        assert.ok(decoded.at >= 0 && decoded.at <= 8 + length)
      }),
      {numRuns: 500},
    )
  })
})
