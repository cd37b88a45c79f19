// block-helper-thread -- src/cli/block-helper-thread.ts run as a worker from the sources: Node 20
// does not pass the parent's `--import tsx` hooks to a worker, so the worker registers tsx itself.
import {register} from 'tsx/esm/api'

register()
await import('../../src/cli/block-helper-thread.ts')
