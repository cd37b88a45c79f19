/**
 * page-file -- one page of a file read straight from the disk, with no pool at all.
 *
 * `mpool dump PGNO --file F --pagesize N` looks at any page file (a SQLite database, a pool's
 * file while nobody has it open) in one fast step: open read-only once, check it is a regular
 * file, detect its format from that descriptor, read each page asked for with the engine's own
 * positioned readFully, close. The checks and messages match the engine's:
 * a page past the end is EINVAL, a partial last page is reported and never shown as a page.
 */
import fs from 'node:fs'
import {EXIT, exitOfCode, ShellError} from '../common/exit-status.js'
import {fileProblem} from '../common/file-errors.js'
import {pastEndError} from '../common/past-end.js'
import type {PageReader} from '../formats/types.js'
import {FileIO, readFully} from '../pool/index.js'

/** What a page file holds, by pagesize. */
export interface PageFileInfo {
  file: string
  size: number
  pagesize: number
  npages: number
  /** bytes of a partial last page */
  trailing: number
}

function fileError(err: unknown, file: string): ShellError {
  const {code, message} = fileProblem(err, file, {access: 'read', ifMissing: 'give the path of a page file'})
  return new ShellError(code, exitOfCode(code), message)
}

/** A page file opened once, read-only and checked to be a regular file: what dump --file reads every page of a call from. */
export interface OpenPageFile {
  readonly file: string
  readonly fd: number
  /** its size at the open */
  readonly size: number
}

/** openPageFile -- `file` opened read-only (never blocking on a FIFO) and checked to be a regular file; closePageFile ends it. */
function openPageFile(file: string): OpenPageFile {
  let fd: number
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)
  } catch (err) {
    throw fileError(err, file)
  }
  try {
    const stat = fs.fstatSync(fd)
    if (stat.isDirectory()) throw new ShellError('EISDIR', EXIT.file, `${file} is a directory; give a page file`)
    if (!stat.isFile()) throw new ShellError('ESPIPE', EXIT.file, `${file} is not a regular file (a pipe, socket or device); give a page file`)
    return {file, fd, size: stat.size}
  } catch (err) {
    fs.closeSync(fd)
    throw err
  }
}

/** withPageFile -- `fn` given `file` opened once (openPageFile), closed after it returns or throws. */
function withPageFile<T>(file: string, fn: (open: OpenPageFile) => T): T {
  const open = openPageFile(file)
  try {
    return fn(open)
  } finally {
    fs.closeSync(open.fd)
  }
}

/** usingPageFile -- withPageFile for an async `fn`: one open for everything the call reads (format detection, then its pages). */
export async function usingPageFile<T>(file: string, fn: (open: OpenPageFile) => Promise<T>): Promise<T> {
  const open = openPageFile(file)
  try {
    return await fn(open)
  } finally {
    fs.closeSync(open.fd)
  }
}

/** layoutOf -- an open file's size in pages of `pagesize` bytes. */
export function layoutOf(open: OpenPageFile, pagesize: number): PageFileInfo {
  const npages = Math.floor(open.size / pagesize)
  return {file: open.file, size: open.size, pagesize, npages, trailing: open.size - npages * pagesize}
}

/**
 * readOpenPage -- page `pgno` of an open file as it is on the disk now.
 *
 * @throws ShellError: exit 4 (EINVAL) for a page past the end; exit 7 for a failed read.
 */
export function readOpenPage(open: OpenPageFile, pagesize: number, pgno: number): Buffer {
  const info = layoutOf(open, pagesize)
  if (pgno >= info.npages) throw pastEndError(pgno, open.file, info)
  const bytes = Buffer.alloc(pagesize)
  let got: number
  try {
    got = readFully(new FileIO(open.fd), bytes, pgno * pagesize)
  } catch (err) {
    throw fileError(err, open.file)
  }
  if (got < pagesize) throw new ShellError('EFTYPE', EXIT.file, `${open.file} ended inside page ${pgno} (${got} of ${pagesize} bytes); it changed while being read`)
  return bytes
}

/** headOf -- the first `bytes` bytes of an open file (fewer if it is shorter), for format detection. */
export function headOf(open: OpenPageFile, bytes: number): {head: Buffer; size: number} {
  const head = Buffer.alloc(Math.min(bytes, open.size))
  return {head: head.subarray(0, readFully(new FileIO(open.fd), head, 0)), size: open.size}
}

/** The first bytes of a file and its size, for format detection; null when it cannot be opened as a regular file (open reports why). */
export function readHead(file: string, bytes: number): {head: Buffer; size: number} | null {
  try {
    return withPageFile(file, (open) => headOf(open, bytes))
  } catch {
    return null
  }
}

/** fillSync -- `pages` pages of `file` from pgno into buf, or the error a reader gets (a failed read; a file that shrank). */
function fillSync(fd: number, file: string, pagesize: number, buf: Uint8Array, pgno: number, pages: number): void {
  const want = pages * pagesize
  let got: number
  try {
    got = readFully(new FileIO(fd), buf.subarray(0, want), pgno * pagesize)
  } catch (err) {
    throw fileError(err, file)
  }
  if (got < want) throw shrank(file, pgno + Math.floor(got / pagesize))
}

function shrank(file: string, pgno: number): ShellError {
  return new ShellError('EFTYPE', EXIT.file, `${file} ended inside page ${pgno}; it changed while being read`)
}

/** A file's pages for a format's map: read in order in large blocks, anything else one page at a time. */
export interface PageStream {
  info: PageFileInfo
  /** page pgno; the buffer is good until the next call (the formats' PageReader contract) */
  read(pgno: number): Buffer
}

/** Bytes read at once when pages are asked for in order. */
const STREAM_BLOCK = 4 << 20

/**
 * withPageStream -- `fn` given a reader of `file`'s pages: a page just after the last block read
 * starts the next block (so a pass in page order reads STREAM_BLOCK bytes a call into one
 * reused buffer); any other page is read alone.
 */
export function withPageStream<T>(file: string, pagesize: number, fn: (stream: PageStream) => T): T {
  return withPageFile(file, (open) => openPageStream(open, pagesize, fn))
}

/** openPageStream -- withPageStream over a file already open. */
export function openPageStream<T>(open: OpenPageFile, pagesize: number, fn: (stream: PageStream) => T): T {
  const {fd, file} = open
  const info = layoutOf(open, pagesize)
  const perBlock = Math.max(1, Math.floor(STREAM_BLOCK / pagesize))
  const block = Buffer.allocUnsafe(perBlock * pagesize)
  const single = Buffer.allocUnsafe(pagesize)
  let first = -1
  let count = 0
  const fill = (buf: Buffer, pgno: number, pages: number): void => fillSync(fd, file, pagesize, buf, pgno, pages)
  const read = (pgno: number): Buffer => {
    if (pgno < 0 || pgno >= info.npages) throw pastEndError(pgno, file, info)
    if (first >= 0 && pgno >= first && pgno < first + count) return block.subarray((pgno - first) * pagesize, (pgno - first + 1) * pagesize)
    if (pgno === first + count || (first < 0 && pgno === 0)) {
      first = pgno
      count = Math.min(perBlock, info.npages - pgno)
      fill(block, pgno, count)
      return block.subarray(0, pagesize)
    }
    fill(single, pgno, 1)
    return single
  }
  return fn({info, read})
}

/**
 * keptPages -- `stream`, each page it reads kept (a copy) for the rest of the call: the decodes of
 * one range read the same pages again (the header page; a map's every page, for an overflow
 * page's decode), and each is read from the file once.
 */
export function keptPages(stream: PageStream): PageStream {
  const kept = new Map<number, Buffer>()
  const read = (pgno: number): Buffer => {
    let page = kept.get(pgno)
    if (page === undefined) {
      page = Buffer.from(stream.read(pgno))
      kept.set(pgno, page)
    }
    return page
  }
  return {info: stream.info, read}
}

/**
 * What withPageBlocks feeds: `add` gets each block of consecutive pages (`pagesize` apart from
 * offset 0, good until it returns), then `finish` a reader of single pages, in any order, for
 * what the pass left to read. A format's PageMapper is one.
 */
export interface BlockConsumer<T> {
  add(bytes: Uint8Array, firstPgno: number, count: number): void
  /** where to read the blocks: the consumer's own memory, `count` slots (nothing is copied) */
  blocks: {count: number; blockFor(bytes: number, slot: number): Uint8Array}
  finish(read: PageReader): T
}

/** The bytes of one block of withPageBlocks, and how many it has read or is reading at once (one of them being added). */
const PASS_BLOCK = 1 << 20
const PASS_SLOTS = 4

/**
 * withPageBlocks -- every page of `file` in page order, PASS_BLOCK bytes a read, to the consumer
 * `start` makes once the file's size is known; then its finish.
 *
 * Policy: the blocks after the one being added are read meanwhile on node's thread pool, up to
 * three at a time, each into a slot of its own in the consumer's memory (nothing is copied), so
 * that the kernel's copy of the file and the consumer's pass over it take both cores. The copy is
 * most of the pass: one thread read the 270 MiB bench database in 40-48 ms, four reads of 1 MiB
 * in flight in 30-35 ms, and the SQLite map's pass over it takes about 30 ms more (README,
 * "Benchmark"). The single pages of finish are read synchronously: there are few, and each is
 * needed at once.
 */
export async function withPageBlocks<T>(file: string, pagesize: number, start: (info: PageFileInfo) => BlockConsumer<T>): Promise<T> {
  return usingPageFile(file, async (open) => {
    const {fd} = open
    const info = layoutOf(open, pagesize)
    const perBlock = Math.max(1, Math.floor(PASS_BLOCK / pagesize))
    const consumer = start(info)
    const slots = Math.max(1, Math.min(PASS_SLOTS, consumer.blocks.count))
    const inFlight: Array<Promise<Uint8Array>> = []
    let nextRead = 0
    let slot = 0
    const readNext = (): void => {
      if (nextRead >= info.npages) return
      const pgno = nextRead
      const count = Math.min(perBlock, info.npages - pgno)
      const block = consumer.blocks.blockFor(count * pagesize, slot)
      slot = (slot + 1) % slots
      nextRead += count
      const read = fillAsync(fd, file, pagesize, block, pgno, count).then(() => block)
      read.catch(() => undefined) // handled where it is awaited, in order: a later read failing first is not an unhandled rejection
      inFlight.push(read)
    }
    for (let i = 0; i < slots - 1; i++) readNext()
    try {
      for (let pgno = 0; pgno < info.npages; ) {
        // into the slot of the block added last (free now) while this one is awaited and added
        readNext()
        const block = await inFlight.shift()!
        const count = block.length / pagesize
        consumer.add(block, pgno, count)
        pgno += count
      }
    } finally {
      // a failed read or add: the reads in flight are let finish, so that nothing writes into the consumer's memory once this returns
      await Promise.allSettled(inFlight)
    }
    const single = Buffer.allocUnsafe(pagesize)
    return consumer.finish((pgno) => {
      if (pgno < 0 || pgno >= info.npages) throw pastEndError(pgno, file, info)
      fillSync(fd, file, pagesize, single, pgno, 1)
      return single
    })
  })
}

/** fillAsync -- fillSync on node's thread pool, looping over short reads. */
async function fillAsync(fd: number, file: string, pagesize: number, buf: Uint8Array, pgno: number, pages: number): Promise<void> {
  const want = pages * pagesize
  let got = 0
  try {
    while (got < want) {
      const n = await readAt(fd, buf, got, want - got, pgno * pagesize + got)
      if (n === 0) break
      got += n
    }
  } catch (err) {
    throw fileError(err, file)
  }
  if (got < want) throw shrank(file, pgno + Math.floor(got / pagesize))
}

function readAt(fd: number, buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, offset, length, position, (err, n) => (err === null ? resolve(n) : reject(err))))
}
