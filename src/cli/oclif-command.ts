/**
 * oclif-command -- oclif's view of a shell command: its class, made from the plain definition.
 *
 * oclif serves what the light entry leaves to it: `mpool help`, `-h`, the README's command
 * reference (`oclif readme`), the manifest, completion and plugins. Each file in src/commands
 * is one line, `export default commandFor(someCommand)`, so what help shows is what runs.
 * When oclif runs such a class itself (bin/dev.js), run() hands the words to the same
 * runShellCommand the light entry uses: one parser, one set of messages.
 */
import {Args, Command, Flags, type Interfaces} from '@oclif/core'
import type {ArgSpecs, FlagSpec, FlagSpecs} from '../verbs/spec.js'
import {POOL_FLAGS, runShellCommand, type AnyShellCommand} from './shell.js'

/** oclifFlag -- one flag spec as an oclif flag (same description, value name, default, rules). */
export function oclifFlag(name: string, spec: FlagSpec): Interfaces.Flag<unknown> {
  const common = {
    description: spec.description,
    ...(spec.exclusive === undefined ? {} : {exclusive: [...spec.exclusive]}),
  }
  if (spec.type === 'boolean') return Flags.boolean({...common, default: false})
  const valued = {...common, helpValue: spec.helpValue ?? 'VALUE', ...(spec.options === undefined ? {} : {options: [...spec.options]})}
  const parse = spec.parse
  if (parse === undefined) return Flags.string(valued) as Interfaces.Flag<unknown>
  return Flags.custom<unknown>({...valued, parse: async (input: string) => parse(input, `--${name}`), ...(spec.default === undefined ? {} : {default: spec.default})})() as Interfaces.Flag<unknown>
}

/** oclifFlags -- every flag spec of a table as oclif flags. */
export function oclifFlags(specs: FlagSpecs): Interfaces.FlagInput {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, oclifFlag(name, spec)])) as Interfaces.FlagInput
}

/** oclifArgs -- positional argument specs as oclif args (ignoreStdin: a piped script is never an argument). */
export function oclifArgs(specs: ArgSpecs): Interfaces.ArgInput {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => {
      const parse = spec.parse
      const options = {description: spec.description, required: spec.required === true, ignoreStdin: true}
      return [name, parse === undefined ? Args.string(options) : Args.custom<unknown>({...options, parse: async (input: string) => parse(input, spec.what ?? name.toUpperCase())})()]
    }),
  ) as Interfaces.ArgInput
}

/** commandFor -- the oclif command class of a shell command. */
export function commandFor(command: AnyShellCommand): typeof Command {
  return class extends Command {
    static override args = oclifArgs(command.args)
    static override baseFlags = command.onPool ? oclifFlags(POOL_FLAGS) : {}
    static override description = command.description
    static override enableJsonFlag = true
    static override examples = command.examples
    static override flags = oclifFlags(command.flags)
    static override summary = command.summary

    async run(): Promise<void> {
      await runShellCommand(command, this.argv)
    }
  }
}
