/*
 * Live play in a real pseudo-terminal: the built binary under node-pty, the screen read back
 * through @xterm/headless, its counters checked against the real `mpool replay --json` of the
 * same first n accesses, its victims against the plain reference models.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type {PolicyName} from '../../../src/pool/index.js'
import {replay} from '../../../src/workload/simulator.js'
import {formatTrace, readTrace, type Trace} from '../../../src/workload/trace.js'
import {buildOnce, CliSandbox} from '../../helpers/cli.js'
import {modelReplay} from '../../helpers/reference-policies.js'
import {PtyScreen} from '../helpers/screen.js'

/** The textbook's reference string, a few accesses dirtied so that victims are written back. */
const TEXTBOOK = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1]
const TEXTBOOK_DIRTY = new Set([0, 3, 5])

describe('mpool repl --trace: live play in a real terminal', function () {
  this.timeout(90_000)
  const box = new CliSandbox('mpool-ui-play-')
  const screens: PtyScreen[] = []

  function start(args: string[], cols = 100, rows = 30): PtyScreen {
    const screen = new PtyScreen(['repl', ...args], {cols, rows, cwd: box.dir, env: {MPOOL_RUNTIME_DIR: box.runtime}})
    screens.push(screen)
    return screen
  }

  /** prefix -- a trace file of the first n accesses of `trace`. */
  function prefix(trace: Trace, n: number): string {
    const file = box.path(`prefix-${n}-${screens.length}.trace`)
    fs.writeFileSync(file, formatTrace({pgnos: trace.pgnos.subarray(0, n), dirty: trace.dirty.subarray(0, n)}))
    return file
  }

  /** replayed -- `mpool replay` of the first n accesses: each policy's hits, and OPT's. */
  async function replayed(trace: Trace, n: number, policies: readonly PolicyName[], maxcache: number): Promise<Record<string, number>> {
    const r = await box.run(['replay', prefix(trace, n), '--policy', policies.join(','), '--maxcache', String(maxcache), '--json'])
    assert.equal(r.status, 0, r.stderr)
    return Object.fromEntries((JSON.parse(r.stdout) as {policy: string; hits: number}[]).map((row) => [row.policy, row.hits]))
  }

  /** shown -- each policy's hits and misses as its grid title shows them, and OPT's ceiling. */
  function shown(screen: PtyScreen): Record<string, number> {
    const out: Record<string, number> = {}
    for (const m of screen.text().matchAll(/^(\S+) · hits (\d+) · misses (\d+) · evictions (\d+) · write-backs (\d+)\b/gm)) out[m[1]] = Number(m[2])
    const opt = /OPT (\d+) \(the ceiling\)/.exec(screen.text())
    if (opt !== null) out.opt = Number(opt[1])
    return out
  }

  /** victimShown -- the page the narration says `policy` evicted at `step`, or null for none. */
  function victimShown(screen: PtyScreen, step: number, policy: string): number | null {
    const line = screen.lines().find((l) => new RegExp(`^(◆ )?step ${step} · page \\d+( \\(dirtied\\))? · ${policy} `).test(l))
    assert.ok(line !== undefined, `step ${step} of ${policy} told:\n${screen.text()}`)
    const m = / evicted page (\d+) from frame/.exec(line)
    return m === null ? null : Number(m[1])
  }

  async function stepTo(screen: PtyScreen, from: number, to: number, total: number): Promise<void> {
    screen.type(' '.repeat(to - from)) // one write: the keys of one read are each done
    await screen.waitForText(`step ${to}/${total} · ${to === total ? 'at the end' : 'paused'}`)
  }

  before(() => buildOnce())
  after(async () => {
    for (const s of screens) await s.kill()
    await box.cleanup()
  })

  it('steps one access per space: the counters are replay\'s on the accesses so far, the victims the reference model\'s', async () => {
    const traceFile = box.path('textbook.trace')
    const trace: Trace = {pgnos: Uint32Array.from(TEXTBOOK), dirty: Uint8Array.from(TEXTBOOK.map((_, i) => (TEXTBOOK_DIRTY.has(i) ? 1 : 0)))}
    fs.writeFileSync(traceFile, formatTrace(trace))
    const file = box.path('pages.db')
    fs.writeFileSync(file, Buffer.alloc(8 * 512))
    const screen = start([file, '--trace', traceFile, '--policy', 'lru', '--maxcache', '3'])
    await screen.waitForText('step 0/20 · paused', 15_000)
    assert.match(screen.lines()[0], /^step 0\/20 · paused · 5 steps\/s · textbook\.trace on pages\.db · 20 accesses, 6 pages · maxcache 3$/)
    const model = modelReplay('lru', TEXTBOOK, 3).steps
    let at = 0
    for (const n of [1, 4, 9, 14, 20]) {
      await stepTo(screen, at, n, 20)
      at = n
      const expected = await replayed(trace, n, ['lru'], 3)
      const got = shown(screen)
      assert.deepEqual([got.lru, got.opt], [expected.lru, expected.opt], `hits after step ${n}:\n${screen.text()}`)
      assert.equal(victimShown(screen, n, 'lru'), model[n - 1].victim, `the victim of step ${n}`)
    }
    // the textbook's answer: LRU faults 12 times on 3 frames
    // write-backs: the victims the model evicted while dirty (dirtied by a `d` access since they came in)
    const dirty = new Set<number>()
    let writebacks = 0
    model.forEach((s, i) => {
      if (s.victim !== null && dirty.delete(s.victim)) writebacks++
      if (TEXTBOOK_DIRTY.has(i)) dirty.add(s.pgno)
    })
    assert.ok(writebacks > 0)
    assert.match(screen.text(), new RegExp(`^lru · hits 8 · misses 12 · evictions 9 · write-backs ${writebacks} · step 20: page 1 hit$`, 'm'))
    screen.type('q')
    assert.equal(await screen.exited, 0)
  })

  describe('--compare', () => {
    let trace: Trace
    let traceFile: string

    before(async () => {
      traceFile = box.path('zipf.trace')
      const made = await box.run(['trace', 'gen', 'zipf', '--pages', '40', '--length', '300', '--seed', '3', '-o', traceFile])
      assert.equal(made.status, 0, made.stderr)
      trace = readTrace(traceFile)
    })

    it("shows each policy's hits equal to replay's at every step sampled, OPT's beside them, and jumps to where they disagree", async () => {
      const policies: PolicyName[] = ['lru', 'arc', 'clock']
      const screen = start(['--trace', traceFile, '--compare', policies.join(','), '--maxcache', '6'])
      await screen.waitForText('step 0/300 · paused', 15_000)
      let at = 0
      for (const n of [25, 60]) {
        await stepTo(screen, at, n, 300)
        at = n
        const expected = await replayed(trace, n, policies, 6)
        const got = shown(screen)
        for (const p of [...policies, 'opt']) assert.equal(got[p], expected[p], `${p} hits after step ${n}:\n${screen.text()}`)
      }
      // n: the next step at which one policy hits and another misses
      for (let jump = 0; jump < 2; jump++) {
        const next = /next at step (\d+) \(n\)/.exec(screen.text())
        assert.ok(next !== null, screen.text())
        const d = Number(next[1])
        screen.type('n')
        await screen.waitForText(`step ${d}/300 · paused`)
        const hitAt = (p: PolicyName) => replay(trace.pgnos.subarray(0, d), p, 6).hits - replay(trace.pgnos.subarray(0, d - 1), p, 6).hits
        const hits = policies.map(hitAt)
        assert.ok(hits.includes(1) && hits.includes(0), `step ${d} is a divergence: ${hits}`)
        for (let s = at + 1; s < d; s++) {
          const between = policies.map((p) => replay(trace.pgnos.subarray(0, s), p, 6).hits - replay(trace.pgnos.subarray(0, s - 1), p, 6).hits)
          assert.ok(between.every((h) => h === between[0]), `no divergence at step ${s}, before ${d}`)
        }
        at = d
        const expected = await replayed(trace, d, policies, 6)
        const got = shown(screen)
        for (const p of [...policies, 'opt']) assert.equal(got[p], expected[p], `${p} hits at the divergence, step ${d}`)
        for (const p of policies) {
          assert.equal(victimShown(screen, d, p), modelReplay(p, Array.from(trace.pgnos.subarray(0, d)), 6).steps[d - 1].victim, `${p}'s victim at step ${d}`)
        }
        assert.ok(screen.lines().some((l) => l.startsWith(`◆ step ${d} · `)), `step ${d} is marked:\n${screen.text()}`)
      }
      screen.type('q')
      assert.equal(await screen.exited, 0)
    })

    it('plays to the end on Enter at the fastest speed, then restarts on r', async () => {
      const screen = start(['--trace', traceFile, '--compare', 'lru,lru-k', '--maxcache', '8'], 80, 24)
      await screen.waitForText('step 0/300 · paused · 5 steps/s', 15_000)
      screen.type('+'.repeat(10))
      await screen.waitForText('500 steps/s')
      screen.type('\r')
      await screen.waitForText('step 300/300 · at the end', 20_000)
      const expected = await replayed(trace, 300, ['lru', 'lru-k'], 8)
      const got = shown(screen)
      for (const p of ['lru', 'lru-k', 'opt']) assert.equal(got[p], expected[p], `${p} hits at the end`)
      assert.deepEqual(screen.wrappedRows(), [], 'nothing wider than the terminal')
      assert.equal(screen.lines()[23].trim(), '', 'the last row is left blank (rows - 1 drawn)')
      screen.type('r')
      await screen.waitForText('step 0/300 · paused')
      assert.match(screen.text(), /^lru · hits 0 · misses 0 · evictions 0 · write-backs 0$/m)
      screen.type('q')
      assert.equal(await screen.exited, 0)
    })
  })

  it('refuses live play without a terminal, and a --compare list it cannot play, with usage errors', async () => {
    const trace = box.path('small.trace')
    fs.writeFileSync(trace, formatTrace({pgnos: Uint32Array.from([1, 2, 1]), dirty: new Uint8Array(3)}))
    const piped = await box.run(['repl', '--trace', trace, '--policy', 'arc', '--maxcache', '4'])
    assert.equal(piped.status, 2)
    assert.equal(piped.stderr.trim(), `mpool repl: --trace plays live on a terminal; for the same numbers as text run \`mpool replay ${trace} --policy arc --maxcache 4\``)
    for (const [list, message] of [
      ['lru', '--compare takes 2 to 4 policies, not 1; e.g. --compare lru,arc'],
      ['lru,opt', '--compare takes policies a pool can run; OPT is drawn beside them as the ceiling already'],
      ['lru,lfu', '--compare: no policy "lfu"; choose 2 to 4 of lru, fifo, clock, lru-k, arc'],
    ]) {
      const r = await box.run(['repl', '--trace', trace, '--compare', list])
      assert.equal(r.status, 2, r.stderr)
      assert.equal(r.stderr.trim(), `mpool repl: ${message}`)
    }
  })
})
