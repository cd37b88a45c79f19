/**
 * light -- the shell's entry for a verb line, with no command framework loaded.
 *
 * bin/run.js hands every command line here first. A line naming a command of SHELL_COMMANDS
 * is parsed and run from its plain definition (shell.ts) and this resolves true; so is its
 * `-h`/`--help` when oclif printed that help before under the same conditions (width, colour,
 * theme, build: help-cache.ts), printed again from the text oclif's help class saved (help.ts;
 * the build seeds it for help into a pipe). Anything else -- help under new conditions, `mpool
 * help`, `-v` and `version`, completion, the commands still written for oclif (repl, replay,
 * trace gen), an unknown command -- resolves false, having done nothing, and bin/run.js then
 * loads oclif for it.
 *
 * Why: loading @oclif/core costs more than a bare `node -e 0`, and shells run verbs in loops.
 */
import {SHELL_COMMANDS} from './commands/index.js'
import {cachedHelp, helpKey} from './help-cache.js'
import {runShellCommand} from './shell.js'

/** asksForHelp -- the words ask for help (before any `--`): oclif answers that. */
function asksForHelp(argv: readonly string[]): boolean {
  for (const word of argv) {
    if (word === '--') return false
    if (word === '-h' || word === '--help') return true
  }
  return false
}

/** cachedHelpOf -- oclif's help text of `name` as it printed it before under the same conditions (help-cache.ts); else null. */
function cachedHelpOf(name: string, root: string | undefined): string | null {
  if (root === undefined) return null
  try {
    return cachedHelp(root, helpKey(root, name))
  } catch {
    return null // no oclif installed where it should be: oclif's own path says so
  }
}

/**
 * runLight -- run `argv` (the words after `mpool`) if it is a light command line; else false.
 * `root` is the package's folder (bin/run.js knows it), where the help cache is looked for.
 */
export async function runLight(argv: readonly string[], options: {root?: string} = {}): Promise<boolean> {
  const [name, ...rest] = argv
  if (name === undefined || !Object.hasOwn(SHELL_COMMANDS, name)) return false
  if (asksForHelp(rest)) {
    const text = cachedHelpOf(name, options.root)
    if (text === null) return false
    process.stdout.write(text)
    return true
  }
  await runShellCommand(await SHELL_COMMANDS[name](), rest)
  return true
}
