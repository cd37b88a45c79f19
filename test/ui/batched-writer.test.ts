/*
 * The piped script's output blocks (ui/batched-writer.ts): everything written comes out once,
 * in order, in one write per block; a block goes out at the limit, at flush, and by itself
 * before the process would go idle.
 */
import assert from 'node:assert/strict'
import {BatchedWriter} from '../../src/ui/batched-writer.js'

/** idle -- resolves once the event loop has had a turn (what the writer waits for). */
const idle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('the batched writer', () => {
  it('holds lines and writes them in one block at flush, in order', () => {
    const blocks: string[] = []
    const out = new BatchedWriter((text) => blocks.push(text), 100)
    out.write('a\n')
    out.write('')
    out.write('b\n')
    assert.deepEqual(blocks, [])
    out.flush()
    out.flush()
    assert.deepEqual(blocks, ['a\nb\n'])
  })

  it('writes a block as soon as the limit is reached', () => {
    const blocks: string[] = []
    const out = new BatchedWriter((text) => blocks.push(text), 10)
    out.write('12345')
    out.write('67890')
    out.write('x')
    assert.deepEqual(blocks, ['1234567890'])
    out.flush()
    assert.deepEqual(blocks, ['1234567890', 'x'])
  })

  it('writes what it holds by itself once the event loop gets a turn, so a reader waiting for an answer gets it', async () => {
    const blocks: string[] = []
    const out = new BatchedWriter((text) => blocks.push(text), 1 << 16)
    out.write('answer\n')
    assert.deepEqual(blocks, [])
    await idle()
    assert.deepEqual(blocks, ['answer\n'])
    await idle()
    assert.deepEqual(blocks, ['answer\n'], 'nothing written twice')
  })
})

describe('the batched writer against a full sink', () => {
  it('is blocked after a block the sink refused, until the sink drains; a sink that takes it never blocks', async () => {
    let drain: () => void = () => {}
    let full = true
    const blocks: string[] = []
    const out = new BatchedWriter((text) => (blocks.push(text), !full), 4, () => new Promise<void>((resolve) => (drain = resolve)))
    out.write('abcd')
    assert.deepEqual(blocks, ['abcd'])
    assert.equal(out.blocked, true)
    let resumed = false
    const waiting = out.unblocked().then(() => (resumed = true))
    await idle()
    assert.equal(resumed, false, 'still waiting for the drain')
    drain()
    await waiting
    assert.equal(out.blocked, false)
    full = false
    out.write('efgh')
    assert.equal(out.blocked, false)
    await out.unblocked() // at once
    assert.deepEqual(blocks, ['abcd', 'efgh'])
  })
})
