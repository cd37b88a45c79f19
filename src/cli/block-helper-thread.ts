/**
 * block-helper-thread -- the helper thread of block-helper.ts: waits for its one task, then
 * claims blocks of pages from the shared counter, reads each through the descriptor it was given and adds it to its format's
 * mapHelper, and when no block is left answers once with what it gathered (or why it failed).
 *
 * It reports a failure instead of naming it to the user: the main thread then does this
 * thread's blocks itself, and a read error is reported from there, as without a helper.
 */
import {parentPort} from 'node:worker_threads'
import {readSync} from 'node:fs'
import {MAP_HELPERS} from '../formats/map-helpers.js'
import type {FormatName} from '../formats/types.js'
import type {HelperAnswer, HelperTask} from './block-helper.js'

function help(task: HelperTask): {answer: HelperAnswer; transfer: ArrayBuffer[]} {
  const helper = Object.hasOwn(MAP_HELPERS, task.format) ? MAP_HELPERS[task.format as FormatName]!(task.shared) : undefined
  if (helper === undefined) return {answer: {failed: `format ${task.format} has no map helper`}, transfer: []}
  const next = new Int32Array(task.claim)
  const nblocks = Math.ceil(task.npages / task.perBlock)
  const buf = Buffer.allocUnsafe(task.perBlock * task.pagesize)
  for (let block = Atomics.add(next, 0, 1); block < nblocks; block = Atomics.add(next, 0, 1)) {
    const pgno = block * task.perBlock
    const count = Math.min(task.perBlock, task.npages - pgno)
    const want = count * task.pagesize
    if (readAll(task.fd, buf, want, pgno * task.pagesize) < want) return {answer: {failed: `${task.file} ended inside block ${block}`}, transfer: []}
    helper.add(buf, pgno, count)
  }
  const {part, transfer} = helper.done()
  return {answer: {part}, transfer}
}

/** readAll -- `want` bytes at `position` into buf, reading on after a short read; fewer only at the end of the file. */
function readAll(fd: number, buf: Buffer, want: number, position: number): number {
  let got = 0
  while (got < want) {
    const n = readSync(fd, buf, got, want - got, position + got)
    if (n === 0) break
    got += n
  }
  return got
}

parentPort!.once('message', (task: HelperTask) => {
  try {
    const {answer, transfer} = help(task)
    parentPort!.postMessage(answer, transfer)
  } catch (err) {
    parentPort!.postMessage({failed: err instanceof Error ? err.message : String(err)} satisfies HelperAnswer)
  }
})
