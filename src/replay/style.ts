/*
 * style -- the colours of the replay report: one per policy, so a policy has the same colour
 * in the table's header and in the chart's bars.
 *
 * Policy: colour is decided once by the command (src/cli/output.ts: a TTY, FORCE_COLOR,
 * NO_COLOR) and handed in as a ReplayStyle, or null for plain text; the renderers never look at
 * the terminal. chalk is imported only when a style is made.
 */
import type {PolicyName} from '../pool/index.js'

type Paint = (text: string) => string

/** A series of the report: a policy, or Belady's OPT. */
export type Series = PolicyName | 'opt'

export interface ReplayStyle {
  /** each series' colour */
  series: Record<Series, Paint>
  /** headings */
  heading: Paint
  /** the best hit ratio of a row among the real policies */
  best: Paint
  /** scales and notes */
  dim: Paint
}

/** loadStyle -- the report's colours at chalk's colour `level`, or null (plain) for level 0. */
export async function loadStyle(level: number): Promise<ReplayStyle | null> {
  if (level <= 0) return null
  const {Chalk} = await import('chalk')
  const c = new Chalk({level: Math.min(3, level) as 1 | 2 | 3})
  return {
    series: {lru: c.blue, clock: c.yellow, 'lru-k': c.magenta, arc: c.green, opt: c.gray},
    heading: c.bold,
    best: c.bold,
    dim: c.gray,
  }
}
