/**
 * past-end -- the one line every front end says for a page number past the end of a file, and
 * its one exit status.
 *
 * Policy: a page past the end is the pool's EINVAL (exit 4, "refused"), whether the pages are a
 * pool's or read straight from a file, one page or the end of a range; the line names the page,
 * the file, how many whole pages it has at what size (and any trailing bytes of a partial last
 * page), and that nothing was touched, because every caller checks before it pins or reads.
 */
import {EXIT, ShellError} from './exit-status.js'
import {counted} from './plural.js'

/** What a file holds, as the line counts it. */
export interface PageCount {
  npages: number
  pagesize: number
  /** bytes of a partial last page, where known */
  trailing?: number
}

/**
 * pastEndError -- page `pgno` is past the end of `where` (a file's name), which holds `count`:
 * EINVAL, exit 4. `name` is how the page is named (`pgno 9 = SQLite page 10` in a file of a
 * format, render/page-names.ts), `page 9` by default.
 */
export function pastEndError(pgno: number, where: string, count: PageCount, name = `page ${pgno}`): ShellError {
  const {npages, pagesize, trailing = 0} = count
  const has = npages === 0 ? 'no whole page' : `${counted(npages, 'page')} of ${pagesize} bytes (0 to ${npages - 1})`
  const partial = trailing > 0 ? ` and ${counted(trailing, 'trailing byte')}` : ''
  return new ShellError('EINVAL', EXIT.refused, `${name} is past the end of ${where}: it has ${has}${partial}; nothing was touched`)
}
