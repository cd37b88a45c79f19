/*
 * mpool dump -- the dump verb (src/verbs/dump.ts), plus --file: a page of any file, no pool.
 *
 * `dump PGNO --file F --pagesize N` is a one-shot people run in loops, so it takes nothing it
 * does not need: no session layer, no socket, no chalk unless stdout is a terminal.
 */
import {Flags} from '@oclif/core'
import {PoolCommand} from '../cli/base.js'
import {usageError} from '../common/exit-status.js'
import {pageFileInfo, readPageFile} from '../cli/page-file.js'
import {MAX_PAGESIZE} from '../pool/index.js'
import {dumpVerb as verb, type PageDump, renderDump} from '../verbs/dump.js'
import {wholeFlag} from '../verbs/verb.js'

export default class Dump extends PoolCommand {
  static override args = verb.args
  static override description = `${verb.description} With --file F (and --pagesize N, default 4096): page PGNO of any file, read from the disk with no pool open.`
  static override examples = verb.examples
  static override flags = {
    ...verb.flags,
    file: Flags.string({description: 'read the page from this file directly, with no pool open', helpValue: 'FILE'}),
    pagesize: wholeFlag({name: 'pagesize', description: 'with --file: the page size in bytes [default: 4096]', min: 1, max: MAX_PAGESIZE}),
  }
  static override summary = verb.summary

  async run() {
    const {args, flags} = await this.parse(Dump)
    if (flags.file === undefined) {
      if (flags.pagesize !== undefined) throw usageError('--pagesize goes with --file; a pool has its own pagesize')
      return this.runVerb(verb)
    }
    if (flags.diff) throw usageError('--diff compares a pool\'s page with the file: it needs a pool, not --file')
    if (flags.key !== undefined) throw usageError('--file reads the file directly: --key has no pool to choose')
    const pagesize = flags.pagesize ?? 4096
    if (args.pgno === undefined) {
      const info = pageFileInfo(flags.file, pagesize)
      this.say(`${flags.file}: ${info.size} bytes, ${info.npages} page${info.npages === 1 ? '' : 's'} of ${pagesize} bytes${info.trailing > 0 ? ` and ${info.trailing} trailing bytes` : ''}; give a page number to see one`)
      return info
    }
    const {bytes} = readPageFile(flags.file, pagesize, args.pgno)
    const offset = args.pgno * pagesize
    const page: PageDump = {kind: 'page', pgno: args.pgno, offset, pagesize, cached: false, frame: -1, pins: 0, dirty: false, hex: bytes.toString('hex')}
    if (!this.jsonEnabled()) this.say(renderDump(page, await this.color(), `read from ${flags.file}, no pool`))
    if (flags.explain) this.say(`dump ${args.pgno}: read ${pagesize} bytes at offset ${offset} from ${flags.file}; no pool involved`)
    return flags.explain ? {...page, explain: [`read ${pagesize} bytes at offset ${offset} from ${flags.file}`]} : page
  }
}
