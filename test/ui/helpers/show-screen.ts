/**
 * show-screen -- run `mpool ARGS` in a real pseudo-terminal, type keys, wait for text, and
 * print the screen as text: how the README's REPL screens are made (README, "The REPL").
 *
 *   node --import tsx test/ui/helpers/show-screen.ts [--cols N] [--rows N] [--in DIR] \
 *     [--type KEYS | --wait TEXT]... -- repl demo.db --maxcache 4
 *
 * The command runs in DIR (default: here). The steps run in the order given: --type sends KEYS (with \r for Enter, \e for Esc, \t for
 * Tab), --wait waits until the screen shows TEXT. The screen is printed when the last step is
 * done, rows trimmed and trailing blank rows dropped; then the program is ended with Ctrl-C.
 * Colour is off (NO_COLOR), so the text is what a reader sees without it. The same PtyScreen
 * runs the pty tests.
 */
import {PtyScreen} from './screen.js'

interface Step {
  kind: 'type' | 'wait'
  text: string
}

function unescape(text: string): string {
  return text.replace(/\\([rnte\\])/g, (_, c: string) => ({r: '\r', n: '\n', t: '\t', e: '\u001B', '\\': '\\'})[c] ?? c)
}

function parse(argv: string[]): {cols: number; rows: number; dir: string; steps: Step[]; args: string[]} {
  const out = {cols: 100, rows: 30, dir: process.cwd(), steps: [] as Step[], args: [] as string[]}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--') {
      out.args = argv.slice(i + 1)
      break
    }
    const value = argv[++i]
    if (value === undefined) throw new Error(`${a} needs a value`)
    if (a === '--cols') out.cols = Number(value)
    else if (a === '--rows') out.rows = Number(value)
    else if (a === '--in') out.dir = value
    else if (a === '--type') out.steps.push({kind: 'type', text: unescape(value)})
    else if (a === '--wait') out.steps.push({kind: 'wait', text: value})
    else throw new Error(`unknown option ${a}; see the header of show-screen.ts`)
  }
  if (out.args.length === 0) throw new Error('give the mpool command after --, e.g. -- repl demo.db')
  return out
}

const {cols, rows, dir, steps, args} = parse(process.argv.slice(2))
const screen = new PtyScreen(args, {cols, rows, cwd: dir, env: {NO_COLOR: '1'}})
try {
  for (const step of steps) {
    if (step.kind === 'type') screen.type(step.text)
    else await screen.waitForText(step.text, 20_000)
  }
  const lines = screen.lines()
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop()
  process.stdout.write(`${lines.join('\n')}\n`)
  screen.type('\u0003')
  await screen.exited
} finally {
  await screen.kill()
}
