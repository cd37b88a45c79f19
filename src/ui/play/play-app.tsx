/**
 * play-app -- live play's root: a trace stepped through one policy, or 2 to 4 side by side.
 *
 *   header      step 12/200 · paused · 5 steps/s · trace.t · 200 accesses, 37 pages · maxcache 8
 *   hits        hits at step 12: lru 5 · arc 6 · OPT 7 (the ceiling)
 *   diverge     ◆ 3 steps where one policy hits and another misses · next at step 15 (n)
 *   grids       one per policy, its counters and the step's hit or miss as its title, the page
 *               just accessed inverse (green a hit, red a miss)
 *   narration   each step, once per policy, with the policy's reason for its victim
 *   help        the keys
 *
 * Policy, in a sentence each (Shopify cli-kit's FullScreen, @inkjs/ui's components):
 *  - One root owns exit(): q, Esc, Ctrl-C or the end of input end the app here.
 *  - The controls are a reducer (play-state.ts) and the picture is the session seeked to its
 *    step: the view is a pure function of a step number.
 *  - Play is a timer that dispatches ticks; the timer is a seam (`schedule`), so that nothing
 *    depends on it but the pace. Keys that arrive in one read are each done, in order.
 *  - The screen is never taller than rows - 1 nor wider than the columns, and follows resizes.
 */
import {useCallback, useEffect, useRef} from 'react'
import {Box, Text, useApp, useInput, useStdin} from 'ink'
import {useTerminalSize} from '../app.js'
import {GridView} from '../frame-grid.js'
import {gridModel} from '../grid.js'
import {Narration, type LogEntry} from '../narration.js'
import {ColourContext, useTint} from '../tint.js'
import {type PlaySession} from './session.js'
import {accessLines, divergeText, headerText, hitsText, PLAY_KEYS, PLAY_KEYS_SHORT, playLayout, policyTitle} from './play-text.js'
import {SPEEDS, usePlayState, type PlayAction} from './play-state.js'

/** A timer: call `fn` once after `ms`; returns a cancel. */
export type Schedule = (fn: () => void, ms: number) => () => void

const realTimer: Schedule = (fn, ms) => {
  const t = setTimeout(fn, ms)
  return () => clearTimeout(t)
}

export interface PlayAppProps {
  session: PlaySession
  /** the trace's name as given */
  traceName: string
  /** the file the trace is about, if one was named */
  fileName: string | null
  /** colour on (false: NO_COLOR or a terminal without colour) */
  colour: boolean
  onExit: () => void
  /** the timer play runs on (tests may give their own) */
  schedule?: Schedule
  /** a fixed size (tests); by default the terminal's */
  size?: {columns: number; rows: number}
}

/** keyActions -- the play actions of one read of keys (several keys may come at once). */
export function keyActions(input: string, key: {return?: boolean}): (PlayAction | 'jump' | 'quit')[] {
  if (key.return) return [{type: 'toggle'}]
  const out: (PlayAction | 'jump' | 'quit')[] = []
  for (const c of input) {
    if (c === ' ') out.push({type: 'step'})
    else if (c === '\r' || c === '\n') out.push({type: 'toggle'})
    else if (c === '+' || c === '=') out.push({type: 'faster'})
    else if (c === '-' || c === '_') out.push({type: 'slower'})
    else if (c === 'r') out.push({type: 'restart'})
    else if (c === 'n') out.push('jump')
    else if (c === 'q') out.push('quit')
  }
  return out
}

/** PlayApp -- live play until quit. */
export function PlayApp({session, traceName, fileName, colour, onExit, schedule = realTimer, size}: PlayAppProps) {
  const {exit} = useApp()
  const {columns, rows} = useTerminalSize(size)
  const [state, dispatch] = usePlayState(session.total)
  const stepRef = useRef(state.step)
  stepRef.current = state.step
  const ended = useRef(false)
  const finish = useCallback(() => {
    if (ended.current) return
    ended.current = true
    onExit()
    exit()
  }, [exit, onExit])

  useInput((input, key) => {
    if ((key.ctrl && input === 'c') || key.escape) return finish()
    // a jump is relative to the step the keys before it in the same read reached
    let step = stepRef.current
    for (const action of keyActions(input, key)) {
      if (action === 'quit') return finish()
      if (action === 'jump') {
        const to = session.nextDivergence(step)
        dispatch({type: 'jump', to})
        if (to !== null) step = to
        continue
      }
      if (action.type === 'step') step = Math.min(session.total, step + 1)
      if (action.type === 'restart') step = 0
      dispatch(action)
    }
  })
  const {stdin} = useStdin()
  useEffect(() => {
    stdin.on('end', finish)
    return () => {
      stdin.off('end', finish)
    }
  }, [stdin, finish])

  // Play: one tick after another at the chosen speed, while playing.
  useEffect(() => {
    if (!state.playing) return
    return schedule(() => dispatch({type: 'tick'}), 1000 / SPEEDS[state.speed])
  }, [state.playing, state.step, state.speed, schedule, dispatch])

  session.seek(state.step)
  const last = session.log[session.log.length - 1]
  const shownStep = last === undefined || last.step !== state.step ? null : last
  const frames = session.steppers.map((s) => s.frames().map((f) => ({...f, holders: []})))
  const needs = frames.map((f) => gridModel(f, session.maxcache, columns, 1).rowsNeeded)
  const comparing = session.policies.length > 1
  const lay = playLayout(rows, needs, comparing ? 3 : 2)
  const policies = session.policies
  const log: LogEntry[] = session.log.flatMap((access, i) => accessLines(access, policies).map((text, j) => ({id: i * 8 + j, kind: access.divergent ? ('others' as const) : ('own' as const), text})))

  return (
    <ColourContext.Provider value={colour}>
      <Box flexDirection="column" width={columns} height={lay.height} overflow="hidden">
        <Text wrap="truncate-end" bold>
          {headerText({trace: traceName, file: fileName, accesses: session.total, pages: session.pages, maxcache: session.maxcache, state})}
        </Text>
        <Line colour="blue" text={hitsText({step: state.step, hits: session.steppers.map((s) => ({policy: s.policy, hits: s.hits})), opt: session.opt()})} />
        {comparing ? <Line colour="magenta" text={divergeText({divergences: session.divergences.length, next: session.nextDivergence(state.step), noMore: state.noMoreDivergences})} /> : null}
        {session.steppers.map((s, i) =>
          lay.gridRows[i] > 0 ? (
            <GridView
              key={s.policy}
              frames={frames[i]}
              maxcache={session.maxcache}
              width={columns}
              rows={lay.gridRows[i]}
              selected={-1}
              focused={false}
              mark={shownStep?.records[i].pgno ?? null}
              markColour={shownStep === null ? undefined : shownStep.records[i].hit ? 'green' : 'red'}
              title={policyTitle(s.policy, s, shownStep?.records[i] ?? null)}
            />
          ) : null,
        )}
        <Narration log={log} width={columns} rows={lay.narrationRows} whole />
        {lay.helpRows > 0 ? <KeysLine width={columns} /> : null}
      </Box>
    </ColourContext.Provider>
  )
}

function Line({text, colour}: {text: string; colour: string}) {
  const tint = useTint()
  return (
    <Text wrap="truncate-end" color={tint(colour)}>
      {text}
    </Text>
  )
}

function KeysLine({width}: {width: number}) {
  const tint = useTint()
  return (
    <Text wrap="truncate-end" color={tint('gray')}>
      {PLAY_KEYS.length <= width ? PLAY_KEYS : PLAY_KEYS_SHORT}
    </Text>
  )
}
