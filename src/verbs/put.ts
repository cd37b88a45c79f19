/**
 * put -- mpool_put: write bytes into a pinned page (optional), then give back one pin.
 *
 * Policy, each in a sentence:
 *  - At most one source of bytes: --text (UTF-8), --hex, --fill (one byte to the page's end)
 *    or --from (a file's contents, or stdin for `-`); writing implies dirty.
 *  - Everything is checked before the pool is asked (the hex, the file, that the bytes fit from
 *    --offset), and the pool applies the write and the unpin both or neither: a refused put
 *    leaves the page, its pin and the file as they were.
 */
import {counted} from '../common/plural.js'
import fs from 'node:fs'
import {describeError, EXIT, ShellError, usageError} from '../common/exit-status.js'
import {MAX_PAGESIZE} from '../pool/index.js'
import {booleanFlag, customFlag, stringFlag} from './spec.js'
import {namePage, numberingOf} from '../render/page-names.js'
import {formatPage} from './formats.js'
import {defineVerb, labelPgno, parseWhole, pgnoArg, wholeFlag} from './verb.js'

export interface PutResult {
  pgno: number
  /** whether this put marked the page dirty (--dirty or a write) */
  dirtied: boolean
  /** what was written into the page, if anything: where inside the page, where in the file (pgno × pagesize + offset), how many bytes */
  wrote: {offset: number; fileOffset: number; length: number} | null
  /** the file's page format and the format's number of the page (SQLite: pgno + 1), when it has one */
  format?: string
  page?: number
}

/**
 * parseHex -- bytes from hex digits; spaces, tabs and colons between them are allowed, and a
 * leading 0x. Anything else, or an odd number of digits, is a usage error.
 */
export function parseHex(input: string): Buffer {
  const digits = input.trim().replace(/^0x/i, '').replace(/[\s:]/g, '')
  const bad = /[^0-9a-fA-F]/.exec(digits)
  if (bad !== null) {
    throw usageError(`--hex takes hex digits (spaces and colons allowed, e.g. --hex "de ad be ef"), not ${JSON.stringify(bad[0])}`)
  }
  if (digits.length % 2 !== 0) {
    throw usageError(`--hex needs two digits a byte, but got an odd number of digits (${digits.length})`)
  }
  return Buffer.from(digits, 'hex')
}

/** fromError -- why --from FILE cannot be read, in the exit class of its code (EACCES is the file's, 6, as everywhere). */
function fromError(err: unknown, file: string): ShellError {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO'
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (err as Error).message
  return new ShellError(code, describeError(err).exit === EXIT.file ? EXIT.file : EXIT.io, `--from ${file}: ${why}`)
}

/**
 * readStdin -- standard input to its end, at most `limit` bytes (one more says it is too big).
 * Through a stream, not readSync: a pipe left non-blocking by whoever set it up, or one that is
 * slow to fill, gives EAGAIN to a synchronous read.
 */
async function readStdin(limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  const input = process.stdin
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      chunks.push(chunk)
      size += chunk.length
      if (size > limit) break
    }
  } catch (err) {
    throw fromError(err, '-')
  } finally {
    if (size > limit) input.destroy()
  }
  if (size > limit) throw new ShellError('EINVAL', EXIT.refused, `--from - has more than ${limit} bytes, more than a page can hold; nothing was written`)
  return Buffer.concat(chunks, size)
}

/** readSource -- the bytes of --from: a regular file, or stdin for `-`; at most `limit` bytes. */
async function readSource(file: string, limit: number): Promise<Buffer> {
  if (file === '-') return readStdin(limit)
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch (err) {
    throw fromError(err, file)
  }
  if (stat.isDirectory()) throw new ShellError('EISDIR', EXIT.file, `--from ${file} is a directory; give a file whose bytes to write`)
  if (!stat.isFile()) throw new ShellError('ESPIPE', EXIT.file, `--from ${file} is not a regular file; to write from a pipe, use --from - and feed stdin`)
  if (stat.size > limit) throw new ShellError('EINVAL', EXIT.refused, `--from ${file} has ${stat.size} bytes, more than a page can hold (${limit}); nothing was written`)
  try {
    return fs.readFileSync(file)
  } catch (err) {
    throw fromError(err, file)
  }
}

export const putVerb = defineVerb({
  name: 'put',
  summary: 'Write bytes into a pinned page (optional), then unpin it; writing marks it dirty.',
  description:
    'mpool_put: gives back one pin of page PGNO. With --text, --hex, --fill or --from, first writes those bytes ' +
    'into the page at --offset (inside the page, default 0; the output gives the file offset too), which marks it dirty; --dirty marks it dirty without writing. ' +
    'Bytes that do not fit are refused and nothing changes. The page must be pinned (by get or new).',
  examples: [
    '<%= config.bin %> put 3',
    '<%= config.bin %> put 3 --dirty',
    '<%= config.bin %> put 3 --text "hello, page" --offset 16',
    '<%= config.bin %> put 3 --hex "de ad be ef"',
    '<%= config.bin %> put 3 --fill 0xff --offset 4000',
    '<%= config.bin %> put 3 --from header.bin',
  ],
  args: {pgno: pgnoArg({required: true})},
  flags: {
    dirty: booleanFlag({description: 'mark the page dirty (MPOOL_DIRTY): it is written before its frame is reused, or by sync'}),
    offset: wholeFlag({description: 'where in the page to write, from 0 (decimal or 0x hex)', min: 0, max: MAX_PAGESIZE, default: 0}),
    text: stringFlag({description: 'write this text (UTF-8)', helpValue: 'TEXT', exclusive: ['hex', 'fill', 'from']}),
    hex: stringFlag({description: 'write these bytes, as hex digits (spaces and colons allowed)', helpValue: 'HEX', exclusive: ['text', 'fill', 'from']}),
    fill: customFlag<number>({
      description: 'fill from --offset to the end of the page with this byte (0-255, decimal or 0x hex)',
      helpValue: 'BYTE',
      exclusive: ['text', 'hex', 'from'],
      parse: (input, what) => parseWhole(input, what, 0, 255),
    }),
    from: stringFlag({description: "write this file's bytes (- for stdin); they must fit in the page", helpValue: 'FILE', exclusive: ['text', 'hex', 'fill']}),
  },
  label: ({args}) => labelPgno('put', args.pgno),
  async run(pool, {args, flags}): Promise<PutResult> {
    const offset = flags.offset
    let bytes: Buffer | undefined
    if (flags.text !== undefined) bytes = Buffer.from(flags.text, 'utf8')
    else if (flags.hex !== undefined) bytes = parseHex(flags.hex)
    else if (flags.from !== undefined) bytes = await readSource(flags.from, (await pool.layout()).pagesize)
    else if (flags.fill !== undefined) {
      const {pagesize} = await pool.layout()
      if (offset >= pagesize) {
        throw new ShellError('EINVAL', EXIT.refused, `--offset ${offset} is past the end of the page (pagesize ${pagesize}, offsets 0 to ${pagesize - 1}); nothing was written`)
      }
      bytes = Buffer.alloc(pagesize - offset, flags.fill)
    }
    if (bytes === undefined) {
      if (flags.offset !== 0) throw usageError('--offset says where to write: give it with --text, --hex, --fill or --from')
      await pool.put(args.pgno, {dirty: flags.dirty})
      return {pgno: args.pgno, dirtied: flags.dirty, wrote: null, ...formatPage((await pool.layout()).format, args.pgno)}
    }
    await pool.put(args.pgno, {dirty: true, write: {offset, bytes}})
    const {pagesize, format} = await pool.layout()
    return {pgno: args.pgno, dirtied: true, wrote: {offset, fileOffset: args.pgno * pagesize + offset, length: bytes.length}, ...formatPage(format, args.pgno)}
  },
  render(result) {
    // --offset is inside the page; the hex views show file offsets: say both, so either can be found.
    const w = result.wrote
    const wrote = w === null ? '' : `wrote ${counted(w.length, 'byte')} at page offset 0x${w.offset.toString(16)} = file offset 0x${w.fileOffset.toString(16)}, `
    // Without --dirty a put only unpins: the page keeps whatever dirty state it had (dirty is sticky).
    return `put ${namePage(result.pgno, numberingOf(result))}: ${wrote}${result.dirtied ? 'marked dirty, ' : ''}unpinned`
  },
})
