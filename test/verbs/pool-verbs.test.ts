import assert from 'node:assert/strict'
import fs from 'node:fs'
import {runVerbLine} from '../../src/verbs/index.js'
import {PAGESIZE, verbHarness} from './harness.js'

describe('the new, delete, sync, stats and close verbs', () => {
  const h = verbHarness('mpool-verbs-pool-verbs-')

  it('runs new, delete, sync, stats and close with results a script can use', async () => {
    assert.equal((await runVerbLine(h.pool(), 'new')).text, '4')
    await runVerbLine(h.pool(), 'put 4 --text x')
    await runVerbLine(h.pool(), 'get 2')
    assert.equal((await runVerbLine(h.pool(), 'delete 2')).text, 'dropped page 2 without writing it')
    await runVerbLine(h.pool(), 'get 3')
    await runVerbLine(h.pool(), 'put 3 --text lost')
    await runVerbLine(h.pool(), 'get 3')
    assert.equal((await runVerbLine(h.pool(), 'delete 3')).text, 'dropped page 3 without writing it (it was dirty: its changes are lost)')
    assert.equal((await runVerbLine(h.pool(), 'sync')).text, 'wrote 1 page')
    assert.equal(fs.statSync(h.file()).size, 5 * PAGESIZE)
    const stats = (await runVerbLine(h.pool(), 'stats')).result as {pagenew: number; file: string}
    assert.equal(stats.pagenew, 1)
    assert.equal(stats.file, h.file())
    await runVerbLine(h.pool(), 'get 0')
    await runVerbLine(h.pool(), 'put 0 --dirty')
    await runVerbLine(h.pool(), 'get 1')
    assert.equal((await runVerbLine(h.pool(), 'close')).text, 'closed the pool: dropped dirty page 0 without writing it; page 1 still pinned')
  })
})
