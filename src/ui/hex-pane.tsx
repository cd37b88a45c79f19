/**
 * hex-pane -- the bytes of one page: the selected page, or the page touched last.
 *
 *   page 1 · offset 4096 · frame 0 · pins 1 · dirty · 2 bytes changed since read
 *   00001000: 68 69 02 02 02 02 02 02 02 02 02 02 02 02 02 02    hi..............
 *   *
 *   00002000
 *
 * Policy, in a sentence each:
 *  - The rows come from the shell's hex renderer (src/render/hex.ts): file offsets, hexy's
 *    rows (as `get` shows them), byte classes in colour, repeated rows squeezed to `*`.
 *  - Bytes that differ from the page as it was read (or zeros, for a new page) are the
 *    renderer's "changed" bytes: highlighted in colour, marked `^^` underneath without it.
 *  - The pane scrolls by rows (PgUp/PgDn); a page shown afresh starts at its first changed row.
 *  - The decoded view (Ctrl-T) shows the page as its file's format reads it, one line per field
 *    as `get --decode` prints them, then the same hex with each field's bytes in its region's
 *    colour under a legend: a field's name and its bytes share a colour (src/render/palette.ts).
 * When the last command printed a long text (help, stats, dump of the cache) the pane shows
 * that text instead, until the next command or Esc.
 */
import {stripVTControlCharacters} from 'node:util'
import {Box, Text} from 'ink'
import type {DecodedPage} from '../formats/index.js'
import {decodedView} from '../render/decoded.js'
import {changedRanges, hexLegend, regionSpans, renderHex, type RegionSpan} from '../render/hex.js'
import type {Palette} from '../render/palette.js'
import type {PinHolder} from '../session/handle.js'
import type {PageView} from './watcher.js'
import {useTint} from './tint.js'

export interface HexBody {
  title: string
  lines: string[]
  /** the first line showing a changed byte, or 0 */
  firstChange: number
}

/** pageTitle -- what the pane says about the page above its bytes; `holders` name who holds its pins (shared pools). */
export function pageTitle(page: PageView, pagesize: number, holders: readonly PinHolder[] = []): string {
  const parts = [`page ${page.pgno}`, `offset ${page.pgno * pagesize}`]
  if (page.cached) {
    const who = holders.length === 0 ? '' : ` (${holders.map((h) => `${h.pid} ${h.command}`).join(', ')})`
    parts.push(`frame ${page.frame}`, `pins ${page.pins}${who}`, page.dirty ? 'dirty' : 'clean')
  } else {
    parts.push('not cached (as on the file)')
  }
  if (page.baseline === undefined) parts.push('read before this REPL watched: no changes shown')
  else {
    const changed = changedRanges(page.bytes, page.baseline).reduce((n, r) => n + r.end - r.start, 0)
    parts.push(changed === 0 ? 'unchanged since read' : `${changed} byte${changed === 1 ? '' : 's'} changed since read`)
  }
  return parts.join(' · ')
}

/** pageBody -- the title and hex rows of a page, with the bytes changed since read marked. */
export function pageBody(page: PageView, pagesize: number, palette: Palette | null, holders: readonly PinHolder[] = []): HexBody {
  const lines = hexLines(page, pagesize, palette)
  return {title: pageTitle(page, pagesize, holders), lines, firstChange: firstChangeLine(page, pagesize, lines)}
}

/** decodedBody -- the decoded view: the page's decode lines, then its hex coloured by the fields' regions under their legend. */
export function decodedBody(page: PageView, decoded: DecodedPage, pagesize: number, palette: Palette | null, holders: readonly PinHolder[] = []): HexBody {
  const regions = regionSpans(decoded, pagesize)
  const legend = hexLegend(regions, palette)
  const lines = [...decodedView(decoded, page.bytes, palette).split('\n'), ...(legend === '' ? [] : [legend]), ...hexLines(page, pagesize, palette, regions)]
  return {title: `${pageTitle(page, pagesize, holders)} · decoded (Ctrl-T: hex only)`, lines, firstChange: 0}
}

function hexLines(page: PageView, pagesize: number, palette: Palette | null, regions?: readonly RegionSpan[]): string[] {
  const baseline = page.baseline
  const changed = baseline === undefined ? undefined : (i: number) => page.bytes[i] !== baseline[i]
  return renderHex(page.bytes, {offset: page.pgno * pagesize, palette, changed, regions}).split('\n')
}

/** firstChangeLine -- the line of `lines` (the page's hex rows) showing its first byte changed since read, or 0. */
function firstChangeLine(page: PageView, pagesize: number, lines: readonly string[]): number {
  const baseline = page.baseline
  let firstChange = 0
  if (baseline !== undefined) {
    const ranges = changedRanges(page.bytes, baseline)
    if (ranges.length > 0) {
      const row = page.pgno * pagesize + ranges[0].start - (ranges[0].start % 16)
      const address = row.toString(16).padStart(8, '0')
      firstChange = Math.max(0, lines.findIndex((l) => stripVTControlCharacters(l).startsWith(address)))
    }
  }
  return firstChange
}

/** textBody -- a command's long output as the pane's body. */
export function textBody(title: string, text: string): HexBody {
  return {title, lines: text.split('\n'), firstChange: 0}
}

/** clampScroll -- the first line to show: `scroll` (null: the first change) kept within the body. */
export function clampScroll(body: HexBody, rows: number, scroll: number | null): number {
  const want = scroll ?? Math.max(0, body.firstChange - 1)
  return Math.max(0, Math.min(want, body.lines.length - rows))
}

export interface HexPaneProps {
  body: HexBody | null
  /** lines for the whole pane: the title and the rows */
  rows: number
  width: number
  /** first body line to show; null: start near the first changed row */
  scroll: number | null
  /** the text to show when there is no page yet */
  empty: string
}

/** HexPane -- a title line and as many body lines as fit, with a note of what is scrolled away. */
export function HexPane({body, rows, width, scroll, empty}: HexPaneProps) {
  const tint = useTint()
  if (rows <= 0) return null
  if (body === null) {
    return (
      <Box flexDirection="column" width={width} height={rows}>
        <Text wrap="truncate-end" color={tint('gray')}>
          {empty}
        </Text>
      </Box>
    )
  }
  const room = rows - 1
  const first = clampScroll(body, room, scroll)
  const shown = body.lines.slice(first, first + room)
  const more = body.lines.length - first - shown.length
  const where = first > 0 || more > 0 ? ` · lines ${first + 1}-${first + shown.length} of ${body.lines.length}` : ''
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Text wrap="truncate-end" bold>
        {body.title + where}
      </Text>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  )
}
