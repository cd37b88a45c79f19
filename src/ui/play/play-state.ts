/**
 * play-state -- live play's controls as a reducer: the step on show, playing or paused, the speed.
 *
 * Keys: space steps one access (and pauses), Enter plays or pauses, + and - change the speed,
 * r restarts from step 0 (paused), n jumps to the next step where the policies disagree.
 *
 * Policy, in a sentence each:
 *  - The state is only numbers: the picture is the session seeked to `step`, so any state can
 *    be drawn, and tested, without a terminal or a clock.
 *  - A tick (the timer, while playing) is a step that does not pause; at the last step play
 *    stops by itself.
 *  - Speeds are steps a second from SPEEDS; + and - move along it and stop at its ends.
 */
import {useReducer} from 'react'

/** Steps a second, slowest first. */
export const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500] as const
/** The speed play starts at (an index into SPEEDS): 5 steps a second. */
export const START_SPEED = 2

export interface PlayState {
  /** accesses done: 0 before the first */
  step: number
  total: number
  playing: boolean
  /** index into SPEEDS */
  speed: number
  /** the last jump found no divergence after the step it started from */
  noMoreDivergences: boolean
}

export type PlayAction =
  | {type: 'step'}
  | {type: 'tick'}
  | {type: 'toggle'}
  | {type: 'faster'}
  | {type: 'slower'}
  | {type: 'restart'}
  /** to the next divergence: `to` is that step, or null when there is none after this one */
  | {type: 'jump'; to: number | null}

export function initialPlayState(total: number): PlayState {
  return {step: 0, total, playing: false, speed: START_SPEED, noMoreDivergences: false}
}

/** playReducer -- the controls after one key or tick. */
export function playReducer(state: PlayState, action: PlayAction): PlayState {
  const end = state.total
  switch (action.type) {
    case 'step':
      return {...state, step: Math.min(end, state.step + 1), playing: false, noMoreDivergences: false}
    case 'tick': {
      if (!state.playing) return state
      const step = Math.min(end, state.step + 1)
      return {...state, step, playing: step < end}
    }
    case 'toggle':
      return state.step >= end ? {...state, playing: false} : {...state, playing: !state.playing}
    case 'faster':
      return {...state, speed: Math.min(SPEEDS.length - 1, state.speed + 1)}
    case 'slower':
      return {...state, speed: Math.max(0, state.speed - 1)}
    case 'restart':
      return {...initialPlayState(end), speed: state.speed}
    case 'jump':
      return action.to === null ? {...state, playing: false, noMoreDivergences: true} : {...state, step: Math.min(end, action.to), playing: false, noMoreDivergences: false}
  }
}

/** usePlayState -- the controls, paused at step 0. */
export function usePlayState(total: number) {
  return useReducer(playReducer, total, initialPlayState)
}
