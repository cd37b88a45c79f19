/*
 * faulty-io -- a PageIO over a real file that records every call and fails on demand.
 *
 * It wraps FileIO (real pread/pwrite/pwritev/fsync on a real fd), so what reaches the file is
 * what the pool really wrote. Faults are armed per operation:
 *
 *   io.fail('write', 'ENOSPC')          the next write throws ENOSPC, nothing written
 *   io.fail('writev', 'EIO', {skip: 1}) the writev after next throws EIO
 *   io.short('write', 10)               the next write puts down only 10 bytes, returns 10
 *   io.short('writev', 0)               the next writev writes nothing and returns 0
 *   io.fail('readv', 'EIO')             the next vectored read (a read-ahead) throws EIO
 *   io.short('readv', 4096)             the next vectored read reads at most 4096 bytes
 *   io.endReadsAt(100)                  reads see a file that ends at byte 100 (a partial page)
 *
 * An armed fault fires once and is gone (`times` makes it fire more often). Faults armed for the
 * same operation queue up: the second one counts its `skip` from when the first is gone, so
 * `io.short('writev', 70).fail('writev', 'EIO')` makes one short writev, then a failing one.
 * clear() disarms all.
 *
 * `calls` lists every call in order, `count(op)` how many of one kind: tests use them to check
 * that a sync of three adjacent pages is one writev, or that a failed write was retried.
 */
import {FileIO, type PageIO} from '../../src/pool/index.js'

export type IoOp = 'read' | 'readv' | 'write' | 'writev' | 'flush'

export interface IoCall {
  op: IoOp | 'size' | 'isRegularFile'
  /** file offset of a read or write */
  position?: number
  /** bytes asked for (read) or handed over (write, writev) */
  length?: number
  /** buffers handed to readv or writev */
  buffers?: number
  /** what the call returned (bytes), or the code it threw */
  result?: number | string
}

interface Fault {
  /** calls of this kind to let through before the fault fires */
  skip: number
  /** times it fires before it is gone */
  times: number
  /** an errno code to throw, or a byte count to write at most and return */
  action: {code: string} | {bytes: number}
}

/** ioFailure -- an Error shaped as node:fs makes them: `code`, `errno`, `syscall`. */
export function ioFailure(code: string, syscall: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: injected fault, ${syscall}`)
  err.code = code
  err.syscall = syscall
  return err
}

export class FaultyIO implements PageIO {
  readonly calls: IoCall[] = []
  readonly inner: FileIO
  private readonly faults = new Map<IoOp, Fault[]>()
  /** reads see the file as ending here (null: its real end) */
  private readEnd: number | null = null

  constructor(readonly fd: number) {
    this.inner = new FileIO(fd)
  }

  /** fail -- make a later `op` throw `code` (after `skip` good calls; `times` times). */
  fail(op: IoOp, code: string, {skip = 0, times = 1}: {skip?: number; times?: number} = {}): this {
    return this.arm(op, {skip, times, action: {code}})
  }

  /** short -- make a later read, write or writev move at most `bytes` bytes and return that count. */
  short(op: 'write' | 'writev' | 'read' | 'readv', bytes: number, {skip = 0, times = 1}: {skip?: number; times?: number} = {}): this {
    return this.arm(op, {skip, times, action: {bytes}})
  }

  /** armed -- whether any fault is still waiting to fire. */
  get armed(): boolean {
    return this.faults.size > 0
  }

  /** endReadsAt -- make reads see a file that ends at byte `end` (null: the real end again); writes are untouched. */
  endReadsAt(end: number | null): this {
    this.readEnd = end
    return this
  }

  /** clear -- disarm every fault and read end. */
  clear(): this {
    this.faults.clear()
    this.readEnd = null
    return this
  }

  /** count -- how many calls of `op` were made (failed ones included). */
  count(op: IoCall['op']): number {
    return this.calls.filter((c) => c.op === op).length
  }

  /** forget -- drop the recorded calls (faults stay armed). */
  forget(): this {
    this.calls.length = 0
    return this
  }

  read(buffer: Uint8Array, offset: number, length: number, position: number): number {
    const call: IoCall = {op: 'read', position, length}
    this.calls.push(call)
    const fault = this.due('read', call)
    let wanted = fault === undefined ? length : Math.min(length, fault.bytes)
    if (this.readEnd !== null) wanted = Math.max(0, Math.min(wanted, this.readEnd - position))
    const n = wanted === 0 ? 0 : this.inner.read(buffer, offset, wanted, position)
    call.result = n
    return n
  }

  readv(buffers: readonly Uint8Array[], position: number): number {
    const length = buffers.reduce((sum, b) => sum + b.length, 0)
    const call: IoCall = {op: 'readv', position, length, buffers: buffers.length}
    this.calls.push(call)
    const fault = this.due('readv', call)
    let wanted = fault === undefined ? length : Math.min(length, fault.bytes)
    if (this.readEnd !== null) wanted = Math.max(0, Math.min(wanted, this.readEnd - position))
    let n = 0
    if (wanted === length) n = this.inner.readv(buffers, position)
    else {
      // a short read: fill the buffers in order, no further than `wanted` bytes
      for (const b of buffers) {
        const take = Math.min(b.length, wanted - n)
        if (take <= 0) break
        const got = this.inner.read(b, 0, take, position + n)
        n += got
        if (got < take) break
      }
    }
    call.result = n
    return n
  }

  write(buffer: Uint8Array, position: number): number {
    const call: IoCall = {op: 'write', position, length: buffer.length}
    this.calls.push(call)
    const fault = this.due('write', call)
    const n = fault === undefined ? this.inner.write(buffer, position) : this.writePart([buffer], position, fault.bytes)
    call.result = n
    return n
  }

  writev(buffers: readonly Uint8Array[], position: number): number {
    const length = buffers.reduce((sum, b) => sum + b.length, 0)
    const call: IoCall = {op: 'writev', position, length, buffers: buffers.length}
    this.calls.push(call)
    const fault = this.due('writev', call)
    const n = fault === undefined ? this.inner.writev(buffers, position) : this.writePart(buffers, position, fault.bytes)
    call.result = n
    return n
  }

  flush(): void {
    const call: IoCall = {op: 'flush'}
    this.calls.push(call)
    this.due('flush', call)
    this.inner.flush()
  }

  size(): number {
    this.calls.push({op: 'size'})
    return this.inner.size()
  }

  isRegularFile(): boolean {
    this.calls.push({op: 'isRegularFile'})
    return this.inner.isRegularFile()
  }

  private arm(op: IoOp, fault: Fault): this {
    const queue = this.faults.get(op)
    if (queue === undefined) this.faults.set(op, [fault])
    else queue.push(fault)
    return this
  }

  /* due -- the armed fault for this call: throws an errno fault; returns a short-count fault; undefined if none. */
  private due(op: IoOp, call: IoCall): {bytes: number} | undefined {
    const queue = this.faults.get(op)
    if (queue === undefined) return undefined
    const fault = queue[0]
    if (fault.skip > 0) {
      fault.skip--
      return undefined
    }
    if (--fault.times <= 0) {
      queue.shift()
      if (queue.length === 0) this.faults.delete(op)
    }
    if ('code' in fault.action) {
      call.result = fault.action.code
      throw ioFailure(fault.action.code, op)
    }
    return fault.action
  }

  /* writePart -- write the first `bytes` bytes of the buffers, really, and return how many went down. */
  private writePart(buffers: readonly Uint8Array[], position: number, bytes: number): number {
    const all = Buffer.concat(buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)))
    const part = all.subarray(0, Math.min(bytes, all.length))
    return part.length === 0 ? 0 : this.inner.write(part, position)
  }
}
