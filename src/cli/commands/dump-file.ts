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
import {dumpVerb as verb, type DumpResult, type PageDump, renderDump, renderPages} from '../../verbs/dump.js'
import {byteWindow, isRange, refuseWindowWith} from '../../verbs/ranges.js'
import {hexLayoutOf} from '../../verbs/hex-format.js'
import {stringFlag} from '../../verbs/spec.js'
import {wholeFlag} from '../../verbs/verb.js'
import {formatTitle} from '../../formats/choose.js'
import {renderDecodeReport, type DecodeReport} from '../../verbs/formats.js'
import {openFileFormat} from '../file-format.js'
import {keptPages, layoutOf, openPageStream, readOpenPage, usingPageFile, type PageFileInfo, type PageStream} from '../page-file.js'
import {defineCommand} from '../shell.js'

/** A file's size in pages, as `dump --file F` without a page number reports it; its format and where the page size came from. */
export interface FileSummary extends PageFileInfo {
  kind: 'file'
  /** the detected format's name, or null for a plain page file */
  format: string | null
  /** where the page size came from: the format's header, --pagesize, or the default */
  pagesizeFrom: string
}

export const dumpCommand = defineCommand({
  name: verb.name,
  summary: verb.summary,
  description: `${verb.description} With --file F: page PGNO of any file, read from the disk with no pool open, at the page size its format's header gives (SQLite, Berkeley DB, PostgreSQL), else --pagesize N (default ${DEFAULT_PAGESIZE}).`,
  examples: verb.examples,
  args: verb.args,
  flags: {
    ...verb.flags,
    file: stringFlag({description: 'read the page from this file directly, with no pool open', helpValue: 'FILE'}),
    pagesize: wholeFlag({description: `with --file: the page size in bytes [default: the file format's, else ${DEFAULT_PAGESIZE}]`, min: 1, max: MAX_PAGESIZE}),
  },
  onPool: true,
  label: (parsed) => verb.label(parsed),
  async run(shell, parsed): Promise<DumpResult | DecodeReport | FileSummary | Array<PageDump | DecodeReport>> {
    const {args, flags} = parsed
    const file = flags.file
    if (file === undefined) {
      if (flags.pagesize !== undefined) throw usageError('--pagesize goes with --file; a pool has its own pagesize')
      return verb.run(await shell.pool(), parsed)
    }
    if (flags.diff) throw usageError("--diff compares a pool's page with the file: it needs a pool, not --file")
    if (flags.key !== undefined) throw usageError('--file reads the file directly: --key has no pool to choose')
    // One open for the whole call: the format's detection, the file's size and every page read.
    return usingPageFile(file, async (open) => {
      const choice = await openFileFormat(open, flags.pagesize, 'dump')
      const pagesize = choice.pagesize
      const summary = layoutOf(open, pagesize)
      if (args.pgno === undefined && flags.page === undefined) {
        if (flags.decode) throw usageError('--decode shows one page: give a page number, e.g. mpool dump 1 --file F --decode')
        return {kind: 'file', ...summary, format: choice.format?.format ?? null, pagesizeFrom: choice.source} satisfies FileSummary
      }
      const {chosenPages, decodeReport, needFormat} = await import('../../verbs/formats.js')
      if (flags.decode) refuseWindowWith(flags, '--decode')
      const window = byteWindow(flags, pagesize)
      const decoder = flags.decode ? await needFormat(choice.format, file, '--decode') : null
      const pgnos = chosenPages(args.pgno, flags.page, choice.format, summary, file)
      // `stream`: the file's pages for the decodes, one stream for the whole call, each page read once
      const dumpAll = (stream: PageStream | null): PageDump | DecodeReport | Array<PageDump | DecodeReport> => {
        const one = (pgno: number): PageDump | DecodeReport => {
          const bytes = readOpenPage(open, pagesize, pgno)
          const page: PageDump = {kind: 'page', ...pageResult(pgno, bytes, null, choice.format, window)}
          const read = `read ${pagesize} bytes at offset ${page.offset} from ${file}`
          shell.explainWithoutPool(`dump ${pgno}: ${read}; no pool involved`, [read])
          if (decoder === null || stream === null) return page
          return decodeReport(decoder.info, decoder.format, page, bytes, stream.read, stream.info.npages)
        }
        return isRange(args.pgno) ? pgnos.map(one) : one(pgnos[0]!)
      }
      return decoder === null ? dumpAll(null) : openPageStream(open, pagesize, (stream) => dumpAll(keptPages(stream)))
    })
  },
  render(result, options) {
    if (!Array.isArray(result) && result.kind === 'file') {
      const r = result
      const format = r.format === null ? '' : `, a ${formatTitle(r.format)} file`
      return `${r.file}: ${r.size} bytes${format}, ${r.npages} page${r.npages === 1 ? '' : 's'} of ${r.pagesize} bytes${r.pagesizeFrom === '--pagesize' ? '' : ` (pagesize from ${r.pagesizeFrom})`}${r.trailing > 0 ? ` and ${r.trailing} trailing bytes` : ''}; give a page number to see one`
    }
    if (options.flags.file === undefined) return verb.render(result as DumpResult | DecodeReport, options)
    const where = `read from ${options.flags.file}, no pool`
    const layout = hexLayoutOf(options.flags)
    return renderPages(result as PageDump | DecodeReport, (r) => (r.kind === 'decoded' ? renderDecodeReport(r, options.color, {where, layout}) : renderDump(r, options.color, {where, layout})))
  },
})
