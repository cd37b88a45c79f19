/**
 * completion-hook -- oclif's postrun hook: after `mpool autocomplete` has written its completion
 * functions (@oclif/plugin-autocomplete: commands and flags), teach them the keys of the open
 * pools, so that `mpool get 3 --key <TAB>` offers them.
 *
 * The plugin knows flags, not what a flag's value can be: it completes every --key with file
 * names. So, each time it writes its scripts (`mpool autocomplete [SHELL]` and `--refresh-cache`
 * write both), this adds to them:
 *  - bash (functions/bash/BIN.bash): a completion function, registered in place of the plugin's,
 *    that answers the word after `--key` (`--key K<TAB>`, or `--key=K<TAB>` once a letter is
 *    typed) with `BIN ls --keys` and hands every other word to the plugin's function;
 *  - zsh (functions/zsh/_BIN): every `--key` flag's value is completed by a function calling
 *    `BIN ls --keys`, where the plugin put `_files`.
 * The keys are asked for at the moment of the Tab, so they are the pools open then. `ls --keys`
 * is a light verb (about 1.3x `node -e 0`), so a Tab costs what any verb does. Adding twice
 * changes nothing: each addition is skipped when the script already has it.
 */
import type {Hook} from '@oclif/core'
import fs from 'node:fs'
import path from 'node:path'
import {writeFileAtomic} from '../common/atomic-write.js'

/** The line that marks a script as already taught. */
const MARK = '# mpool: --key completes the keys of the open pools'

/** The commands after which the plugin's scripts are fresh. */
const WRITERS = new Set(['autocomplete', 'autocomplete:create'])

/** bashAddition -- a function answering `--key` with the pools' keys, else the plugin's function; registered for `bin`. */
export function bashAddition(bin: string): string {
  const fn = `_${bin}_autocomplete`
  return `
${MARK}
${fn}_keys()
{
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" IFS=$'\\n'
  if [[ "$prev" == "=" && "\${COMP_WORDS[COMP_CWORD-2]}" == "--key" ]]; then prev="--key"; fi
  if [[ "$prev" == "--key" ]]; then
    COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" ls --keys 2>/dev/null)" -- "$cur"))
    return
  fi
  ${fn}
}
complete -F ${fn}_keys ${bin}
`
}

/** zshAddition -- the plugin's zsh function with each --key completed by the pools' keys. */
export function zshAddition(script: string, bin: string): string {
  const keys = `_${bin}_pool_keys`
  const taught = script.replace(/^(--key"\[[^\]\n]*\]):file:_files"/gm, `$1:key:${keys}"`)
  const definition = `${MARK}\n${keys}() {\n  local -a keys\n  keys=(\${(f)"$(${bin} ls --keys 2>/dev/null)"})\n  compadd -a keys\n}\n`
  // `BIN` by name: inside a subcommand's arguments zsh's $words no longer starts with it. The
  // file ends by calling the plugin's function (`_BIN`): the definition goes before that call.
  const call = new RegExp(`^_${bin}\\s*$`, 'm')
  return call.test(taught) ? taught.replace(call, `${definition}\n_${bin}`) : `${taught}\n${definition}`
}

/**
 * teach -- add `addition(script)` to the script at `file`, if it is there and not taught yet;
 * null when done (or nothing to do), else why it could not be. The script is replaced whole or
 * not at all: a failed write leaves the plugin's script as it was and no temporary file.
 */
function teach(file: string, addition: (script: string) => string): string | null {
  let script: string
  try {
    script = fs.readFileSync(file, 'utf8')
  } catch {
    return null // the plugin wrote no script for this shell
  }
  if (script.includes(MARK)) return null
  try {
    writeFileAtomic(file, addition(script))
    return null
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err)
  }
}

const hook: Hook<'postrun'> = async function (options) {
  if (!WRITERS.has(options.Command.id)) return
  const bin = options.config.bin
  const functions = path.join(options.config.cacheDir, 'autocomplete', 'functions')
  const scripts: Array<[string, (script: string) => string]> = [
    [path.join(functions, 'bash', `${bin}.bash`), (script) => `${script}${bashAddition(bin)}`],
    [path.join(functions, 'zsh', `_${bin}`), (script) => zshAddition(script, bin)],
  ]
  for (const [file, addition] of scripts) {
    const failed = teach(file, addition)
    // The plugin's own script still works: --key then completes file names, so this is a warning.
    if (failed !== null) this.warn(`could not add the open pools' keys to ${file} (${failed}); --key will complete file names there`)
  }
}

export default hook
