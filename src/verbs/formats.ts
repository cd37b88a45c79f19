/**
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
 *  - The decoders load only when a page is decoded or mapped (needFormat imports them), and only
 *    the pool's file's format: a verb that only shows bytes never parses them, which is most of a
 *    verb's start-up (README, "Speed"), and a SQLite decode never parses the other formats.
 *  - Over a pool, the map and the decode see the pool's current view (peek: a cached page as it
 *    is cached, dirty or not), and move no pin, recency or counter, like dump.
 */
import {EXIT, ShellError, usageError} from '../common/exit-status.js'
import type {PageCount} from '../common/past-end.js'
import {formatTitle} from '../formats/choose.js'
import {diffDecoded, type FieldChange} from '../formats/diff.js'
import {loadFormat} from '../formats/load.js'
import {FORMAT_NAMES} from '../formats/names.js'
import type {DecodedPage, FormatInfo, PageFormat, PageMap, PageReader} from '../formats/types.js'
import {MAX_PGNO} from '../pool/index.js'
import {changesView, decodedView} from '../render/decoded.js'
import {decodedHex, type HexLayout} from '../render/hex.js'
import {pageHeader, type PageResult} from '../render/page.js'
import type {Palette} from '../render/palette.js'
import type {PoolHandle, PoolLayout} from '../session/handle.js'
import {isRange, type PageSpan, spanPages} from './ranges.js'
import {booleanFlag} from './spec.js'
import {wholeFlag} from './verb.js'

/** What a result carries of the format: its name, and the format's page number of the page. */
export interface FormatPage {
  format: string
  page: number
}

/** formatOfPool -- the pool's file format, or null for a plain page file. */
export async function formatOfPool(pool: PoolHandle): Promise<FormatInfo | null> {
  return (await pool.layout()).format ?? null
}

/** The format registry (every decoder), as loadFormats gives it. */
export type FormatRegistry = typeof import('../formats/index.js')

/** loadFormats -- the format registry, loaded (parsed) on first use only. */
export async function loadFormats(): Promise<FormatRegistry> {
  return import('../formats/index.js')
}

/** needFormat -- the format's decoder for `info` (loading that format's alone), or EFTYPE naming the file and what was asked. */
export async function needFormat(info: FormatInfo | null, file: string | null, what: string): Promise<{info: FormatInfo; format: PageFormat}> {
  return formatOrRefuse(info, info === null ? undefined : await loadFormat(info.format), file, what)
}

/** formatFrom -- needFormat over a registry already loaded (for a caller that may not wait, as inside a page stream). */
export function formatFrom(registry: FormatRegistry, info: FormatInfo | null, file: string | null, what: string): {info: FormatInfo; format: PageFormat} {
  return formatOrRefuse(info, info === null ? undefined : registry.formatOf(info), file, what)
}

/** formatOrRefuse -- `info` and its format, or EFTYPE: a plain page file (or a format no decoder has) has nothing to decode or map. */
function formatOrRefuse(info: FormatInfo | null, format: PageFormat | undefined, file: string | null, what: string): {info: FormatInfo; format: PageFormat} {
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
    if (pgno === undefined && required) throw usageError("missing PGNO: give mpool's page number (from 0), or --page N in the file format's own numbering")
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

/**
 * chosenPages -- the pages a get or dump names: PGNO, a range A-B, or --page N (not with a range),
 * each checked against the file's pages (`count`) before any is touched, so one page and the end
 * of a range past the end say the same line (common/past-end.ts).
 */
export function chosenPages(span: PageSpan | undefined, page: number | undefined, info: FormatInfo | null, count: PageCount, where: string): number[] {
  if (isRange(span)) {
    if (page !== undefined) choosePgno(span!.first, page, info, count.npages, true) // PGNO and --page: the usage error
    return spanPages(span!, count, where, info)
  }
  const pgno = choosePgno(span?.first, page, info, count.npages, true)!
  return spanPages({first: pgno, last: pgno}, count, where, info)
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
  const entry = format.locate?.(read, npages, info, pgno, {owner: true})
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

/** The flags that name and decode a page by its format, shared by get and dump. */
export const FORMAT_FLAGS = {
  decode: booleanFlag({description: "decode the page by its file's format (SQLite, Berkeley DB, PostgreSQL): fields and items with offsets, bytes, values, meanings"}),
  page: wholeFlag({description: "the page by the format's own number, instead of PGNO (SQLite counts from 1: --page 1 is pgno 0)", min: 0, max: MAX_PGNO + 1}),
} as const

/** A page read another page of the pool for: fetched, then the pure call is run again. */
class NeedPage extends Error {
  constructor(readonly pgno: number) {
    super(`page ${pgno} is needed`)
  }
}

/** Misses after which every page is fetched at once (a map needs them all anyway). */
const FETCH_ALL_AFTER = 16

/** Peeks sent at once when many pages are fetched: replies come back in one stream, not one round trip each. */
const PEEKS_IN_FLIGHT = 64

/** fetchPages -- peek every page of `pgnos` into `pages`, PEEKS_IN_FLIGHT requests at a time. */
async function fetchPages(pool: PoolHandle, pgnos: readonly number[], pages: Map<number, Buffer>): Promise<void> {
  for (let at = 0; at < pgnos.length; at += PEEKS_IN_FLIGHT) {
    const batch = pgnos.slice(at, at + PEEKS_IN_FLIGHT)
    const peeked = await Promise.all(batch.map((pgno) => pool.peek(pgno)))
    batch.forEach((pgno, i) => pages.set(pgno, peeked[i]!.bytes))
  }
}

/**
 * withPoolPages -- run the pure `fn` over a reader of the pool's pages (peek: no pin, recency
 * or counter). Pages are fetched as `fn` asks for them and `fn` is run again; after a few misses
 * (or at once, with `all`: a map reads every page) every page is fetched, many requests in flight,
 * so a call that reads the whole file costs one pass. With `into`, the pages are kept in that map
 * (the known ones added to it): a caller running several calls over one view of the pool (the
 * REPL's labels, one refresh) fetches each page once, the file's header page among them.
 */
export async function withPoolPages<T>(pool: PoolHandle, npages: number, known: ReadonlyMap<number, Buffer>, fn: (read: PageReader) => T, options: {all?: boolean; into?: Map<number, Buffer>} = {}): Promise<T> {
  const pages = options.into ?? new Map()
  for (const [pgno, bytes] of known) pages.set(pgno, bytes)
  const rest = () => Array.from({length: npages}, (_, pgno) => pgno).filter((pgno) => !pages.has(pgno))
  if (options.all === true) await fetchPages(pool, rest(), pages)
  for (let misses = 0; ; misses++) {
    try {
      return fn((pgno) => {
        const page = pages.get(pgno)
        if (page === undefined) throw new NeedPage(pgno)
        return page
      })
    } catch (err) {
      if (!(err instanceof NeedPage)) throw err
      if (misses < FETCH_ALL_AFTER) pages.set(err.pgno, (await pool.peek(err.pgno)).bytes)
      else await fetchPages(pool, rest(), pages)
    }
  }
}

/** A decoded page as get and dump report it: the page (without its hex), the decode, and what changed against the file. */
export interface DecodeReport {
  kind: 'decoded'
  page: PageResult
  /** the page's bytes, as decoded (the page's `hex`, not made into text) */
  bytes: Buffer
  decoded: DecodedPage
  changes?: FieldChange[]
  /** --json is the DecodedPage document (with `changes` under --diff) */
  toJSON(): DecodedPage & {changes?: FieldChange[]}
}

/** decodeReport -- page `page` (bytes `bytes`) decoded; `fileBytes` (--diff) names what changed against the file. */
export function decodeReport(info: FormatInfo, format: PageFormat, page: PageResult, bytes: Buffer, read: PageReader, npages: number, fileBytes?: Buffer): DecodeReport {
  const decoded = decodePage(info, format, bytes, page.pgno, read, npages)
  const changes = fileBytes === undefined ? undefined : decodedDiff(info, format, decoded, fileBytes, page.pgno, read, npages)
  return {
    kind: 'decoded',
    page,
    bytes,
    decoded,
    ...(changes === undefined ? {} : {changes}),
    toJSON: () => ({...decoded, ...(changes === undefined ? {} : {changes})}),
  }
}

/** What decodePoolPage decodes: a page the verb has in hand, and what it knows of the pool already. */
export interface PoolPageToDecode {
  /** the pool's layout as the verb asked it, moments ago (its format, file and page count) */
  layout: PoolLayout
  pgno: number
  /** the page's bytes */
  bytes: Buffer
  /** the page's result (its header's peek), or the peek under way: page 0's peek is sent beside it */
  page: PageResult | Promise<PageResult>
  /** --diff: the file's bytes of the page */
  fileBytes?: Buffer
  /**
   * the pages this call has peeked already, added to as the decode peeks more: the decodes of
   * one range share it, so each page (the header page, a map's every page) is fetched once a call
   */
  seen?: Map<number, Buffer>
}

/**
 * decodePoolPage -- decodeReport over a pool: its format (EFTYPE if none), other pages by peek.
 * Page 0 (the file's header: SQLite's schema root, where a decode looks up the page's owner and
 * column names) is peeked beside the verb's own peek of the page, in the same round trip, since
 * most decodes of another page read it first; each page asked for later costs a round trip of its
 * own, once a call when the decodes of a range share `seen`.
 */
export async function decodePoolPage(pool: PoolHandle, what: PoolPageToDecode): Promise<DecodeReport> {
  const {layout, pgno, bytes, fileBytes} = what
  const seen = what.seen ?? new Map<number, Buffer>()
  const [page, header] = await Promise.all([what.page, pgno === 0 || seen.has(0) ? null : pool.peek(0).catch(() => null)])
  const {info, format} = await needFormat(layout.format ?? null, layout.file, '--decode')
  if (header !== null) seen.set(0, header.bytes)
  return withPoolPages(pool, layout.npages, new Map([[pgno, bytes]]), (read) => decodeReport(info, format, page, bytes, read, layout.npages, fileBytes), {into: seen})
}

/**
 * renderDecodeReport -- the page's header line, then its decode lines and the page's hex view
 * coloured by the fields' regions (or, under --diff, the changed fields).
 */
export function renderDecodeReport(report: DecodeReport, color: Palette | null, options: {where?: string; layout?: HexLayout} = {}): string {
  const head = pageHeader(report.page, color, options.where)
  if (report.changes !== undefined) return `${head}\n${changesView(report.changes, color)}`
  return `${head}\n${decodedView(report.decoded, report.bytes, color)}\n${decodedHex(report.decoded, report.bytes, color, options.layout)}`
}
