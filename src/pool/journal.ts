/**
 * journal -- crash-safe sync: the new images go to a journal, flushed, before any page is
 * overwritten in place (beyond mpool(3), which promises nothing about a crash mid-sync).
 *
 * A sync with a journal is four steps, and a crash between any two leaves something whole:
 *
 *   1. write the journal: every page the sync will write, as it will be written (pgout's
 *      bytes), then a commit trailer with a hash of it all; flush the journal
 *   2. write the pages in place, as a sync always does
 *   3. flush the file
 *   4. retire (remove) the journal
 *
 * The next open of the file looks for a journal first (recoverJournal):
 *   - a complete journal (the trailer is there and the hash matches): the crash came after
 *     step 1, so the in-place writes may be torn anywhere; write every image again, flush,
 *     retire the journal: the sync is *completed*.
 *   - anything less: the crash came during step 1, before any in-place write, so the file is
 *     all the old sync: retire the journal: the sync is *rolled back*.
 * Either way every page is whole, and the file is all the old sync or all the new one.
 *
 * Format (little-endian), a redo log in the spirit of SQLite's rollback journal and InnoDB's
 * doublewrite buffer, but holding the new images, since a torn page can only be repaired
 * forward once the old bytes may be gone:
 *
 *   "MPOOLJNL" | version u32 = 1 | pagesize u32 | count u32 | count x (pgno u32, page bytes)
 *   | "COMMITED" | sha256 of everything before it (32 bytes)
 *
 * The engine reaches the journal only through JournalIO, as it reaches the file through PageIO,
 * so that tests can make it fail; FileJournal is the real one, a file beside the pool's.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {ioError} from './errors.js'
import type {PageIO} from './io.js'

/** How the engine reaches its journal. */
export interface JournalIO {
  /** Replaces the journal with these bytes back to back, on stable storage before it returns. */
  write(buffers: readonly Uint8Array[]): void
  /** The journal's bytes, or null if there is none. */
  read(): Buffer | null
  /** Removes the journal; nothing if there is none. */
  remove(): void
  /** Where it is, for messages. */
  readonly name: string
}

/** The journal of FILE: FILE.mpool-journal (not FILE-journal, which SQLite uses for its own). */
export function journalPathOf(file: string): string {
  return `${file}.mpool-journal`
}

/** FileJournal -- a JournalIO over a real file: written with O_TRUNC, fsynced, its folder fsynced once it exists. */
export class FileJournal implements JournalIO {
  constructor(readonly name: string) {}

  write(buffers: readonly Uint8Array[]): void {
    const fresh = !fs.existsSync(this.name)
    const fd = fs.openSync(this.name, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW, 0o600)
    try {
      let position = 0
      const total = buffers.reduce((sum, b) => sum + b.length, 0)
      let rest = buffers
      while (position < total) {
        const n = fs.writevSync(fd, rest, position)
        if (n <= 0) throw Object.assign(new Error(`the journal write stopped after ${position} of ${total} bytes`), {code: 'EIO'})
        position += n
        rest = after(buffers, position)
      }
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    if (fresh) syncFolder(path.dirname(this.name)) // the journal's name must survive a crash too
  }

  read(): Buffer | null {
    try {
      return fs.readFileSync(this.name)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  remove(): void {
    fs.rmSync(this.name, {force: true})
  }
}

/* after -- the part of `buffers` from byte `skip` on. */
function after(buffers: readonly Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = []
  let at = 0
  for (const b of buffers) {
    if (at + b.length > skip) out.push(skip > at ? b.subarray(skip - at) : b)
    at += b.length
  }
  return out
}

function syncFolder(folder: string): void {
  const fd = fs.openSync(folder, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

const MAGIC = Buffer.from('MPOOLJNL')
const COMMIT = Buffer.from('COMMITED')
const VERSION = 1
const HEADER = 8 + 4 + 4 + 4
const TRAILER = 8 + 32

/** journalImage -- the journal of one sync: the header, each (pgno, image), the commit trailer. */
export function journalImage(pagesize: number, pgnos: readonly number[], images: readonly Buffer[]): Buffer[] {
  const header = Buffer.alloc(HEADER)
  MAGIC.copy(header, 0)
  header.writeUInt32LE(VERSION, 8)
  header.writeUInt32LE(pagesize, 12)
  header.writeUInt32LE(pgnos.length, 16)
  const hash = createHash('sha256').update(header)
  const out: Buffer[] = [header]
  for (let i = 0; i < pgnos.length; i++) {
    const number = Buffer.alloc(4)
    number.writeUInt32LE(pgnos[i])
    hash.update(number).update(images[i])
    out.push(number, images[i])
  }
  out.push(COMMIT, hash.digest())
  return out
}

/** A journal read back: its pages, or why it is not complete. */
type Parsed = {complete: true; pagesize: number; pages: Array<{pgno: number; bytes: Buffer}>} | {complete: false; why: string}

/** parseJournal -- a journal's pages if it is complete (trailer there, hash matching), else why not. */
export function parseJournal(bytes: Buffer): Parsed {
  if (bytes.length < HEADER + TRAILER) return {complete: false, why: `it is ${bytes.length} bytes, shorter than an empty journal`}
  if (!bytes.subarray(0, 8).equals(MAGIC)) return {complete: false, why: 'it does not start as an mpool journal does'}
  if (bytes.readUInt32LE(8) !== VERSION) return {complete: false, why: `it is version ${bytes.readUInt32LE(8)}, not ${VERSION}`}
  const pagesize = bytes.readUInt32LE(12)
  const count = bytes.readUInt32LE(16)
  const expected = HEADER + count * (4 + pagesize) + TRAILER
  if (pagesize === 0 || bytes.length !== expected) return {complete: false, why: `it is ${bytes.length} bytes of the ${expected} its header announces`}
  const body = expected - TRAILER
  if (!bytes.subarray(body, body + 8).equals(COMMIT)) return {complete: false, why: 'its commit mark is missing'}
  const digest = createHash('sha256').update(bytes.subarray(0, body)).digest()
  if (!digest.equals(bytes.subarray(body + 8))) return {complete: false, why: 'its hash does not match'}
  const pages: Array<{pgno: number; bytes: Buffer}> = []
  for (let i = 0, at = HEADER; i < count; i++, at += 4 + pagesize) {
    pages.push({pgno: bytes.readUInt32LE(at), bytes: bytes.subarray(at + 4, at + 4 + pagesize)})
  }
  return {complete: true, pagesize, pages}
}

/** What the open of a file with a journal left behind did, in one line for people. */
export interface Recovery {
  outcome: 'completed' | 'rolled back'
  /** pages written again (completed), or that the interrupted sync would have written (0 if unknown) */
  pages: number
  message: string
}

/**
 * recoverJournal -- finish what a crashed sync left: a complete journal is written in place
 * and the file flushed (completed), an incomplete one only removed (rolled back); then the
 * journal is retired. Returns null when there was no journal. Safe to run twice: writing the
 * images again is what the first run did.
 *
 * @throws MPoolError with the fs code if the images cannot be written or flushed (the journal
 *   then stays, so the next open tries again).
 */
export function recoverJournal(io: PageIO, journal: JournalIO): Recovery | null {
  const bytes = journal.read()
  if (bytes === null) return null
  const parsed = parseJournal(bytes)
  if (!parsed.complete) {
    journal.remove()
    return {outcome: 'rolled back', pages: 0, message: `found the journal of a sync interrupted before it wrote any page (${parsed.why}): rolled back, the file is as the sync before it left it`}
  }
  const {pagesize, pages} = parsed
  for (const {pgno, bytes: image} of pages) {
    const offset = pgno * pagesize
    let done = 0
    try {
      while (done < pagesize) {
        const n = io.write(done === 0 ? image : image.subarray(done), offset + done)
        if (n <= 0) throw Object.assign(new Error(`the write stopped after ${done} of ${pagesize} bytes`), {code: 'EIO'})
        done += n
      }
    } catch (err) {
      throw ioError(err, `completing the interrupted sync from ${journal.name}: writing page ${pgno} (the journal stays; open again to retry)`, pgno)
    }
  }
  try {
    io.flush()
  } catch (err) {
    throw ioError(err, `completing the interrupted sync from ${journal.name}: flushing the file (the journal stays; open again to retry)`)
  }
  journal.remove()
  const n = pages.length
  return {outcome: 'completed', pages: n, message: `found the journal of an interrupted sync: completed it, ${n} page${n === 1 ? '' : 's'} written again from ${journal.name}`}
}
