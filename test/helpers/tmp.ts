/*
 * tmp -- temporary page files for tests, cleaned up without fail.
 *
 * Each TmpDir is one mkdtemp directory under os.tmpdir(). Files made through it and fds opened
 * through it are remembered; cleanup() closes every fd still open and removes the directory.
 * Call cleanup() in an after/afterEach hook: a test that throws still leaves nothing behind.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export class TmpDir {
  readonly dir: string
  private readonly fds = new Set<number>()
  private serial = 0

  constructor(prefix = 'mpool-test-') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  }

  /** path -- a fresh path in the directory (nothing is created). */
  path(name = `file${this.serial++}`): string {
    return path.join(this.dir, name)
  }

  /** file -- a new file holding `contents`; returns its path. */
  file(contents: Uint8Array | string = Buffer.alloc(0), name?: string): string {
    const file = this.path(name)
    fs.writeFileSync(file, contents)
    return file
  }

  /** open -- open `file` (read-write by default); the fd is closed by cleanup() if the test does not close it. */
  open(file: string, flags: number | string = 'r+'): number {
    const fd = fs.openSync(file, flags)
    this.fds.add(fd)
    return fd
  }

  /** pageFile -- a file of `npages` pages of `pagesize` bytes, page n filled by `fill(n)` (default: every byte n+1); returns path and an open fd. */
  pageFile(pagesize: number, npages: number, fill: (pgno: number) => number = (n) => (n + 1) & 0xff): {file: string; fd: number} {
    const bytes = Buffer.alloc(pagesize * npages)
    for (let n = 0; n < npages; n++) bytes.fill(fill(n), n * pagesize, (n + 1) * pagesize)
    const file = this.file(bytes)
    return {file, fd: this.open(file)}
  }

  /** close -- close an fd opened here, now. */
  close(fd: number): void {
    if (this.fds.delete(fd)) fs.closeSync(fd)
  }

  /** cleanup -- close every fd still open and remove the directory. */
  cleanup(): void {
    for (const fd of this.fds) {
      try {
        fs.closeSync(fd)
      } catch {
        // already closed by the test: nothing to do
      }
    }
    this.fds.clear()
    fs.rmSync(this.dir, {recursive: true, force: true})
  }
}

/** pageOf -- the bytes of page `pgno` of `file` as it is on disk now (short if the file ends inside it). */
export function pageOf(file: string, pagesize: number, pgno: number): Buffer {
  return fs.readFileSync(file).subarray(pgno * pagesize, (pgno + 1) * pagesize)
}

/** filled -- a page of `pagesize` bytes, every one `byte`. */
export function filled(pagesize: number, byte: number): Buffer {
  return Buffer.alloc(pagesize, byte)
}
