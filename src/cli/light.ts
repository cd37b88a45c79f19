/**
 * light -- the shell's entry for a verb line, with no command framework loaded.
 *
 * bin/run.js hands every command line here first. A line naming a command of SHELL_COMMANDS
 * is parsed and run from its plain definition (shell.ts) and this resolves true; anything
 * else -- help (`-h`, `--help`, `mpool help`), `-v` and `version`, completion, the commands
 * still written for oclif (repl, replay, trace gen), an unknown command -- resolves false, having
 * done nothing, and bin/run.js then loads oclif for it.
 *
 * Why: loading @oclif/core costs more than a bare `node -e 0`, and shells run verbs in loops.
 */
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

/** runLight -- run `argv` (the words after `mpool`) if it is a light command line; else false. */
export async function runLight(argv: readonly string[]): Promise<boolean> {
  const [name, ...rest] = argv
  if (name === undefined || !Object.hasOwn(SHELL_COMMANDS, name) || asksForHelp(rest)) return false
  await runShellCommand(await SHELL_COMMANDS[name](), rest)
  return true
}
