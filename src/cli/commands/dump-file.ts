/**
 * dump-file -- the shell's `dump`: the dump verb (src/verbs/dump.ts), plus --file, a page of
 * any file read straight from the disk with no pool open (a SQLite database, a pool's file
 * while nobody has it open).
 *
 * Policy: with --file nothing but the file is touched (no session layer, no socket); --diff
 * and --key need a pool, so with --file they are usage errors, as --pagesize is without it (a
 * pool has its own pagesize). Without a page number, --file says how many pages the file has.
 */
import {usageError} from '../../common/exit-status.js'
import {DEFAULT_PAGESIZE, MAX_PAGESIZE} from '../../pool/index.js'
import {pageResult} from '../../render/page.js'
import {dumpVerb as verb, type DumpResult, type PageDump, renderDump} from '../../verbs/dump.js'
import {hexLayoutOf} from '../../verbs/hex-format.js'
import {stringFlag} from '../../verbs/spec.js'
import {wholeFlag} from '../../verbs/verb.js'
import {pageFileInfo, readPageFile, type PageFileInfo} from '../page-file.js'
import {defineCommand} from '../shell.js'

/** A file's size in pages, as `dump --file F` without a page number reports it. */
export interface FileSummary extends PageFileInfo {
  kind: 'file'
}

export const dumpCommand = defineCommand({
  name: verb.name,
  summary: verb.summary,
  description: `${verb.description} With --file F (and --pagesize N, default ${DEFAULT_PAGESIZE}): page PGNO of any file, read from the disk with no pool open.`,
  examples: verb.examples,
  args: verb.args,
  flags: {
    ...verb.flags,
    file: stringFlag({description: 'read the page from this file directly, with no pool open', helpValue: 'FILE'}),
    pagesize: wholeFlag({description: `with --file: the page size in bytes [default: ${DEFAULT_PAGESIZE}]`, min: 1, max: MAX_PAGESIZE}),
  },
  onPool: true,
  label: (parsed) => verb.label(parsed),
  async run(shell, parsed): Promise<DumpResult | FileSummary> {
    const {args, flags} = parsed
    const file = flags.file
    if (file === undefined) {
      if (flags.pagesize !== undefined) throw usageError('--pagesize goes with --file; a pool has its own pagesize')
      return verb.run(await shell.pool(), parsed)
    }
    if (flags.diff) throw usageError("--diff compares a pool's page with the file: it needs a pool, not --file")
    if (flags.key !== undefined) throw usageError('--file reads the file directly: --key has no pool to choose')
    const pagesize = flags.pagesize ?? DEFAULT_PAGESIZE
    if (args.pgno === undefined) return {kind: 'file', ...pageFileInfo(file, pagesize)}
    const {bytes} = readPageFile(file, pagesize, args.pgno)
    const page: PageDump = {kind: 'page', ...pageResult(args.pgno, bytes, null)}
    const read = `read ${pagesize} bytes at offset ${page.offset} from ${file}`
    shell.explainWithoutPool(`dump ${args.pgno}: ${read}; no pool involved`, [read])
    return page
  },
  render(result, options) {
    if (result.kind === 'file') {
      const r = result
      return `${r.file}: ${r.size} bytes, ${r.npages} page${r.npages === 1 ? '' : 's'} of ${r.pagesize} bytes${r.trailing > 0 ? ` and ${r.trailing} trailing bytes` : ''}; give a page number to see one`
    }
    return options.flags.file === undefined ? verb.render(result, options) : renderDump(result, options.color, {where: `read from ${options.flags.file}, no pool`, layout: hexLayoutOf(options.flags)})
  },
})
