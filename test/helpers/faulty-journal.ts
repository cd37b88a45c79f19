/**
 * faulty-journal -- a JournalIO over a real journal file that records its calls and fails on demand,
 * as FaultyIO does for the pool's file: `journal.failWrite('ENOSPC')` makes the next write throw
 * after putting down only `keep` bytes of it (a torn journal, as a crash would leave).
 */
import fs from 'node:fs'
import {FileJournal, type JournalIO} from '../../src/pool/index.js'
import {ioFailure} from './faulty-io.js'

export class FaultyJournal implements JournalIO {
  /** 'write', 'read', 'remove', in order */
  readonly calls: string[] = []
  private readonly inner: FileJournal
  private failing: {code: string; keep: number} | null = null

  constructor(readonly name: string) {
    this.inner = new FileJournal(name)
  }

  /** failWrite -- the next write leaves the first `keep` bytes on the file, then throws `code`. */
  failWrite(code: string, keep = 0): this {
    this.failing = {code, keep}
    return this
  }

  write(buffers: readonly Uint8Array[]): void {
    this.calls.push('write')
    const fault = this.failing
    if (fault === null) return this.inner.write(buffers)
    this.failing = null
    const all = Buffer.concat(buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)))
    fs.writeFileSync(this.name, all.subarray(0, Math.min(fault.keep, all.length)))
    throw ioFailure(fault.code, 'write')
  }

  read(): Buffer | null {
    this.calls.push('read')
    return this.inner.read()
  }

  remove(): void {
    this.calls.push('remove')
    this.inner.remove()
  }
}
