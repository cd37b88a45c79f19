/**
 * script -- the REPL with stdin not a terminal: `mpool repl data.db < script.txt`.
 *
 * Policy, in a sentence each:
 *  - Ink and React are never loaded: the lines go, in order, through the same dispatcher the
 *    screen uses, and each verb's text is printed plain, exactly as the shell prints it.
 *  - Blank lines and `#` comments are skipped; `quit` ends the script early.
 *  - `close` ends the pool, as it ends the screen: a verb line after it fails as "pool gone"
 *    (exit 3) and stops the script, even with keepGoing, since no later line could run.
 *  - The first failing line stops the script: its error goes to stderr as one line prefixed
 *    with its line number, and the exit status is the shell's status for that error. With
 *    keepGoing every line is run and the status is that of the first failure.
 *  - Output `json` (`mpool repl --json`) prints one JSON document per line for jq: each verb's
 *    --json result, or `{"line": N, "error": {code, exit, message}}` for a line that failed (its
 *    one line still goes to stderr too), or `{"help": TEXT}`. Output `quiet` (`--quiet`) prints
 *    no results at all, only errors. Neither renders the hex view: a script that does not read
 *    it does not pay for it.
 * One pool serves the whole script, so a long script costs one open, not one process a line,
 * and results go out in blocks (batched-writer.ts), flushed before each error and whenever the
 * script waits for input, so a program that waits for each answer still gets it.
 * While the reader of the results is behind (stdout full), no line is read or run: the script
 * waits for the drain, so its memory stays bounded however slow the reader is.
 */
import readline from 'node:readline'
import {describeError, EXIT} from '../common/exit-status.js'
import type {PoolHandle} from '../session/handle.js'
import {BatchedWriter} from './batched-writer.js'
import {createDispatcher} from './dispatch.js'

export interface ScriptOptions {
  /** run every line even after a failure */
  keepGoing: boolean
  /** what to print of each result: the shell's text (default), one JSON document a line, or nothing */
  output?: 'text' | 'json' | 'quiet'
  /** where results go (stdout): false when it is full, and the script waits for `drained` */
  out: (text: string) => unknown
  /** resolves once `out` takes more again (stdout's 'drain'); without it the script never waits */
  drained?: () => Promise<void>
  /** where errors go (stderr) */
  err: (text: string) => void
}

export interface ScriptReport {
  /** lines read, skipped ones included */
  lines: number
  /** lines that failed */
  failed: number
  /** 0, or the shell's exit status for the first failure */
  exit: number
  /** the script ran `close`: the pool is gone */
  closed: boolean
}

/** afterClose -- the error of a verb line after the script's `close` (on line closedOn). */
function afterClose(closedOn: number): {code: string; message: string; exit: number} {
  return {code: 'ECLOSED', message: `the pool was closed on line ${closedOn}: close ends the pool, so no line after it can run`, exit: EXIT.noPool}
}

/** runScript -- run every line of `input` on `pool`; resolves to what happened (it never throws for a bad line). */
export async function runScript(pool: PoolHandle, input: NodeJS.ReadableStream, options: ScriptOptions): Promise<ScriptReport> {
  const output = options.output ?? 'text'
  const dispatcher = createDispatcher(pool, {color: null, format: output === 'json' ? 'json-lines' : output === 'quiet' ? 'none' : 'text'})
  const report: ScriptReport = {lines: 0, failed: 0, exit: 0, closed: false}
  const out = new BatchedWriter(options.out, undefined, options.drained)
  const lines = readline.createInterface({input, crlfDelay: Infinity, terminal: false})
  let closedOn = 0
  try {
    for await (const line of lines) {
      if (out.blocked) await out.unblocked() // the reader is behind: run nothing more until it catches up
      report.lines++
      try {
        const outcome = await dispatcher.run(line)
        if (outcome.kind === 'quit') break
        if (outcome.kind === 'help' && output !== 'quiet') out.write(output === 'json' ? `${JSON.stringify({help: outcome.text})}\n` : `${outcome.text}\n`)
        if (outcome.kind === 'verb') {
          if (outcome.text !== '') out.write(outcome.text.endsWith('\n') ? outcome.text : `${outcome.text}\n`)
          if (outcome.closed !== null) {
            report.closed = true
            closedOn = report.lines
          }
        }
      } catch (err) {
        // After close a line that parses can only fail for want of a pool: say so, not how the closed handle refused.
        const gone = closedOn > 0 && describeError(err).exit !== EXIT.usage
        const described = gone ? afterClose(closedOn) : describeError(err)
        if (output === 'json') out.write(`${JSON.stringify({line: report.lines, error: {code: described.code, exit: described.exit, message: described.message}})}\n`)
        out.flush()
        options.err(`line ${report.lines}: ${described.message}\n`)
        report.failed++
        if (report.exit === 0) report.exit = described.exit
        if (!options.keepGoing || gone) break
      }
    }
  } finally {
    out.flush()
    lines.close()
  }
  await out.unblocked() // every result handed on before the pool closes and the process ends
  return report
}
