/**
 * frames -- reading what an ink-testing-library render shows, for the component tests.
 *
 * ink-testing-library keeps the last frame and tells nobody when it changes, so `until` looks
 * again every 10 ms until its condition holds; its deadline only turns a wait that never ends
 * into a failure that shows the frame (no test asserts anything about the time it took).
 */
import {stripVTControlCharacters} from 'node:util'

/** plain -- a frame without its escapes. */
export function plain(frame: string | undefined): string {
  return stripVTControlCharacters(frame ?? '')
}

/** until -- resolve once `test()` holds; fail after `ms`, naming `what` and showing `frame()`. */
export async function until(test: () => boolean, what: string, frame: () => string = () => '', ms = 5000): Promise<void> {
  const start = Date.now()
  while (!test()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}${frameShown(frame())}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function frameShown(frame: string): string {
  return frame === '' ? '' : `; frame:\n${frame}`
}
