/**
 * palette -- the colours of the shell's output, and the byte classes hex views colour by.
 *
 * Policy: colour is decided once per command (src/cli/output.ts) and handed to the renderers as
 * a Palette, or null for none; renderers never look at the terminal themselves. With a null
 * palette every renderer's output is plain text that people can diff and grep. chalk is loaded
 * only when colour is wanted, so a command writing to a pipe never imports it.
 *
 * Byte classes follow hexyl: NUL, printable ASCII, ASCII whitespace, other ASCII, non-ASCII.
 */
import type {Region} from '../formats/types.js'
import type {Series} from '../workload/simulator.js'

export type {Series}

/** What a byte is, for colouring: hexyl's five classes. */
export type ByteClass = 'nul' | 'printable' | 'space' | 'other' | 'high'

/** byteClass -- the class of one byte (space, \t, \n, \f, \r are whitespace, as in hexyl). */
export function byteClass(byte: number): ByteClass {
  if (byte === 0) return 'nul'
  if (byte > 0x20 && byte < 0x7f) return 'printable'
  if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d) return 'space'
  if (byte < 0x80) return 'other'
  return 'high'
}

type Paint = (text: string) => string


/** The colours renderers use; every member wraps a string in escapes. */
export interface Palette {
  /** one colour per byte class */
  byte: Record<ByteClass, Paint>
  /** one colour per decoded-field region, for hex views of a decoded page */
  region: Record<Region, Paint>
  /** a byte that differs from the file (dump --diff) */
  changed: Paint
  /** headers and labels */
  heading: Paint
  /** secondary text: offsets, counts that are zero */
  dim: Paint
  /** something to look at: dirty pages, the next victim, dropped pages */
  warn: Paint
  /** the state of a pinned page */
  pinned: Paint
  /** one colour per policy and OPT */
  series: Record<Series, Paint>
}

/**
 * loadPalette -- a Palette at chalk's colour `level` (1 = 16 colours and up), or null for no colour.
 * Imports chalk only when a palette is made.
 */
export async function loadPalette(level: number): Promise<Palette | null> {
  if (level <= 0) return null
  const {Chalk} = await import('chalk')
  const c = new Chalk({level: Math.min(3, level) as 1 | 2 | 3})
  return {
    byte: {nul: c.gray, printable: c.cyan, space: c.green, other: c.magenta, high: c.yellow},
    region: {
      'file-header': c.magentaBright,
      'page-header': c.blueBright,
      pointer: c.yellow,
      cell: c.cyan,
      payload: c.green,
      freeblock: c.gray.underline,
      unused: c.gray,
      special: c.red,
      overflow: c.greenBright,
      checksum: c.redBright.underline,
    },
    changed: c.bgRed.white.bold,
    heading: c.bold,
    dim: c.gray,
    warn: c.yellow,
    pinned: c.cyan,
    series: {lru: c.blue, fifo: c.cyan, clock: c.yellow, 'lru-k': c.magenta, arc: c.green, opt: c.gray},
  }
}
