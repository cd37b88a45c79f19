/**
 * steps -- the answer key of a textbook exercise, and the list of divergences, as text.
 *
 *   lru with 3 frames: 12 misses (page faults) and 8 hits in 20 accesses
 *   step  page  result  victim  frames  state
 *      1     7  miss    -       7 . .   recency 7
 *      4     2  miss    7       2 0 1   recency 0 1 2
 *                       └ lru: least recently used, last used at step 1
 *
 * Policy, each in a sentence:
 *  - One row per access: the page, hit or miss, the page evicted, the page in each frame
 *    afterwards in frame order ('.' for an empty frame), and the policy's own state.
 *  - The state is in pages wherever the policy keeps pages: LRU's recency and FIFO's queue
 *    least recent (first in) first, CLOCK's hand (a frame) and its counts in frame order,
 *    LRU-K's access times per page in frame order, ARC's four lists least recent first and p,
 *    OPT's next use of each page (∞: never again).
 *  - An eviction is followed by a line with the policy's reason, in its own words.
 *  - Columns are padded before colour is added; with no palette the text is plain.
 */
import type {Palette} from '../render/palette.js'
import {num, reasonText} from '../render/reasons.js'
import type {Divergence, StepRow, StepsResult} from '../workload/stepper.js'
import type {Series} from '../workload/simulator.js'

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`
}

/** stateText -- the policy's state after a step, in the words of the policy (see the header). */
export function stateText(series: Series, row: StepRow): string {
  const state = row.state
  const page = (f: number) => String(row.frames[f] ?? '.')
  const order = (state.order as number[]).map(page).join(' ')
  switch (series) {
    case 'lru':
      return `recency ${order}`
    case 'fifo':
      return `queue ${order}`
    case 'clock': {
      const usage = (state.usage as (number | null)[]).map((u) => (u === null ? '.' : String(u)))
      return `hand at frame ${String(state.hand)}, counts ${usage.join(' ')}`
    }
    case 'lru-k': {
      const frames = state.frames as {frame: number; times: number[]}[]
      return `histories ${frames.map((f) => `${page(f.frame)}:${f.times.join(',')}`).join(' ')}`
    }
    case 'arc': {
      const lists = state.lists as Record<'T1' | 'T2' | 'B1' | 'B2', number[]>
      const list = (name: 'T1' | 'T2' | 'B1' | 'B2') => `${name} [${lists[name].join(' ')}]`
      return `${list('T1')} ${list('T2')} ${list('B1')} ${list('B2')} p ${num(state.p as number)}`
    }
    case 'opt': {
      const next = state.next as {frame: number; nextUse: number | null}[]
      return `next use ${next.map((n) => `${page(n.frame)}:${n.nextUse ?? '∞'}`).join(' ')}`
    }
  }
}

/** summary -- "lru with 3 frames: 12 misses (page faults) and 8 hits in 20 accesses". */
export function stepsSummary(result: StepsResult): string {
  return `${result.policy} with ${plural(result.maxcache, 'frame')}: ${plural(result.misses, 'miss', 'misses')} (page faults) and ${plural(result.hits, 'hit')} in ${plural(result.accesses, 'access', 'accesses')}`
}

/** stepsTable -- the answer key of one policy (see the header). */
export function stepsTable(result: StepsResult, palette: Palette | null): string {
  const heading = (t: string) => (palette === null ? t : palette.heading(t))
  const width = Math.max(1, ...result.steps.map((r) => String(r.pgno).length))
  const cells = result.steps.map((r) => [
    String(r.step),
    String(r.pgno),
    r.hit ? 'hit' : 'miss',
    r.victim === null ? '-' : String(r.victim.pgno),
    r.frames.map((p) => (p === null ? '.' : String(p)).padStart(width)).join(' '),
    stateText(result.policy, r),
  ])
  const header = ['step', 'page', 'result', 'victim', 'frames', 'state']
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)))
  const right = [true, true, false, true, false, false]
  const lay = (row: string[]) => row.map((cell, c) => (c === row.length - 1 ? cell : right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ')
  const lines = [heading(stepsSummary(result)), heading(lay(header).trimEnd())]
  const indent = ' '.repeat(widths[0] + widths[1] + widths[2] + 6)
  result.steps.forEach((r, i) => {
    const line = lay(cells[i])
    lines.push(palette === null || r.hit ? line : line.replace(/ miss /, ` ${palette.warn('miss')} `))
    if (r.victim?.why) {
      const why = `└ ${r.victim.why.policy}: ${reasonText(r.victim.why)}`
      lines.push(indent + (palette === null ? why : palette.dim(why)))
    }
  })
  return lines.join('\n')
}

/** divergenceTable -- the steps where the policies disagree: who hit, who missed. */
export function divergenceTable(series: readonly Series[], maxcache: number, accesses: number, rows: readonly Divergence[], palette: Palette | null): string {
  const heading = (t: string) => (palette === null ? t : palette.heading(t))
  const names = series.length === 2 ? `${series[0]} and ${series[1]}` : `${series.slice(0, -1).join(', ')} and ${series.at(-1)}`
  const head = `${names} with ${plural(maxcache, 'frame')}: ${rows.length === 0 ? 'the same hit or miss at every step' : `one hits where another misses at ${rows.length} of ${plural(accesses, 'step')}`}`
  if (rows.length === 0) return heading(head)
  const cells = rows.map((d) => [String(d.step), String(d.pgno), d.hit.join(','), d.miss.join(',')])
  const header = ['step', 'page', 'hit', 'miss']
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)))
  const lay = (row: string[]) => row.map((cell, c) => (c < 2 ? cell.padStart(widths[c]) : c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')
  return [heading(head), heading(lay(header)), ...cells.map(lay)].join('\n')
}
