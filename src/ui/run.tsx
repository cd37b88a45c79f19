/**
 * run -- the REPL on the screen: Ink mounted full screen over a pool, until the root exits.
 *
 * Policy, in a sentence each:
 *  - The screen is the terminal's alternate buffer (as full-screen programs use), entered before
 *    the first frame and left however the app ends, so the shell's scrollback is untouched and
 *    what close reported is printed on the normal screen afterwards.
 *  - The first picture of the pool is taken before Ink is mounted, so the first frame drawn is
 *    already the pool, not a placeholder.
 *  - Ink's own Ctrl-C handling is off: the root (App) owns exit, Ctrl-C included; the terminal
 *    is in raw mode from before the first frame to after the last.
 * The same full screen serves live play of a trace (runPlay: src/ui/play/).
 * This module imports Ink and React: only `mpool repl` loads it, and only for a terminal.
 */
import type {ReactElement} from 'react'
import {render} from 'ink'
import type {PolicyName} from '../pool/index.js'
import type {Palette} from '../render/palette.js'
import type {PoolHandle} from '../session/handle.js'
import {App, type ReplEnd} from './app.js'
import {createDispatcher} from './dispatch.js'
import {PlayApp} from './play/play-app.js'
import {PlaySession} from './play/session.js'
import {PoolWatcher} from './watcher.js'
import type {Trace} from '../workload/trace.js'

const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H'
const LEAVE_ALT_SCREEN = '\u001B[?1049l'

export interface ScreenOptions {
  /** the key of the shared pool attached to; null for a private pool */
  attachedKey: string | null
  /** colours for the hex pane and the verbs' text; null for none */
  palette: Palette | null
  stdin?: NodeJS.ReadStream
  stdout?: NodeJS.WriteStream
}

/** runScreen -- draw the REPL over `pool` until it ends; resolves to how it ended. The pool is left to the caller. */
export async function runScreen(pool: PoolHandle, options: ScreenOptions): Promise<ReplEnd> {
  const watcher = new PoolWatcher(pool, {shared: options.attachedKey !== null})
  await watcher.start()
  const dispatcher = createDispatcher(pool, {color: options.palette})
  let end: ReplEnd = {how: 'quit'}
  try {
    await fullScreen(<App watcher={watcher} dispatcher={dispatcher} attachedKey={options.attachedKey} palette={options.palette} onExit={(e) => (end = e)} />, options)
  } finally {
    watcher.stop()
  }
  return end
}

export interface PlayOptions {
  trace: Trace
  traceName: string
  fileName: string | null
  policies: PolicyName[]
  maxcache: number
  colour: boolean
  stdin?: NodeJS.ReadStream
  stdout?: NodeJS.WriteStream
}

/** runPlay -- live play of a trace (one policy, or several side by side) until quit. */
export async function runPlay(options: PlayOptions): Promise<void> {
  const session = new PlaySession(options.trace, options.policies, options.maxcache)
  await fullScreen(<PlayApp session={session} traceName={options.traceName} fileName={options.fileName} colour={options.colour} onExit={() => {}} />, options)
}

/** fullScreen -- `node` mounted on the alternate screen in raw mode until its root exits; the screen and the mode are restored however it ends. */
async function fullScreen(node: ReactElement, options: {stdin?: NodeJS.ReadStream; stdout?: NodeJS.WriteStream}): Promise<void> {
  const stdout = options.stdout ?? process.stdout
  const stdin = options.stdin ?? process.stdin
  const leave = () => stdout.write(LEAVE_ALT_SCREEN)
  process.once('exit', leave)
  // Raw mode before the first frame: keys typed as the prompt appears are neither echoed by the
  // terminal over the picture nor held back as a line (Ink turns it on only after its first render).
  if (stdin.isTTY) stdin.setRawMode(true)
  stdout.write(ENTER_ALT_SCREEN)
  try {
    const instance = render(node, {
      stdout,
      stdin,
      exitOnCtrlC: false,
      patchConsole: false,
      // a change another process made should show within 100 ms: Ink's default of 30 frames a
      // second can hold a frame back 33 ms; 60 halves that, and bursts are coalesced anyway
      maxFps: 60,
    })
    await instance.waitUntilExit()
  } finally {
    if (stdin.isTTY) stdin.setRawMode(false)
    leave()
    process.removeListener('exit', leave)
  }
}
