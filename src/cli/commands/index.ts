/**
 * commands -- every shell command the light entry runs, by name, each loaded only when named.
 *
 * A verb of src/verbs becomes its command through verbCommand; get and dump add shell-only
 * flags (get-raw.ts, dump-file.ts); open and ls are the shell's own. oclif's classes in
 * src/commands are made from these same records, so help and completion show exactly what runs.
 * To add a command: define it (defineCommand, in a file of its own here), add its loader below,
 * and add its one-line oclif file in src/commands (`export default commandFor(...)`).
 */
import type {AnyShellCommand} from '../shell.js'

/** Each command's loader: importing one command never loads another's modules. */
export const SHELL_COMMANDS: Readonly<Record<string, () => Promise<AnyShellCommand>>> = Object.freeze({
  open: async () => (await import('./open.js')).openCommand,
  ls: async () => (await import('./ls.js')).lsCommand,
  new: async () => (await import('./verb-commands.js')).newCommand,
  get: async () => (await import('./get-raw.js')).getCommand,
  put: async () => (await import('./verb-commands.js')).putCommand,
  delete: async () => (await import('./verb-commands.js')).deleteCommand,
  sync: async () => (await import('./verb-commands.js')).syncCommand,
  stats: async () => (await import('./verb-commands.js')).statsCommand,
  dump: async () => (await import('./dump-file.js')).dumpCommand,
  map: async () => (await import('./map-file.js')).mapCommand,
  close: async () => (await import('./verb-commands.js')).closeCommand,
})
