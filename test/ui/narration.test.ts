/*
 * Narration: others' bursts cut into calls, word wrapping, the newest lines that fit.
 */
import assert from 'node:assert/strict'
import type {PoolEvent} from '../../src/pool/index.js'
import {narrateForeign, narrationLines, splitCalls, wrapText} from '../../src/ui/narration.js'

describe('narration', () => {
  it('cuts a burst of events into the calls that caused them', () => {
    const events: PoolEvent[] = [
      {type: 'miss', pgno: 3},
      {type: 'write', pgno: 1, pages: 1, offset: 512, bytes: 512, reason: 'evict'},
      {type: 'evict', pgno: 1, frame: 0, dirty: true, reason: 'replace'},
      {type: 'read', pgno: 3, frame: 0, offset: 1536, bytes: 512},
      {type: 'pin', pgno: 3, frame: 0, pins: 1},
      {type: 'unpin', pgno: 3, frame: 0, pins: 0, dirty: true, dirtied: true},
      {type: 'write', pgno: 3, pages: 1, offset: 1536, bytes: 512, reason: 'sync'},
      {type: 'sync', pages: 1, writes: 1},
      {type: 'hit', pgno: 3, frame: 0},
      {type: 'pin', pgno: 3, frame: 0, pins: 1},
    ]
    assert.deepEqual(splitCalls(events).map((c) => [c.label, c.events.length]), [['get 3', 5], ['put 3', 1], ['sync', 2], ['get 3', 2]])
    const said = narrateForeign(events)
    assert.equal(said[0], 'elsewhere: get 3: miss; evicted page 1 from frame 0 (dirty, written at offset 512); read page 3 at offset 1536 into frame 0; pinned (1)')
    assert.equal(said[2], 'elsewhere: sync: wrote page 3 at offset 1536; synced 1 page in 1 write, then flushed the file')
  })

  it('tells a sync with nothing dirty as one call', () => {
    assert.deepEqual(splitCalls([{type: 'sync', pages: 0, writes: 0}]).map((c) => c.label), ['sync'])
  })

  it('wraps at spaces, indents the lines after the first, and cuts a word too long for a line', () => {
    assert.deepEqual(wrapText('get 5: miss; evicted page 1', 12), ['get 5: miss;', '  evicted', '  page 1'])
    assert.deepEqual(wrapText('abcdefghijklmnop', 8), ['abcdefgh', '  ijklmn', '  op'])
    for (const line of wrapText('x'.repeat(100) + ' y z '.repeat(30), 17)) assert.ok(line.length <= 17, line)
  })

  it('shows the newest lines that fit, an entry cut at the top if need be', () => {
    const log = [
      {id: 1, kind: 'own' as const, text: 'one'},
      {id: 2, kind: 'own' as const, text: 'two words here'},
      {id: 3, kind: 'error' as const, text: 'three'},
    ]
    assert.deepEqual(narrationLines(log, 9, 3), [{kind: 'own', text: 'two words'}, {kind: 'own', text: '  here'}, {kind: 'error', text: 'three'}])
    assert.equal(narrationLines(log, 80, 10).length, 3)
  })

  it('shows only entries that fit whole when asked (live play): no tail of an entry cut at the top', () => {
    const log = [
      {id: 1, kind: 'own' as const, text: 'two words here'},
      {id: 2, kind: 'error' as const, text: 'three'},
    ]
    assert.deepEqual(narrationLines(log, 9, 2, true), [{kind: 'error', text: 'three'}])
    assert.deepEqual(narrationLines(log, 9, 2), [{kind: 'own', text: '  here'}, {kind: 'error', text: 'three'}])
  })
})
