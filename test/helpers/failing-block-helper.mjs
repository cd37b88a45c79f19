// failing-block-helper -- a helper thread for src/cli/block-helper.ts that claims every block left
// and then fails, as a helper with a bug or a read error would: the main thread must do those
// blocks itself. Its task's `shared` is {ready: SharedArrayBuffer}: it sets ready[0] and notifies
// once it has claimed, so that the test's main thread can wait for that before it claims again.
import {parentPort} from 'node:worker_threads'

parentPort.once('message', (task) => {
  Atomics.add(new Int32Array(task.claim), 0, 1 << 20)
  const ready = new Int32Array(task.shared.ready)
  Atomics.store(ready, 0, 1)
  Atomics.notify(ready, 0)
  parentPort.postMessage({failed: 'this helper fails on purpose'})
})
