/**
 * reasons -- a policy's reason for its victim (src/pool/policies/reasons.ts), in plain words.
 *
 *   lru    least recently used, last used at step 4
 *   fifo   first in, at step 2
 *   clock  the hand swept from frame 1: cut frame 1 (1→0), frame 2 (2→1); stopped at frame 0 with count 0
 *   lru-k  fewer than 2 accesses (backward 2-distance ∞), the oldest first access of those (time 3)
 *   arc    from T1 because |T1| = 3 > p = 1.5; page 9 was a ghost in B1, so p grew from 0.5 to 1.5
 *   opt    used furthest ahead (next at step 17), or never used again
 *
 * Policy: the words name frames and steps as the policy sees them, never anything the policy
 * does not know; p is shown with at most two decimals (it is real-valued). The phrase holds no
 * "; ", so that a narration (narrate.ts), which joins phrases with "; ", stays readable.
 */
import type {VictimReason} from '../pool/index.js'

/** num -- a real number with at most two decimals: 1.5, 0.67, 2. */
export function num(x: number): string {
  return String(+x.toFixed(2))
}

function frames(list: readonly number[]): string {
  return list.length === 1 ? `frame ${list[0]}` : `frames ${list.join(', ')}`
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')
  return `${n}${suffix}`
}

/** passedPinned -- ", passing pinned frames a, b" or nothing. */
function passedPinned(passed: readonly number[]): string {
  return passed.length === 0 ? '' : `, passing pinned ${frames(passed)}`
}

/** reasonText -- why the policy chose its victim, in one phrase without the policy's name. */
export function reasonText(reason: VictimReason): string {
  switch (reason.policy) {
    case 'lru':
      return `least recently used${reason.lastUsed === undefined ? '' : `, last used at step ${reason.lastUsed}`}${passedPinned(reason.passed)}`
    case 'fifo':
      return `first in${reason.cameIn === undefined ? '' : `, at step ${reason.cameIn}`}, hits aside${passedPinned(reason.passed)}`
    case 'clock': {
      const cut = reason.cut.map((c) => `frame ${c.frame} (${c.from}→${c.to})`).join(', ')
      const turns = reason.turns === 0 ? '' : ` after ${reason.turns} full turn${reason.turns === 1 ? '' : 's'}`
      const passed = reason.passed.length === 0 ? '' : `, passed pinned ${frames(reason.passed)}`
      return `the hand swept from frame ${reason.from}${cut === '' ? '' : `, cut the counts of ${cut}`}${passed}, and stopped at frame ${reason.frame} with count 0${turns}`
    }
    case 'lru-k': {
      const k = reason.k
      if (reason.infinite) {
        const first = reason.history[0]
        return reason.alsoInfinite === 0
          ? `fewer than ${k} accesses (backward ${k}-distance ∞), the only such unpinned frame`
          : `fewer than ${k} accesses (backward ${k}-distance ∞), the oldest first access of those ${reason.alsoInfinite + 1} (time ${first})`
      }
      return `the largest backward ${k}-distance, ${reason.kDistance} (its ${ordinal(k)} most recent access at time ${reason.history[0]}, now ${reason.now})`
    }
    case 'arc': {
      const p = num(reason.p)
      let why: string
      if (reason.chose === 'T1') why = reason.t1 > reason.p ? `|T1| = ${reason.t1} > p = ${p}` : `|T1| = ${reason.t1} = p and the page coming in is a ghost in B2`
      else why = reason.t1 === 0 ? 'T1 is empty' : `|T1| = ${reason.t1} ≤ p = ${p}`
      const fallback = reason.from === reason.chose ? '' : ` (every frame of ${reason.chose} is pinned)`
      let ghost = ''
      if (reason.ghost === 'B1') ghost = `, and a ghost hit in B1 grew p from ${num(reason.pBefore)} to ${p}`
      if (reason.ghost === 'B2') ghost = `, and a ghost hit in B2 shrank p from ${num(reason.pBefore)} to ${p}`
      return `from ${reason.from} because ${why}${fallback}${ghost}`
    }
    case 'opt':
      return reason.nextUse === null ? 'never used again' : `used furthest ahead (next at step ${reason.nextUse})`
  }
}
