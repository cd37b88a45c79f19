/**
 * file-format -- the page format of a file the shell opens or reads (open, dump --file, map
 * --file, repl), and the page size to use, from its first bytes and --pagesize.
 */
import path from 'node:path'
import {DEFAULT_PAGESIZE} from '../pool/index.js'
import {choosePagesize, type PagesizeChoice} from '../formats/choose.js'
import {DETECT_HEAD_BYTES} from '../formats/detect.js'
import {writeErr} from './output.js'
import {headOf, type OpenPageFile, readHead} from './page-file.js'

/**
 * fileFormat -- the format of `file` and the page size to read it at: detected from its first
 * bytes (and its name: a PostgreSQL segment file's number) unless --pagesize is given; a --pagesize that contradicts the file is obeyed, with a
 * one-line warning on stderr (formats/choose.ts). The detectors (and the decoders beside
 * them) load only here, when a file is opened or read, never for a verb on an open pool.
 */
export async function fileFormat(file: string, pagesize: number | undefined, command: string): Promise<PagesizeChoice> {
  return formatOfHead(readHead(file, DETECT_HEAD_BYTES), file, pagesize, command)
}

/** openFileFormat -- fileFormat of a file already open (dump --file reads its pages through the same descriptor). */
export async function openFileFormat(open: OpenPageFile, pagesize: number | undefined, command: string): Promise<PagesizeChoice> {
  return formatOfHead(headOf(open, DETECT_HEAD_BYTES), open.file, pagesize, command)
}

async function formatOfHead(head: {head: Buffer; size: number} | null, file: string, pagesize: number | undefined, command: string): Promise<PagesizeChoice> {
  const {detectFormat} = await import('../formats/index.js')
  const choice = choosePagesize(head === null ? null : detectFormat(head.head, head.size, path.basename(file)), pagesize, DEFAULT_PAGESIZE)
  if (choice.warning !== null) writeErr(`mpool ${command}: warning: ${choice.warning}`)
  return choice
}

