import assert from 'node:assert/strict'
import {PassThrough} from 'node:stream'
import {PROGRESS_THRESHOLD, startProgress} from '../../src/replay/progress.js'

describe('the replay progress bar', () => {
  it('draws nothing on a stream that is not a terminal, or for short work', () => {
    const pipe = new PassThrough()
    const quiet = startProgress(pipe as unknown as NodeJS.WriteStream, 25, 1_000_000)
    assert.equal(quiet.onProgress, undefined)
    quiet.stop()
    const tty = Object.assign(new PassThrough(), {isTTY: true, columns: 80})
    const short = startProgress(tty as unknown as NodeJS.WriteStream, 1, PROGRESS_THRESHOLD - 1)
    assert.equal(short.onProgress, undefined)
    short.stop()
    assert.equal(pipe.read(), null)
    assert.equal(tty.read(), null)
  })

  it('draws a bar on a terminal that counts replays, names the last, and clears itself', () => {
    const tty = Object.assign(new PassThrough(), {isTTY: true, columns: 100})
    const progress = startProgress(tty as unknown as NodeJS.WriteStream, 10, PROGRESS_THRESHOLD / 10)
    assert.ok(progress.onProgress !== undefined)
    progress.onProgress(10, 10, {policy: 'arc', maxcache: 64, hits: 1, misses: 1, accesses: 2, hitRatio: 0.5})
    progress.stop()
    progress.stop() // twice is harmless
    const drawn = String(tty.read())
    assert.match(drawn, /replaying .* 0\/10 replays \| starting/)
    assert.match(drawn, /10\/10 replays \| arc at cache size 64 done/)
    assert.ok(drawn.includes('\x1b[?25h'), 'the cursor is shown again')
    assert.ok(drawn.endsWith('\x1b[2K'), 'the line is erased at the end')
  })
})
