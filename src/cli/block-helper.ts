/**
 * block-helper -- a file's blocks of pages shared out between this thread and one helper thread
 * (block-helper-thread.ts), for a format mapper that can share (PageMapper.share): map --file of
 * a large file.
 *
 * Why a second thread: a map of a large file is all reading and summarising, one block after
 * another, on one core while the other is idle; split between two threads it takes a little over
 * half the time. Measured: `npm run bench -- map-file` (README, "Speed").
 *
 * Policy, each in a sentence:
 *  - A helper costs its start (a new Node environment on the other core: 20-40 ms here), so it
 *    is started only for a file of at least HELP_FROM_BYTES, which one thread alone takes longer
 *    than that to map, and as early as the command knows the file's size (startHelper), so that
 *    it boots while this thread detects the format and loads its mapper; it is sent its task
 *    (the shared state, the descriptor) once there is one.
 *  - The blocks are claimed one at a time from one shared counter (Atomics.add) by whichever
 *    thread is free, so a helper that starts late, or a busy core, only shifts the share; each
 *    block is read and summarised by exactly one thread, into its own buffer.
 *  - The helper reads through this thread's descriptor, which is held open until it is done.
 *  - If this thread claimed every block, the helper has nothing to give and is stopped unheard;
 *    an unused helper is stopped too (stop), and it never keeps the process alive on its own.
 *  - A helper that fails (cannot start, a read error, a bug) costs only time: this thread reads
 *    and summarises again every block it did not do itself, and its errors are the ones a user
 *    sees, as without a helper.
 */
import {Worker} from 'node:worker_threads'
import type {MapShare} from '../formats/types.js'

/** The smallest file a helper thread is started for (about 20 ms of one thread's work). */
export const HELP_FROM_BYTES = 64 << 20

/** What the helper thread is sent, once (its task). */
export interface HelperTask {
  format: string
  shared: unknown
  fd: number
  file: string
  pagesize: number
  npages: number
  perBlock: number
  /** an Int32Array's memory: [0] the next block to claim */
  claim: SharedArrayBuffer
}

/** What the helper thread answers with, once. */
export type HelperAnswer = {part: unknown} | {failed: string}

/** A helper thread, started and waiting for its task. */
export interface BlockHelper {
  /** help -- share `nblocks` blocks with the helper, `step` doing this thread's; resolves once all are done and the helper's part is joined */
  help(nblocks: number, step: (block: number) => void, share: MapShare, task: Omit<HelperTask, 'shared' | 'claim'>): Promise<void>
  /** stop -- the helper is not needed (any more) */
  stop(): void
}

/** startHelper -- a helper thread running `script`; null if it cannot start. */
export function startHelper(script: string): BlockHelper | null {
  let worker: Worker
  try {
    worker = new Worker(script)
  } catch {
    return null
  }
  worker.unref()
  const answer = answerOf(worker)
  const stop = (): void => void worker.terminate()
  return {
    stop,
    async help(nblocks, step, share, task) {
      const claim = new SharedArrayBuffer(4)
      const next = new Int32Array(claim)
      worker.postMessage({...task, shared: share.shared, claim} satisfies HelperTask)
      const mine = new Uint8Array(nblocks)
      let done = 0
      for (let block = Atomics.add(next, 0, 1); block < nblocks; block = Atomics.add(next, 0, 1)) {
        step(block)
        mine[block] = 1
        done++
      }
      if (done === nblocks) return stop()
      worker.ref()
      const got = await answer
      stop()
      if ('part' in got) return share.join(got.part)
      for (let block = 0; block < nblocks; block++) if (mine[block] === 0) step(block)
    },
  }
}

/** answerOf -- the helper's one answer; a helper that errs or exits without one has failed. */
function answerOf(worker: Worker): Promise<HelperAnswer> {
  return new Promise((resolve) => {
    worker.once('message', (answer: HelperAnswer) => resolve(answer))
    worker.once('error', (err) => resolve({failed: err.message}))
    worker.once('exit', (code) => resolve({failed: `the helper thread exited with ${code}`}))
  })
}
