import assert from 'node:assert/strict'
import fc from 'fast-check'
import {PageTable} from '../../src/pool/page-table.js'

/** Ops on a page table whose frames are 0..frames-1, each holding at most one page, as the pool uses it. */
type Op = {op: 'add'; pgno: number; frame: number} | {op: 'remove'; frame: number} | {op: 'get'; pgno: number}

/** Page numbers the hash should find hard: neighbours, large strides, the top of the 32-bit range. */
const pgnoArb = fc.oneof(
  fc.integer({min: 0, max: 40}),
  fc.integer({min: 0, max: 40}).map((k) => k * 4096),
  fc.integer({min: 0, max: 40}).map((k) => k * 8 + 3),
  fc.integer({min: 0, max: 20}).map((k) => 0xffff_ffff - k),
  fc.integer({min: 0, max: 0xffff_ffff}),
)

function opsArb(frames: number): fc.Arbitrary<Op[]> {
  const frame = fc.integer({min: 0, max: frames - 1})
  return fc.array(
    fc.oneof(
      fc.record({op: fc.constant('add' as const), pgno: pgnoArb, frame}),
      fc.record({op: fc.constant('remove' as const), frame}),
      fc.record({op: fc.constant('get' as const), pgno: pgnoArb}),
    ),
    {maxLength: 400},
  )
}

describe('PageTable', () => {
  it('finds what was added and forgets what was removed, as a Map does, across growth', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 300}), fc.integer({min: 1, max: 64}), (frames, initial) =>
        fc.assert(
          fc.property(opsArb(frames), (ops) => {
            const table = new PageTable(initial)
            const model = new Map<number, number>() // pgno -> frame
            const pageOf = new Map<number, number>() // frame -> pgno
            for (const step of ops) {
              if (step.op === 'add') {
                // The pool adds only a page that is not cached into a frame that is empty.
                if (model.has(step.pgno) || pageOf.has(step.frame)) continue
                table.add(step.pgno, step.frame)
                model.set(step.pgno, step.frame)
                pageOf.set(step.frame, step.pgno)
              } else if (step.op === 'remove') {
                table.remove(step.frame)
                const pgno = pageOf.get(step.frame)
                if (pgno !== undefined) model.delete(pgno)
                pageOf.delete(step.frame)
              } else {
                assert.equal(table.get(step.pgno), model.get(step.pgno) ?? -1)
              }
              assert.equal(table.size, model.size)
            }
            for (const [pgno, frame] of model) assert.equal(table.get(pgno), frame)
          }),
          {seed: 11, numRuns: 5},
        ),
      ),
      {seed: 7, numRuns: 40},
    )
  })

  it('keeps 65536 consecutive pages and as many pages 4096 apart findable, then empties', () => {
    for (const stride of [1, 4096]) {
      const table = new PageTable(16)
      for (let frame = 0; frame < 65536; frame++) table.add(frame * stride, frame)
      assert.equal(table.size, 65536)
      for (let frame = 0; frame < 65536; frame++) assert.equal(table.get(frame * stride), frame)
      assert.equal(table.get(65536 * stride), -1)
      for (let frame = 0; frame < 65536; frame += 2) table.remove(frame)
      for (let frame = 0; frame < 65536; frame++) assert.equal(table.get(frame * stride), frame % 2 === 0 ? -1 : frame)
      assert.equal(table.size, 32768)
    }
  })

  it('tells page 2^32 - 1 from page 2^31 - 1 and from a missing page', () => {
    const table = new PageTable(4)
    table.add(0xffff_ffff, 0)
    table.add(0x7fff_ffff, 1)
    assert.equal(table.get(0xffff_ffff), 0)
    assert.equal(table.get(0x7fff_ffff), 1)
    assert.equal(table.get(0xffff_fffe), -1)
    table.remove(0)
    assert.equal(table.get(0xffff_ffff), -1)
    assert.equal(table.get(0x7fff_ffff), 1)
  })

  it('ignores the removal of a frame that holds no page, or of frame -1', () => {
    const table = new PageTable(4)
    table.add(5, 2)
    table.remove(1)
    table.remove(99)
    table.remove(-1)
    table.remove(2)
    table.remove(2)
    assert.equal(table.size, 0)
    assert.equal(table.get(5), -1)
  })
})
