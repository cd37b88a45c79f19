/**
 * choose -- the page size a file is opened at, from what detection found and what the user
 * asked for, and the words that say where it came from.
 *
 * Policy, each in a sentence:
 *  - Without --pagesize the detected size is used, and the output says so
 *    (`pagesize 1024 (from the SQLite header)`); a plain page file gets the default size.
 *  - A --pagesize equal to the detected one changes nothing: the file is still in its format.
 *  - A --pagesize that contradicts the file is obeyed (the user may mean it), with a one-line
 *    warning, and the file is then a plain page file: the format's pages are not mpool's pages
 *    any more, so decoding them would be decoding the wrong bytes.
 */

import type {FormatInfo} from './types.js'

/** What open decided: the page size, the format kept (or null), and the words for people. */
export interface PagesizeChoice {
  pagesize: number
  format: FormatInfo | null
  /** where the page size came from: "the SQLite header", "--pagesize", "the default" */
  source: string
  /** a one-line warning when --pagesize contradicts the file, else null */
  warning: string | null
}

/** formatTitle -- a format's name as people write it (SQLite, Berkeley DB, PostgreSQL). */
export function formatTitle(format: string): string {
  return format === 'sqlite' ? 'SQLite' : format === 'berkeleydb' ? 'Berkeley DB' : format === 'postgresql' ? 'PostgreSQL' : format
}

/** choosePagesize -- the page size to open at; `given` is --pagesize (undefined: not given). */
export function choosePagesize(detected: FormatInfo | null, given: number | undefined, fallback: number): PagesizeChoice {
  if (given === undefined) {
    if (detected === null) return {pagesize: fallback, format: null, source: 'the default', warning: null}
    return {pagesize: detected.pagesize, format: detected, source: detected.source, warning: null}
  }
  if (detected === null || detected.pagesize === given) return {pagesize: given, format: detected, source: '--pagesize', warning: null}
  return {
    pagesize: given,
    format: null,
    source: '--pagesize',
    warning: `--pagesize ${given} contradicts ${detected.source} (${detected.pagesize}); opening at ${given} as asked, as a plain page file (no ${formatTitle(detected.format)} decoding)`,
  }
}
