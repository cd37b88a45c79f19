/**
 * ranges -- what xxd and hexdump users reach for: several pages at once (`dump 3-7`), and a few
 * bytes of one page (`get 3 --offset 0x10 --length 16`).
 *
 * Policy, each in a sentence:
 *  - A page range is `A-B`, both ends included, A <= B, each end checked as a page number is
 *    (decimal or 0x hex); anything else is a usage error (exit 2). A single PGNO is the range A-A.
 *  - A range is checked against the file's pages before any page is touched, so `get 3-99` on a
 *    file of 10 pages pins nothing (exit 4, as a page past the end is).
 *  - --offset and --length count within the page, as put's --offset does; they are checked
 *    against the page size when it is known: a byte window that does not fit in the page is
 *    exit 4, as bytes that do not fit are for put. --length without --offset starts at 0;
 *    --offset without --length runs to the page's end.
 */
import {EXIT, ShellError, usageError} from '../common/exit-status.js'
import {pastEndError, type PageCount} from '../common/past-end.js'
import {MAX_PAGESIZE, MAX_PGNO} from '../pool/index.js'
import {namePage, type Numbering} from '../render/page-names.js'
import type {ArgSpec} from './spec.js'
import {parseWhole, wholeFlag} from './verb.js'

/** Pages `first` to `last`, both included. */
export interface PageSpan {
  first: number
  last: number
}

/**
 * pagesArg -- the PGNO argument of get and dump: one page number, or a range `A-B`.
 * @throws a usage error (exit 2) for a malformed range, or one whose ends are out of order.
 */
export function pagesArg(description: string): ArgSpec<PageSpan, false> {
  return {
    description,
    required: false,
    what: 'the page number',
    parse: (input, what) => {
      const dash = input.indexOf('-', 1)
      if (dash < 0) {
        const pgno = parseWhole(input, what, 0, MAX_PGNO)
        return {first: pgno, last: pgno}
      }
      const [a, b] = [input.slice(0, dash), input.slice(dash + 1)]
      if (a.trim() === '' || b.trim() === '' || b.includes('-')) throw usageError(`a page range is A-B (e.g. 3-7, both included), not ${JSON.stringify(input)}`)
      const first = parseWhole(a, 'a page range\'s first page', 0, MAX_PGNO)
      const last = parseWhole(b, 'a page range\'s last page', 0, MAX_PGNO)
      if (first > last) throw usageError(`a page range runs from low to high: ${JSON.stringify(input)} ends before it starts; give ${last}-${first}`)
      return {first, last}
    },
  }
}

/** isRange -- whether the span names more than one page. */
export function isRange(span: PageSpan | undefined): boolean {
  return span !== undefined && span.last > span.first
}

/** spanLabel -- `get 3` or `get 3-7`, for narration. */
export function spanLabel(verb: string, span: PageSpan | undefined): string {
  if (span === undefined) return verb
  return span.first === span.last ? `${verb} ${span.first}` : `${verb} ${span.first}-${span.last}`
}

/**
 * spanPages -- the page numbers of a range (or of one page, A-A), checked against the file's
 * pages before any is touched (exit 4 past the end, the page named in `numbering`'s terms too).
 */
export function spanPages(span: PageSpan, count: PageCount, where: string, numbering: Numbering | null = null): number[] {
  if (span.last >= count.npages) throw pastEndError(span.last, where, count, namePage(span.last, numbering))
  return Array.from({length: span.last - span.first + 1}, (_, i) => span.first + i)
}

/** The --offset and --length flags of get and dump: a byte window within each page shown. */
export const WINDOW_FLAGS = {
  offset: wholeFlag({description: 'show the page from this byte on, counted within the page (decimal or 0x hex)', min: 0, max: MAX_PAGESIZE - 1}),
  length: wholeFlag({description: 'show this many bytes (decimal or 0x hex) [default: to the end of the page]', min: 1, max: MAX_PAGESIZE}),
} as const

/** A byte window within a page: [start, end). */
export interface ByteWindow {
  start: number
  end: number
}

/**
 * byteWindow -- the window --offset and --length give within a page of `pagesize` bytes; null
 * when neither is given (the whole page).
 * @throws EINVAL (exit 4) when the window does not fit in the page.
 */
export function byteWindow(flags: {offset?: number | undefined; length?: number | undefined}, pagesize: number): ByteWindow | null {
  if (flags.offset === undefined && flags.length === undefined) return null
  const start = flags.offset ?? 0
  if (start >= pagesize) throw new ShellError('EINVAL', EXIT.refused, `--offset ${start} is past the end of the page (pagesize ${pagesize}, offsets 0 to ${pagesize - 1})`)
  const end = flags.length === undefined ? pagesize : start + flags.length
  if (end > pagesize) throw new ShellError('EINVAL', EXIT.refused, `--offset ${start} --length ${flags.length} runs past the end of the page (pagesize ${pagesize}): at most --length ${pagesize - start} from there`)
  return {start, end}
}

/** refuseWindowWith -- --offset/--length show raw bytes: with --decode or --diff they are a usage error. */
export function refuseWindowWith(flags: {offset?: number | undefined; length?: number | undefined}, other: string): void {
  if (flags.offset !== undefined || flags.length !== undefined) throw usageError(`--offset and --length show a window of the bytes; ${other} works on whole pages: choose one`)
}
