/*
 * formats -- what the verbs need of the page formats: the format of the pool's file, a page
 * named by the format's own number (--page), a page decoded with what the map knows of it, the
 * pool's current view as a page reader, and the refusals in one line each.
 *
 * Policy, each in a sentence:
 *  - The format is the one the pool's opener detected (PoolInfo.format); a file opened with a
 *    --pagesize that contradicts its header is a plain page file, so nothing here second-guesses it.
 *  - `--page N` is the format's number (SQLite counts from 1): pgno = N - firstPage. A page
 *    below the format's first, or past the end, is refused naming both numbers, never silently
 *    shifted.
 *  - Decoding or mapping a plain page file is EFTYPE (exit 6): the bytes are there, but no format
 *    says what they mean.
 *  - Over a pool, the map and the decode see the pool's current view (peek: a cached page as it
 *    is cached, dirty or not), and move no pin, recency or counter, like dump.
 */
import {EXIT, ShellError, usageError} from '../common/exit-status.js'
import {diffDecoded, formatOf, FORMAT_NAMES, formatTitle, type DecodedPage, type FieldChange, type FormatInfo, type PageFormat, type PageMap, type PageReader} from '../formats/index.js'
import type {PoolHandle} from '../session/handle.js'

/** What a result carries of the format: its name, and the format's page number of the page. */
export interface FormatPage {
  format: string
  page: number
}

/** formatOfPool -- the pool's file format, or null for a plain page file. */
export async function formatOfPool(pool: PoolHandle): Promise<FormatInfo | null> {
  return (await pool.info()).format ?? null
}

/** needFormat -- the format's decoder for `info`, or EFTYPE naming the file and what was asked. */
export function needFormat(info: FormatInfo | null, file: string | null, what: string): {info: FormatInfo; format: PageFormat} {
  const format = info === null ? undefined : formatOf(info)
  if (info === null || format === undefined) {
    const known = FORMAT_NAMES.map(formatTitle).join(', ')
    throw new ShellError('EFTYPE', EXIT.file, `${file ?? 'the file'} is a plain page file, in no format mpool knows (${known}); ${what} needs one`)
  }
  return {info, format}
}

/** formatPage -- the format's page number of mpool pgno, or undefined for a plain page file. */
export function formatPage(info: FormatInfo | null, pgno: number): FormatPage | undefined {
  return info === null ? undefined : {format: info.format, page: pgno + info.firstPage}
}

/**
 * choosePgno -- the mpool pgno a command names: PGNO, or --page N in the format's numbering.
 * Both, neither (when `required`), --page on a plain page file, or --page below the format's
 * first page are usage errors (exit 2); --page past the end is EINVAL (exit 4).
 */
export function choosePgno(pgno: number | undefined, page: number | undefined, info: FormatInfo | null, npages: number, required: boolean): number | undefined {
  if (page === undefined) {
    if (pgno === undefined && required) throw usageError('give a page: PGNO (mpool\'s, from 0) or --page N (the format\'s own number)')
    return pgno
  }
  if (pgno !== undefined) throw usageError(`give PGNO or --page, not both (PGNO ${pgno}, --page ${page})`)
  if (info === null) throw usageError(`--page ${page} names a page in the file's own format, and this is a plain page file; give PGNO instead`)
  const title = formatTitle(info.format)
  if (page < info.firstPage) throw usageError(`--page ${page}: ${title} pages count from ${info.firstPage} (${title} page ${info.firstPage} is pgno 0)`)
  const chosen = page - info.firstPage
  if (chosen >= npages) {
    const last = npages - 1 + info.firstPage
    throw new ShellError('EINVAL', EXIT.refused, `--page ${page} is past the end: the file has ${npages} ${title} page${npages === 1 ? '' : 's'} (${info.firstPage} to ${last})`)
  }
  return chosen
}

/** poolReader -- every page of the pool as it holds them now (peek: no pin, no recency, no counter). */
export async function poolReader(pool: PoolHandle, npages: number): Promise<PageReader> {
  const pages: Buffer[] = []
  for (let pgno = 0; pgno < npages; pgno++) pages.push((await pool.peek(pgno)).bytes)
  return (pgno) => pages[pgno]!
}

/** mapPages -- the page map of `npages` pages read by `read`. */
export function mapPages(info: FormatInfo, format: PageFormat, read: PageReader, npages: number): PageMap {
  return format.map(read, npages, info)
}

/**
 * decodePage -- page pgno decoded; the format's locate (where it has one) says what the bytes
 * alone cannot, reading other pages through `read`.
 */
export function decodePage(info: FormatInfo, format: PageFormat, bytes: Buffer, pgno: number, read: PageReader, npages: number): DecodedPage {
  const entry = format.locate?.(read, npages, info, pgno)
  return format.decode(bytes, pgno, info, entry)
}

/** A decoded page and, for --diff, what changed against the file. */
export interface DecodedResult {
  decoded: DecodedPage
  changes?: FieldChange[]
}

/** decodedDiff -- the decoded fields that differ between the file's bytes and the pool's. */
export function decodedDiff(info: FormatInfo, format: PageFormat, cached: DecodedPage, fileBytes: Buffer, pgno: number, read: PageReader, npages: number): FieldChange[] {
  return diffDecoded(decodePage(info, format, fileBytes, pgno, read, npages), cached)
}
