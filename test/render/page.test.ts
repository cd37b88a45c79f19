/*
 * A page's JSON line (render/page.ts jsonLine): the text JSON.stringify gives, to the character,
 * for every page pageResult makes, alone or in an array, and for anything else.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {jsonLine, pageResult} from '../../src/render/page.js'

const held = fc.option(fc.record({cached: fc.boolean(), frame: fc.integer({min: -1, max: 1 << 20}), pins: fc.nat(9), dirty: fc.boolean()}), {nil: null})
const format = fc.option(fc.record({format: fc.constantFrom('sqlite', 'berkeleydb', 'postgresql', '"hex":""'), firstPage: fc.constantFrom(0, 1)}), {nil: null})
const page = fc
  .tuple(fc.nat(1 << 30), fc.uint8Array({minLength: 1, maxLength: 600}), held, format, fc.boolean())
  .map(([pgno, bytes, h, f, windowed]) => pageResult(pgno, Buffer.from(bytes), h, f, windowed ? {start: 0, end: Math.ceil(bytes.length / 2)} : undefined))

describe('a page as one line of JSON', () => {
  it('is JSON.stringify of the page, for any page, window, format and hold', () => {
    fc.assert(fc.property(page, (p) => assert.equal(jsonLine(p), JSON.stringify(p))), {numRuns: 300})
  })

  it('is JSON.stringify of an array of pages (get A-B), and of anything that is not a page', () => {
    fc.assert(fc.property(fc.array(page, {maxLength: 4}), (pages) => assert.equal(jsonLine(pages), JSON.stringify(pages))), {numRuns: 100})
    const one = pageResult(3, Buffer.from('abc'), null)
    for (const value of [null, 7, 'text', [], {pgno: 1, hex: '"\\u0000'}, [one, {hex: ''}], {kind: 'page', ...one}, {dirtied: true, wrote: null}]) {
      assert.equal(jsonLine(value), JSON.stringify(value))
    }
  })

  it('holds the page\'s bytes as hex, made from the bytes given', () => {
    const bytes = Buffer.from([0, 0x7f, 0xff])
    const p = pageResult(2, bytes, {cached: true, frame: 1, pins: 1, dirty: false})
    assert.deepEqual(JSON.parse(jsonLine(p)), {pgno: 2, offset: 6, pagesize: 3, cached: true, frame: 1, pins: 1, dirty: false, hex: '007fff'})
  })
})
