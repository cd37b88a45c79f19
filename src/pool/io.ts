/**
 * io -- the engine's only way to the file.
 *
 * Like SQLite's VFS, the pool reaches its file through a small interface so that tests can
 * put a failing disk under it (EIO, ENOSPC, short writes) without mocking node:fs. Every
 * call is positioned: the pool never seeks, so a file shared with other code is never left
 * at an unexpected offset. Positions are plain numbers, exact below 2^53: open() caps pagesize
 * at MAX_PAGESIZE (2^21), so the furthest byte, of page 2^32-1, is at 2^53 - 1.
 */
import fs from 'node:fs'

export interface PageIO {
  /** Reads up to `length` bytes at `position` into `buffer[offset..]`; returns how many were read (0 at end of file). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): number
  /** Reads into the buffers back to back from `position`; returns the bytes read (short at end of file, or for any reason). */
  readv(buffers: readonly Uint8Array[], position: number): number
  /** Writes all of `buffer` at `position`; returns how many bytes were written (may be short). */
  write(buffer: Uint8Array, position: number): number
  /** Writes the buffers back to back starting at `position`; returns the bytes written (may be short). */
  writev(buffers: readonly Uint8Array[], position: number): number
  /** Flushes written data to stable storage. */
  flush(): void
  /** The file's size in bytes. */
  size(): number
  /** Whether the file is a regular file (mpool(3) requires one). */
  isRegularFile(): boolean
}

/** FileIO -- PageIO over a node:fs file descriptor that stays the caller's: it is never closed here. */
export class FileIO implements PageIO {
  constructor(readonly fd: number) {}

  read(buffer: Uint8Array, offset: number, length: number, position: number): number {
    return fs.readSync(this.fd, buffer, offset, length, position)
  }

  readv(buffers: readonly Uint8Array[], position: number): number {
    return fs.readvSync(this.fd, buffers, position)
  }

  write(buffer: Uint8Array, position: number): number {
    return fs.writeSync(this.fd, buffer, 0, buffer.length, position)
  }

  writev(buffers: readonly Uint8Array[], position: number): number {
    return fs.writevSync(this.fd, buffers, position)
  }

  flush(): void {
    fs.fsyncSync(this.fd)
  }

  size(): number {
    return fs.fstatSync(this.fd).size
  }

  isRegularFile(): boolean {
    return fs.fstatSync(this.fd).isFile()
  }
}

/**
 * readFully -- fill `buffer` from the file at `position`, looping over short reads: returns the
 * bytes read, fewer than `buffer.length` only where the file ends. Errors are node's, unchanged.
 * The pool reads every page this way; so does anything else that reads a page of a file.
 */
export function readFully(io: PageIO, buffer: Uint8Array, position: number): number {
  let got = 0
  while (got < buffer.length) {
    const n = io.read(buffer, got, buffer.length - got, position + got)
    if (n === 0) break
    got += n
  }
  return got
}
