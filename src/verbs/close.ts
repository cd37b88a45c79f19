/**
 * close -- mpool_close: end the pool for everyone. Writes nothing (the man page is explicit);
 * reports the dirty pages it dropped and the pins still held, so a leak shows.
 */
import {namePages, type Numbering} from '../render/page-names.js'
import {defineVerb} from './verb.js'

export interface CloseResult {
  key: string | null
  /** dirty pages dropped unwritten, in page order */
  dirty: number[]
  /** pages still pinned at close, in page order */
  pinned: number[]
  /** in a file with a format: its name, and the format's numbers of the same pages (SQLite: pgno + 1) */
  format?: string
  dirtyPages?: number[]
  pinnedPages?: number[]
}

/** numberingOfLists -- the numbering a close result carries: the format, and the offset between its numbers and the pgnos. */
function numberingOfLists(result: CloseResult): Numbering | null {
  if (result.format === undefined) return null
  const pgnos = [...result.dirty, ...result.pinned]
  const pages = [...(result.dirtyPages ?? []), ...(result.pinnedPages ?? [])]
  return {format: result.format, firstPage: pgnos.length === 0 ? 0 : pages[0]! - pgnos[0]!}
}

export const closeVerb = defineVerb({
  name: 'close',
  summary: 'Close the pool for everyone; says which dirty pages were dropped and which pins were held.',
  description:
    'mpool_close: ends the pool and its server. It writes nothing: run `mpool sync` first to keep changes. ' +
    'Reports the dirty pages dropped unwritten and the pages still pinned.',
  examples: ['<%= config.bin %> sync && <%= config.bin %> close', '<%= config.bin %> close --key demo'],
  args: {},
  flags: {},
  label: () => 'close',
  async run(pool): Promise<CloseResult> {
    const key = pool.key
    const format = (await pool.layout()).format ?? null // asked first: after close there is no pool to ask
    const report = await pool.close()
    const result: CloseResult = {key, dirty: [...report.dirty], pinned: [...report.pinned]}
    if (format === null) return result
    const number = (list: number[]) => list.map((pgno) => pgno + format.firstPage)
    return {...result, format: format.format, dirtyPages: number(result.dirty), pinnedPages: number(result.pinned)}
  },
  render(result) {
    const name = result.key === null ? 'the pool' : `pool ${result.key}`
    const numbering = numberingOfLists(result)
    const dropped = result.dirty.length === 0 ? 'no dirty pages dropped' : `dropped dirty ${namePages(result.dirty, numbering)} without writing ${result.dirty.length === 1 ? 'it' : 'them'}`
    const pinned = result.pinned.length === 0 ? 'no pins held' : `${namePages(result.pinned, numbering)} still pinned`
    return `closed ${name}: ${dropped}; ${pinned}`
  },
})
