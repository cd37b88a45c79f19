/*
 * fast-dump -- `mpool dump PGNO --file F [--pagesize N]` without loading the command framework.
 *
 * People run this one-shot in loops (`for p in $(seq 0 9); do mpool dump $p --file x.db; done`),
 * and loading oclif alone costs twice a bare `node -e 0`. bin/run.js hands `dump` command lines
 * here first.
 *
 * Policy: only the plain success case is taken here. Any other flag (--json, --explain, --diff,
 * --key, --help ...), anything that does not parse, and any error at all returns false before a
 * byte is written, and bin/run.js then runs the line through oclif, where the dump command
 * parses it with its own definitions and reports errors as every command does. The text printed
 * is the dump command's own (renderDump), so both paths print the same bytes.
 */
import {MAX_PGNO, MAX_PAGESIZE} from '../pool/index.js'
import {renderDump, type PageDump} from '../render/dump.js'
import {parseWhole} from '../common/numbers.js'
import {paletteFor, quietEpipe, writeOut} from './output.js'
import {readPageFile} from './page-file.js'

/** The command line after `dump`, if it is exactly PGNO, --file F and maybe --pagesize N; else null. */
function parse(argv: readonly string[]): {pgno: number; file: string; pagesize: number} | null {
  let pgno: number | undefined
  let file: string | undefined
  let pagesize: number | undefined
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]
    const eq = word.indexOf('=')
    const [name, inline] = word.startsWith('--') && eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, undefined]
    if (name === '--file' || name === '--pagesize') {
      const value = inline ?? argv[++i]
      if (value === undefined || value.startsWith('-')) return null
      if (name === '--file') {
        if (file !== undefined) return null
        file = value
      } else {
        if (pagesize !== undefined) return null
        pagesize = parseWhole(value, '--pagesize', 1, MAX_PAGESIZE)
      }
    } else if (word.startsWith('-') || pgno !== undefined) {
      return null
    } else {
      pgno = parseWhole(word, 'the page number', 0, MAX_PGNO)
    }
  }
  if (pgno === undefined || file === undefined) return null
  return {pgno, file, pagesize: pagesize ?? 4096}
}

/**
 * fastDump -- print page PGNO of --file as `mpool dump` does and resolve true; or resolve false,
 * having printed nothing, for anything but the plain success case.
 */
export async function fastDump(argv: readonly string[]): Promise<boolean> {
  try {
    const line = parse(argv)
    if (line === null) return false
    const {bytes} = readPageFile(line.file, line.pagesize, line.pgno)
    const offset = line.pgno * line.pagesize
    const page: PageDump = {kind: 'page', pgno: line.pgno, offset, pagesize: line.pagesize, cached: false, frame: -1, pins: 0, dirty: false, hex: bytes.toString('hex')}
    const text = renderDump(page, await paletteFor(process.stdout), `read from ${line.file}, no pool`)
    quietEpipe()
    writeOut(text)
    return true
  } catch {
    return false
  }
}
