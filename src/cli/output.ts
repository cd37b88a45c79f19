/**
 * output -- where the shell's text goes and whether it is coloured.
 *
 * Policy: stdout carries results and nothing else; stderr carries messages. Colour follows
 * chalk (FORCE_COLOR, a TTY, TERM) and NO_COLOR: a non-empty NO_COLOR turns it off whatever
 * else says, and output to a pipe or file is plain unless FORCE_COLOR asks for colour. chalk is
 * imported only when colour is possible, so piped commands never load it.
 */
import fs from 'node:fs'
import {loadPalette, type Palette} from '../render/palette.js'

/** colorLevel -- chalk's colour level for stdout (0 = none), honouring NO_COLOR. */
export async function colorLevel(stream: NodeJS.WriteStream = process.stdout): Promise<number> {
  const env = process.env
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0
  if (!('FORCE_COLOR' in env) && stream.isTTY !== true) return 0
  const chalk = await import('chalk')
  const support = stream === process.stderr ? chalk.supportsColorStderr : chalk.supportsColor
  return support === false ? 0 : support.level
}

/** paletteFor -- the palette for text written to `stream`, or null for plain text. */
export async function paletteFor(stream: NodeJS.WriteStream = process.stdout): Promise<Palette | null> {
  return loadPalette(await colorLevel(stream))
}

/** writeOut -- text and a newline to stdout. */
export function writeOut(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
}

/** writeOutBytes -- UTF-8 pieces of one text, in order, and a newline, to stdout. */
export function writeOutBytes(pieces: readonly Buffer[]): void {
  for (const piece of pieces) process.stdout.write(piece)
  process.stdout.write('\n')
}

/**
 * writeErr -- text and a newline to stderr, written whole before this returns. An error is
 * followed by process.exit, which drops whatever a stream still holds: into a pipe, everything
 * past the pipe's 64 KiB buffer. So it is written with writeSync, waiting out EAGAIN on a
 * non-blocking descriptor.
 */
export function writeErr(text: string): void {
  writeAllSync(2, text.endsWith('\n') ? text : `${text}\n`)
}

/** writeAllSync -- every byte of `text` to `fd`; a full non-blocking pipe is waited for (1 ms at a time), not cut. */
function writeAllSync(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  let pause: Int32Array | null = null
  for (let written = 0; written < bytes.length; ) {
    try {
      written += fs.writeSync(fd, bytes, written)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err
      pause ??= new Int32Array(new SharedArrayBuffer(4))
      Atomics.wait(pause, 0, 0, 1) // the reader is behind: give it a moment, then go on
    }
  }
}

/**
 * quietEpipe -- a reader that went away (`mpool get 3 | head -1`) ends the command quietly,
 * as `cat` does, instead of an EPIPE stack trace.
 */
export function quietEpipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
    throw err
  })
}
