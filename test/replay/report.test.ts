import assert from 'node:assert/strict'
import {replayAll, type ReplayResult} from '../../src/workload/simulator.js'
import {generateTrace} from '../../src/workload/generators.js'
import {bar, barWidth, DEFAULT_BAR_WIDTH, hitRatioChart, MAX_BAR_WIDTH, MIN_BAR_WIDTH} from '../../src/replay/chart.js'
import {loadPalette} from '../../src/render/palette.js'
import {percent1, resultsTable} from '../../src/replay/table.js'

const ESC = '\x1b['

/** The textbook reference string (Silberschatz et al., section 10.4), replayed at 3 and 4 frames. */
function textbook(): ReplayResult[] {
  const trace = Uint32Array.from([7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1])
  return replayAll(trace, ['lru', 'arc'], [4, 3])
}

describe('the replay report', () => {
  describe('resultsTable', () => {
    it('has a row per cache size, ascending, and a column per policy with OPT last', () => {
      // the textbook's fault counts: LRU 12 with 3 frames, 8 with 4; OPT 9 and 8 (of 20 accesses)
      assert.equal(
        resultsTable(textbook(), null),
        ['maxcache    lru    arc    opt', '       3  40.0%  35.0%  55.0%', '       4  60.0%  55.0%  60.0%'].join('\n'),
      )
    })

    it('colours the header by policy and the best policy of a row, with the text unchanged underneath', async () => {
      const palette = await loadPalette(1)
      // 16 colours: bold is SGR 1 (closed by 22), blue 34, green 32 and gray 90 (closed by 39)
      const bold = (t: string) => `${ESC}1m${t}${ESC}22m`
      const blue = (t: string) => `${ESC}34m${t}${ESC}39m`
      const green = (t: string) => `${ESC}32m${t}${ESC}39m`
      const gray = (t: string) => `${ESC}90m${t}${ESC}39m`
      assert.equal(
        resultsTable(textbook(), palette),
        [
          [bold('maxcache'), blue(bold('  lru')), green(bold('  arc')), gray(bold('  opt'))].join('  '),
          ['       3', bold('40.0%'), '35.0%', gray('55.0%')].join('  '),
          ['       4', bold('60.0%'), '55.0%', gray('60.0%')].join('  '),
        ].join('\n'),
      )
    })

    it('writes a ratio as a percentage with one decimal', () => {
      assert.equal(percent1(0), '0.0%')
      assert.equal(percent1(0.38349), '38.3%')
      assert.equal(percent1(1), '100.0%')
    })
  })

  describe('bar', () => {
    it('draws a ratio in eighths of a cell, padded to the width', () => {
      assert.equal(bar(0, 8), ' '.repeat(8))
      assert.equal(bar(1, 8), '█'.repeat(8))
      assert.equal(bar(0.5, 8), '████    ')
      assert.equal(bar(1 / 64, 8), '▏       ') // one eighth of one cell of eight
      assert.equal(bar(0.5 + 3 / 64, 8), '████▍   ')
    })

    it('clamps ratios outside 0..1', () => {
      assert.equal(bar(-1, 4), '    ')
      assert.equal(bar(2, 4), '████')
    })
  })

  describe('barWidth', () => {
    it('fits the terminal between the least and the most width, and uses the default without one', () => {
      assert.equal(barWidth(undefined), DEFAULT_BAR_WIDTH)
      assert.equal(barWidth(0), DEFAULT_BAR_WIDTH)
      assert.equal(barWidth(20), MIN_BAR_WIDTH)
      assert.equal(barWidth(500), MAX_BAR_WIDTH)
      const width = barWidth(70)
      assert.ok(width > MIN_BAR_WIDTH && width < MAX_BAR_WIDTH)
      // the widest line fits the terminal
      const chart = hitRatioChart(textbook(), {width})
      for (const line of chart.split('\n')) assert.ok([...line].length <= 70, line)
    })
  })

  describe('hitRatioChart', () => {
    it('draws a group per cache size with a labelled bar per policy, OPT last, and a scale', () => {
      const lines = hitRatioChart(textbook(), {width: 20}).split('\n')
      assert.deepEqual(lines, [
        'hit ratio against cache size (one █ = 5% of accesses)',
        '  maxcache 3',
        '    lru  ████████               40.0%',
        '    arc  ███████                35.0%',
        '    opt  ███████████            55.0%',
        '  maxcache 4',
        '    lru  ████████████           60.0%',
        '    arc  ███████████            55.0%',
        '    opt  ████████████           60.0%',
        '         0%       50%    100%',
      ])
    })

    it('draws every result of a larger replay, each bar as long as its ratio', () => {
      const results = replayAll(generateTrace('zipf', {pages: 200, length: 2000, seed: 3}), ['lru', 'clock', 'lru-k', 'arc'], [10, 40, 160])
      const chart = hitRatioChart(results, {width: 40})
      for (const r of results) {
        const line = chart.split('\n').find((l, i, all) => l.startsWith(`    ${r.policy.padEnd(5)}  `) && all.slice(0, i).reverse().find((h) => h.startsWith('  maxcache')) === `  maxcache ${r.maxcache}`)
        assert.ok(line !== undefined, `${r.policy} at ${r.maxcache}`)
        assert.ok(line.endsWith(percent1(r.hitRatio)))
        const full = [...line].filter((ch) => ch === '█').length
        assert.equal(full, Math.floor(Math.round(r.hitRatio * 40 * 8) / 8))
      }
    })

    it('colours each policy\'s bars, with the text unchanged underneath', async () => {
      const palette = await loadPalette(3)
      const coloured = hitRatioChart(textbook(), {width: 20, palette})
      const plain = hitRatioChart(textbook(), {width: 20}).split('\n')
      const lines = coloured.split('\n')
      // headings bold; each bar in its policy's colour (lru blue 34, arc green 32, opt gray 90); the scale gray
      assert.equal(lines[0], `${ESC}1m${plain[0]}${ESC}22m`)
      assert.equal(lines[1], `${ESC}1m${plain[1]}${ESC}22m`)
      const paint = (line: string, sgr: number) => line.replace(/^( {4}\w+ {2})(.{20})/, `$1${ESC}${sgr}m$2${ESC}39m`)
      assert.equal(lines[2], paint(plain[2], 34))
      assert.equal(lines[3], paint(plain[3], 32))
      assert.equal(lines[4], paint(plain[4], 90))
      assert.equal(lines.at(-1), `         ${ESC}90m${plain.at(-1)!.trimStart()}${ESC}39m`)
      assert.equal(lines.length, plain.length)
    })
  })
})
