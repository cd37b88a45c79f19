/**
 * get-raw -- the shell's `get`: the get verb (src/verbs/get.ts), plus --raw, the page's exact
 * bytes on stdout for a pipe (`mpool get 3 --raw | sha256sum`).
 *
 * Policy: --raw and --json both want stdout, so together they are a usage error; with --raw,
 * --explain's narration goes to stderr.
 */
import {usageError} from '../../common/exit-status.js'
import type {PageResult} from '../../render/page.js'
import type {DecodeReport} from '../../verbs/formats.js'
import {getVerb as verb} from '../../verbs/get.js'
import {booleanFlag} from '../../verbs/spec.js'
import {defineCommand} from '../shell.js'

export const getCommand = defineCommand({
  name: verb.name,
  summary: verb.summary,
  description: `${verb.description} With --raw, writes the page's exact bytes to stdout instead (no header, no newline): of a range, its pages one after another, each pinned as get pins it; with --offset/--length, just those bytes.`,
  examples: verb.examples,
  args: verb.args,
  flags: {
    ...verb.flags,
    raw: booleanFlag({description: "write the page's exact bytes to stdout (no header, no newline)"}),
  },
  onPool: true,
  label: (parsed) => verb.label(parsed),
  async run(shell, parsed): Promise<PageResult | DecodeReport | Array<PageResult | DecodeReport>> {
    if (parsed.flags.raw && shell.json) throw usageError('--raw and --json both want stdout: choose one')
    if (parsed.flags.raw && parsed.flags.decode) throw usageError('--raw writes the bytes as they are and --decode says what they mean: choose one')
    return verb.run(await shell.pool(), parsed)
  },
  render(result, options) {
    if (!options.flags.raw) return verb.render(result, options)
    // a range's pages one after another; a window's bytes only (the page's hex holds just those)
    const pages = (Array.isArray(result) ? result : [result]).filter((r): r is PageResult => 'hex' in r)
    process.stdout.write(Buffer.concat(pages.map((r) => Buffer.from(r.hex, 'hex'))))
    return null
  },
})
