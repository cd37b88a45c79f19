/*
 * PlayApp with ink-testing-library: keys in, frames out, and play driven by a timer the test
 * holds (the `schedule` seam), so that nothing here waits for time.
 */
import assert from 'node:assert/strict'
import {stripVTControlCharacters} from 'node:util'
import {render} from 'ink-testing-library'
import {PlayApp, type Schedule} from '../../../src/ui/play/play-app.js'
import {PlaySession} from '../../../src/ui/play/session.js'
import {replay} from '../../../src/workload/simulator.js'
import {generateTrace} from '../../../src/workload/generators.js'

/** until -- yields to the event loop (no timer) until `test` holds; a 5 s deadline for a hang. */
async function until(test: () => boolean, what: () => string): Promise<void> {
  const deadline = performance.now() + 5000
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what()}`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe('PlayApp', () => {
  const trace = generateTrace('zipf', {pages: 20, length: 60, seed: 9})

  it('steps on space, plays on Enter one tick of the test-held timer at a time, and changes speed on + and -', async () => {
    const ticks: {fn: () => void; ms: number}[] = []
    const schedule: Schedule = (fn, ms) => {
      ticks.push({fn, ms})
      return () => {}
    }
    const session = new PlaySession(trace, ['lru', 'clock'], 5)
    const app = render(<PlayApp session={session} traceName="z.trace" fileName={null} colour={false} onExit={() => {}} schedule={schedule} size={{columns: 100, rows: 30}} />)
    const frame = () => stripVTControlCharacters(app.lastFrame() ?? '')
    const wait = async (text: string) => {
      await until(() => frame().includes(text), () => `${text} in the frame:\n${frame()}`)
      return frame()
    }
    const tick = async (count: number) => {
      await until(() => ticks.length >= count, () => `tick ${count} scheduled`)
      ticks[count - 1].fn()
    }
    await wait('step 0/60 · paused · 5 steps/s')
    app.stdin.write('   ')
    let shown = await wait('step 3/60 · paused')
    assert.match(shown, new RegExp(`^lru · hits ${replay(trace.pgnos.subarray(0, 3), 'lru', 5).hits} · `, 'm'))
    app.stdin.write('+')
    await wait('10 steps/s')
    app.stdin.write('\r')
    await wait('step 3/60 · playing')
    await tick(1)
    assert.equal(ticks[0].ms, 100, 'a tick every 1000 / 10 ms')
    await wait('step 4/60 · playing')
    await tick(2)
    await wait('step 5/60 · playing')
    await until(() => ticks.length >= 3, () => 'the next tick scheduled')
    assert.equal(ticks.length, 3, 'one tick scheduled a step: nothing runs ahead of the timer')
    app.stdin.write('\r')
    shown = await wait('step 5/60 · paused')
    for (const p of ['lru', 'clock'] as const) assert.match(shown, new RegExp(`^${p} · hits ${replay(trace.pgnos.subarray(0, 5), p, 5).hits} · `, 'm'))
    app.stdin.write('-')
    await wait('5 steps/s')
    app.unmount()
  })
})
