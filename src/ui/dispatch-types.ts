/**
 * dispatch-types -- what running one REPL line can come to, shared by the Ink app and the
 * plain script runner (which must not load Ink or React).
 */
import type {CloseReport, PoolEvent} from '../pool/index.js'
import type {Completions} from './prompt-state.js'

export type LineOutcome =
  /** a blank line or a `#` comment */
  | {kind: 'skip'}
  | {kind: 'quit'}
  | {kind: 'help'; text: string}
  | {
      kind: 'verb'
      verb: string
      /** how the call is named in narration, e.g. `get 7` */
      label: string
      /** the text the shell prints for it */
      text: string
      events: PoolEvent[]
      /** the page the verb was about, when it names one (get N, dump N, new) */
      pgno: number | null
      /** set by `close`: what the pool dropped */
      closed: CloseReport | null
    }

export interface Dispatcher {
  /** run -- one line: a verb, `help` or `quit`; throws the verb's error */
  run(line: string): Promise<LineOutcome>
  /** what Tab completes */
  completions: Completions
}
