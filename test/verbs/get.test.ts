import assert from 'node:assert/strict'
import {narrate} from '../../src/render/narrate.js'
import {runVerbLine} from '../../src/verbs/index.js'
import type {PageDump} from '../../src/verbs/dump.js'
import {pageOf} from '../helpers/tmp.js'
import {PAGESIZE, verbHarness} from './harness.js'

describe('the get verb', () => {
  const h = verbHarness('mpool-verbs-get-')

  it('runs get: pins the page and shows it at its file offset, with the events of the call', async () => {
    const {result, text, events, label} = await runVerbLine(h.pool(), 'get 2')
    const page = result as PageDump
    assert.equal(page.pins, 1)
    assert.equal(page.offset, 2 * PAGESIZE)
    assert.equal(Buffer.from(page.hex, 'hex').equals(pageOf(h.file(), PAGESIZE, 2)), true)
    assert.match(text, /^page 2 at offset 128 \(0x80\): frame 0, pins 1, clean\n00000080: 03 03 03/)
    assert.equal(narrate(label, events), 'get 2: miss; read page 2 at offset 128 into frame 0; pinned (1)')
  })
})
