/**
 * tint -- whether the REPL's panes may colour, and the colour each Ink `<Text>` is given.
 *
 * Policy, in a sentence each:
 *  - Colour is decided once, as for the shell (src/cli/output.ts: NO_COLOR, FORCE_COLOR, a
 *    terminal), and reaches every pane through one React context, so that with NO_COLOR no
 *    pane can send a colour escape: the palette (hex bytes, verb text) is null and every
 *    `color` prop is left out.
 *  - Bold, inverse and dim are not colours (NO_COLOR's own definition) and stay: the cursor,
 *    the grid's selection and the next victim are still seen without colour.
 */
import {createContext, useContext} from 'react'

/** true: the panes may colour (the default, for component tests); false: NO_COLOR or no colour support. */
export const ColourContext = createContext(true)

/** useTint -- a function giving Ink a colour name as it is, or undefined when colour is off. */
export function useTint(): (colour: string | undefined) => string | undefined {
  return useContext(ColourContext) ? keep : drop
}

const keep = (colour: string | undefined): string | undefined => colour
const drop = (): undefined => undefined
