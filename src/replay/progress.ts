/**
 * progress -- a progress bar on stderr while a long replay runs (cli-progress).
 *
 * Policy, each in a sentence:
 *  - The bar is drawn only when stderr is a terminal and the work is long enough to wait for
 *    (accesses x replays >= PROGRESS_THRESHOLD): pipes, files and scripts never see it.
 *  - It counts replays (one policy at one size), names the one that just finished in words
 *    that say what its numbers are ("lru-k at cache size 9974 done"), and estimates the time
 *    left; a replay runs without yielding, so the bar moves between them.
 *  - It erases itself when done, so stdout's report is all that stays on the screen.
 */
import cliProgress from 'cli-progress'
import type {ReplayProgress} from '../workload/simulator.js'

/** Accesses replayed in all, from which a bar is worth drawing (about half a second of work). */
export const PROGRESS_THRESHOLD = 2_000_000

/** A running progress report: give `onProgress` to replayAll, then `stop()` whatever happened. */
export interface ReplayProgressBar {
  onProgress: ReplayProgress | undefined
  stop(): void
}

/**
 * startProgress -- a bar on `stream` for `replays` replays of `accesses` accesses each, or a
 * do-nothing report if `stream` is not a terminal or the work is short.
 */
export function startProgress(stream: NodeJS.WriteStream, replays: number, accesses: number): ReplayProgressBar {
  if (stream.isTTY !== true || replays * accesses < PROGRESS_THRESHOLD) return {onProgress: undefined, stop() {}}
  const progress = new cliProgress.SingleBar(
    {
      stream,
      format: 'replaying {bar} {value}/{total} replays | {last} | {eta_formatted} left',
      barsize: 30,
      clearOnComplete: true,
      hideCursor: true,
      etaBuffer: 4,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  )
  progress.start(replays, 0, {last: 'starting'})
  let stopped = false
  return {
    onProgress(done, _total, last) {
      progress.update(done, {last: `${last.policy} at cache size ${last.maxcache} done`})
    },
    stop() {
      if (stopped) return
      stopped = true
      progress.stop()
    },
  }
}
