/**
 * play-text -- live play's lines of text and its layout, as pure functions.
 *
 *   header     step 12/200 · paused · 5 steps/s · trace.t on data.db · 200 accesses, 37 pages · maxcache 8
 *   hits       hits at step 12: lru 5 · arc 6 · OPT 7 (the ceiling)
 *   diverge    ◆ 3 steps where the policies disagree · next at step 15 (n)      (--compare only)
 *   per policy lru · hits 5 · misses 7 · evictions 2 · write-backs 1 · step 12: page 7 miss, evicted 3
 *              the grid of frames, in the policy's eviction order, the page just accessed inverse
 *   narration  step 12 · page 7 · lru miss: evicted page 3 from frame 1, clean (least recently used, last used at step 4)
 *   help       space step · Enter play/pause · +/- speed · r restart · n next divergence · q quit
 *
 * Policy, in a sentence each:
 *  - Each step is told once per policy, in the policy's own words for its victim.
 *  - A divergent step (one policy hits, another misses) is marked ◆ in the narration and
 *    counted in the hits line, with the next one to jump to.
 *  - The layout never uses more than rows - 1 lines: the header, the hits line, the help line
 *    and two lines of narration first, then each policy's title and as much of its grid as
 *    its share of what is left holds, then the narration takes the rest.
 */
import type {VictimReason} from '../../pool/index.js'
import {reasonText} from '../../render/reasons.js'
import type {PlayRecord, SteppedAccess} from './session.js'
import {SPEEDS, type PlayState} from './play-state.js'

/** The divergence mark, in the narration and on the hits line. */
export const DIVERGES = '◆'

export const PLAY_KEYS = 'space step · Enter play/pause · +/- speed · r restart · n next divergence · q quit'
export const PLAY_KEYS_SHORT = 'space step · Enter play · +/- speed · r restart · n diverge · q'

/** headerText -- what is played, where it stands and how fast. */
export function headerText(o: {trace: string; file: string | null; accesses: number; pages: number; maxcache: number; state: PlayState}): string {
  const where = o.file === null ? o.trace : `${o.trace} on ${o.file}`
  const mode = o.state.playing ? 'playing' : o.state.step >= o.state.total ? 'at the end' : 'paused'
  return `step ${o.state.step}/${o.state.total} · ${mode} · ${SPEEDS[o.state.speed]} steps/s · ${where} · ${o.accesses} accesses, ${o.pages} pages · maxcache ${o.maxcache}`
}

/** hitsText -- every policy's hits side by side, and OPT's as the ceiling. */
export function hitsText(o: {step: number; hits: {policy: string; hits: number}[]; opt: number}): string {
  const each = o.hits.map((h) => `${h.policy} ${h.hits}`).join(' · ')
  return `hits at step ${o.step}: ${each} · OPT ${o.opt} (the ceiling)`
}

/** divergeText -- how many steps the policies disagree on, and the next one to jump to. */
export function divergeText(o: {divergences: number; next: number | null; noMore: boolean}): string {
  const next = o.next === null ? (o.noMore ? 'no more after this step' : 'none ahead') : `next at step ${o.next} (n)`
  return `${DIVERGES} ${o.divergences} step${o.divergences === 1 ? '' : 's'} where one policy hits and another misses · ${next}`
}

/** policyTitle -- a policy's counters above its grid, and what the step on show did (page in inverse below). */
export function policyTitle(policy: string, c: {hits: number; misses: number; evictions: number; writebacks: number}, last: PlayRecord | null): string {
  const counters = `${policy} · hits ${c.hits} · misses ${c.misses} · evictions ${c.evictions} · write-backs ${c.writebacks}`
  if (last === null) return counters
  const victim = last.victim === null ? '' : `, evicted ${last.victim.pgno}${last.victim.dirty ? ' (written back)' : ''}`
  return `${counters} · step ${last.step}: page ${last.pgno} ${last.hit ? 'hit' : 'miss'}${victim}`
}

/** because -- the policy's reason for its victim, in its own words (src/render/reasons.ts, as replay --steps says it). */
export function because(reason: VictimReason | null): string {
  return reason === null ? '' : `: ${reasonText(reason)}`
}

/** recordText -- what one policy did on one access. */
export function recordText(policy: string, r: PlayRecord): string {
  if (r.hit) return `${policy} hit in frame ${r.frame}`
  if (r.victim === null) return `${policy} miss: into free frame ${r.frame}`
  const written = r.victim.dirty ? 'dirty, written back' : 'clean'
  return `${policy} miss: evicted page ${r.victim.pgno} from frame ${r.victim.frame}, ${written}${because(r.reason)}`
}

/** accessLines -- a step told: one line per policy, marked when the policies disagree. */
export function accessLines(access: SteppedAccess, policies: readonly string[]): string[] {
  const first = access.records[0]
  const head = `${access.divergent ? `${DIVERGES} ` : ''}step ${access.step} · page ${first.pgno}${first.dirty ? ' (dirtied)' : ''}`
  return access.records.map((r, i) => `${head} · ${recordText(policies[i], r)}`)
}

export interface PlayLayout {
  height: number
  /** per policy: its title line plus its grid's rows of cells (the GridView's rows, title included) */
  gridRows: number[]
  narrationRows: number
  helpRows: number
}

/** playLayout -- rows for grids that need `gridNeeds[i]` rows of cells each, under `fixedRows` lines (header, hits...), in a terminal `rows` high. */
export function playLayout(rows: number, gridNeeds: readonly number[], fixedRows: number): PlayLayout {
  const height = Math.max(1, rows - 1)
  let left = Math.max(0, height - fixedRows)
  const take = (n: number) => {
    const got = Math.max(0, Math.min(n, left))
    left -= got
    return got
  }
  const helpRows = take(1)
  let narrationRows = take(2)
  // each policy: its title (the grid's title line) and one row of cells, while they fit
  const gridRows = gridNeeds.map(() => (left >= 2 ? take(2) : 0))
  // then more rows of cells, an equal share each, as needed
  const share = Math.floor(left / Math.max(1, gridNeeds.length) / 2)
  gridNeeds.forEach((need, i) => {
    if (gridRows[i] > 0) gridRows[i] += take(Math.min(Math.max(0, need - 1), share))
  })
  narrationRows += take(left)
  return {height, gridRows, narrationRows, helpRows}
}
