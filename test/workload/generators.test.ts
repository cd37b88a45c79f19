import assert from 'node:assert/strict'
import {generateTrace} from '../../src/workload/generators.js'

describe('the trace generators', () => {
  it('seq scans 0..pages-1 once, or the first length pages of it, and refuses to scan twice', () => {
    assert.deepEqual(generateTrace('seq', {pages: 4}).pgnos, Uint32Array.from([0, 1, 2, 3]))
    assert.deepEqual(generateTrace('seq', {pages: 4, length: 2}).pgnos, Uint32Array.from([0, 1]))
    assert.throws(() => generateTrace('seq', {pages: 3, length: 7}), /seq is one scan of the 3 pages, so at most 3 accesses, not 7; loop repeats the scan/)
  })

  it('loop repeats the scan, ten times by default', () => {
    const t = generateTrace('loop', {pages: 5})
    assert.equal(t.pgnos.length, 50)
    for (let i = 0; i < 50; i++) assert.equal(t.pgnos[i], i % 5)
  })

  it('gives the same trace for the same seed and another for another seed', () => {
    for (const kind of ['zipf', 'scan-mix'] as const) {
      const a = generateTrace(kind, {pages: 1000, length: 5000, seed: 42, dirty: 0.5})
      const b = generateTrace(kind, {pages: 1000, length: 5000, seed: 42, dirty: 0.5})
      const c = generateTrace(kind, {pages: 1000, length: 5000, seed: 43, dirty: 0.5})
      assert.deepEqual(a, b, kind)
      assert.notDeepEqual(a.pgnos, c.pgnos, kind)
      assert.notDeepEqual(a.dirty, c.dirty, kind)
    }
  })

  it('zipf stays in range and its k-th most used page is used about 1/k as often as the first', () => {
    const pages = 1000
    const length = 200_000
    const t = generateTrace('zipf', {pages, length, seed: 9})
    const counts = new Array<number>(pages).fill(0)
    for (const p of t.pgnos) {
      assert.ok(p < pages)
      counts[p]++
    }
    counts.sort((a, b) => b - a)
    const harmonic = Array.from({length: pages}, (_, r) => 1 / (r + 1)).reduce((a, b) => a + b)
    // P(top page) = 1 / H(1000) ≈ 0.134
    assert.ok(Math.abs(counts[0] / length - 1 / harmonic) < 0.01, `top share ${counts[0] / length}`)
    assert.ok(Math.abs(counts[0] / counts[1] - 2) < 0.15, `ratio 1:2 is ${counts[0] / counts[1]}`)
    assert.ok(Math.abs(counts[0] / counts[9] - 10) < 1.5, `ratio 1:10 is ${counts[0] / counts[9]}`)
  })

  it('scan-mix sends 80% of accesses to the hot 10% and scans the rest in order, each page once a pass', () => {
    const pages = 1000
    const t = generateTrace('scan-mix', {pages, length: 20_000, seed: 5})
    const hot = 100
    let hotCount = 0
    let lastCold = -1
    const coldSeen = new Array<number>(pages).fill(0)
    for (let i = 0; i < t.pgnos.length; i++) {
      const p = t.pgnos[i]
      assert.ok(p < pages)
      if (p < hot) {
        hotCount++
        continue
      }
      // every cold access continues the scan where the last one stopped, wrapping round
      if (lastCold !== -1) assert.equal(p, lastCold + 1 === pages ? hot : lastCold + 1, `access ${i}`)
      lastCold = p
      coldSeen[p]++
    }
    // 8 × hot hot accesses, then a scan of 2 × hot cold pages: 800 + 200 per round
    assert.equal(hotCount, 16_000)
    assert.deepEqual(t.pgnos.subarray(800, 1000), Uint32Array.from({length: 200}, (_, i) => hot + i))
    // 4000 cold accesses over 900 cold pages: each scanned 4 or 5 times
    assert.ok(coldSeen.slice(hot).every((n) => n === 4 || n === 5))
  })

  it('marks about the asked fraction of accesses dirty', () => {
    const t = generateTrace('zipf', {pages: 100, length: 20_000, seed: 1, dirty: 0.25})
    const share = t.dirty.reduce((a, b) => a + b, 0) / t.dirty.length
    assert.ok(Math.abs(share - 0.25) < 0.02, `dirty share ${share}`)
    assert.equal(generateTrace('zipf', {pages: 100, length: 100}).dirty.reduce((a, b) => a + b, 0), 0)
  })

  it('refuses bad sizes', () => {
    assert.throws(() => generateTrace('seq', {pages: 0}), /pages/)
    assert.throws(() => generateTrace('zipf', {pages: 10, length: -1}), /length/)
    assert.throws(() => generateTrace('zipf', {pages: 10, dirty: 2}), /dirty/)
    assert.throws(() => generateTrace('nope' as 'seq', {pages: 10}), /unknown trace kind/)
  })
})
