/**
 * page-names -- a page named in the format's terms beside mpool's: `pgno 4 = SQLite page 5`,
 * `pgnos 3, 4 = SQLite pages 4, 5`, and an engine error about a page reworded so.
 *
 * Policy, each in a sentence:
 *  - A plain page file has one numbering, mpool's, and keeps today's words (`page 4`).
 *  - A file with a format names every page both ways, so the user never does the arithmetic
 *    (issue 10); the format's number is `pgno + firstPage` (SQLite counts from 1).
 *  - An error keeps its code, exit status and page; only its words change: the first
 *    `page N` that is the error's page becomes `pgno N = SQLite page N+1`, or that is added.
 */
import {formatTitle} from '../formats/choose.js'
import {MPoolError} from '../pool/index.js'

/** A file's page numbering: its format's name and the format's number of pgno 0; null for a plain page file. */
export interface Numbering {
  format: string
  firstPage: number
}

/** namePage -- `page 4`, or with a format `pgno 4 = SQLite page 5`. */
export function namePage(pgno: number, numbering: Numbering | null): string {
  return numbering === null ? `page ${pgno}` : `pgno ${pgno} = ${formatTitle(numbering.format)} page ${pgno + numbering.firstPage}`
}

/** namePages -- `pages 3, 4`, or with a format `pgnos 3, 4 = SQLite pages 4, 5` (one page as namePage says it). */
export function namePages(list: readonly number[], numbering: Numbering | null): string {
  if (list.length === 1) return namePage(list[0]!, numbering)
  if (numbering === null) return `pages ${list.join(', ')}`
  return `pgnos ${list.join(', ')} = ${formatTitle(numbering.format)} pages ${list.map((p) => p + numbering.firstPage).join(', ')}`
}

/** inFormatTerms -- an engine error about page `pgno` with that page named both ways; any other error as it was. */
export function inFormatTerms(err: unknown, numbering: Numbering | null): unknown {
  if (numbering === null || !(err instanceof MPoolError) || err.pgno === undefined) return err
  const pgno = err.pgno
  const named = namePage(pgno, numbering)
  const said = new RegExp(`\\bpage ${pgno}(?![\\d.])`)
  const message = said.test(err.message) ? err.message.replace(said, named) : `${err.message} (${named})`
  return new MPoolError(err.code, message, pgno, {cause: err})
}

/** numberingOf -- the numbering a result carries (its `format` and the format's `page` beside `pgno`), or null. */
export function numberingOf(result: {pgno: number; format?: string; page?: number}): Numbering | null {
  return result.format === undefined || result.page === undefined ? null : {format: result.format, firstPage: result.page - result.pgno}
}
