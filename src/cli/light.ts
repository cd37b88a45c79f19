/**
 * light -- the shell's entry for a verb line, with no command framework loaded.
 *
 * bin/run.js hands every command line here first. A line naming a command of SHELL_COMMANDS
 * is parsed and run from its plain definition (shell.ts) and this resolves true; so is its
 * `-h`/`--help` into a pipe, printed from dist/cli/help.json, the text oclif's help plugin
 * rendered for it at build time (scripts/bundle-light.mjs) for the 80 columns and no colour it
 * uses off a terminal. Anything else -- help on a terminal (its width, its colours), `mpool
 * help`, `-v` and `version`, completion, the commands still written for oclif (repl, replay,
 * trace gen), an unknown command -- resolves false, having done nothing, and bin/run.js then
 * loads oclif for it.
 *
 * Why: loading @oclif/core costs more than a bare `node -e 0`, and shells run verbs in loops.
 */
import fs from 'node:fs'
import {SHELL_COMMANDS} from './commands/index.js'
import {runShellCommand} from './shell.js'

/** asksForHelp -- the words ask for help (before any `--`): oclif answers that. */
function asksForHelp(argv: readonly string[]): boolean {
  for (const word of argv) {
    if (word === '--') return false
    if (word === '-h' || word === '--help') return true
  }
  return false
}

/** builtHelp -- oclif's help text of `name` as rendered at build time into `helpFile`, when it is what oclif would print now; else null. */
function builtHelp(name: string, helpFile: string | URL | undefined): string | null {
  if (helpFile === undefined || process.stdout.isTTY === true || process.env.OCLIF_COLUMNS !== undefined) return null
  try {
    const texts = JSON.parse(fs.readFileSync(helpFile, 'utf8')) as Record<string, string>
    return Object.hasOwn(texts, name) ? texts[name] : null
  } catch {
    return null // not built: oclif renders it
  }
}

/**
 * runLight -- run `argv` (the words after `mpool`) if it is a light command line; else false.
 * `helpFile` is dist/cli/help.json (bin/run.js knows where dist is).
 */
export async function runLight(argv: readonly string[], options: {helpFile?: string | URL} = {}): Promise<boolean> {
  const [name, ...rest] = argv
  if (name === undefined || !Object.hasOwn(SHELL_COMMANDS, name)) return false
  if (asksForHelp(rest)) {
    const text = builtHelp(name, options.helpFile)
    if (text === null) return false
    process.stdout.write(text)
    return true
  }
  await runShellCommand(await SHELL_COMMANDS[name](), rest)
  return true
}
