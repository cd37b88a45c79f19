/*
 * db-dump -- Berkeley DB files made by the real db_load, and what the real `db_dump -da` says
 * about every page of them, parsed into numbers a test can compare with mpool's decode.
 *
 * Policy: the tools are run, never imitated; a missing db_load or db_dump fails the test (CI
 * installs db-util). Only what db_dump prints is parsed; a line the parser does not know is kept
 * as text so that a test can see it was not compared.
 */
import {execFileSync} from 'node:child_process'

/** One item line of db_dump -da: `[003]  460 len:  18 data: value10 xxxx`. */
export interface DumpItem {
  index: number
  offset: number
  /** the numbers the line names: len, pgno, type, `total len`, page, entries */
  values: Record<string, number>
  /** the text after `data: `, if any */
  data: string | null
  /** `[offpage dups]` lines name a page without a label */
  offpageDups: number | null
}

/** One page of db_dump -da. */
export interface DumpPage {
  pgno: number
  /** the type words: `btree leaf`, `hash metadata`, `overflow` ... */
  type: string
  lsn: string
  level: number
  /** the numbers of the header lines, by their label (prev, next, entries, offset, `ref cnt`, len, records, magic ...) */
  values: Record<string, number>
  uid: string | null
  items: DumpItem[]
}

/** dbLoad -- make `file` with `db_load -T -t method`, the `-c name=value` options given, from key/value lines. */
export function dbLoad(file: string, method: string, config: Record<string, string | number>, lines: string[]): void {
  const args = ['-T', '-t', method]
  for (const [name, value] of Object.entries(config)) args.push('-c', `${name}=${value}`)
  execFileSync('db_load', [...args, file], {input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe']})
}

const NUMBER = '(0x[0-9a-f]+|\\d+)'
const META_KEYS = ['magic', 'version', 'pagesize', 'type', 'metaflags', 'keys', 'records', 'free list', 'last_pgno', 'flags', 'minkey', 're_len', 're_pad', 'root', 'max_bucket', 'high_mask', 'low_mask', 'ffactor', 'nelem', 'h_charkey', 'first_recno', 'cur_recno', 'rec_page', 'page_ext']
const HEADER_KEYS = ['prev', 'next', 'entries', 'offset', 'ref cnt', 'len']
const ITEM_KEYS = ['total len', 'len', 'pgno', 'type', 'page', 'entries']

function num(text: string): number {
  return text.startsWith('0x') ? Number.parseInt(text, 16) : Number(text)
}

/** labelled -- the numbers after each label in `text`; a label is taken out once read, so `len` never reads `total len`'s number. */
function labelled(text: string, keys: string[]): Record<string, number> {
  const values: Record<string, number> = {}
  let rest = text
  for (const key of keys) {
    const pattern = new RegExp(`(?:^|\\s)${key}:?\\s+${NUMBER}`)
    const match = pattern.exec(rest)
    if (match === null) continue
    values[key] = num(match[1]!)
    rest = rest.replace(pattern, ' ')
  }
  return values
}

/** dbDump -- every page `db_dump -da file` prints, in its order. */
export function dbDump(file: string): DumpPage[] {
  const out = execFileSync('db_dump', ['-da', file], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024})
  const pages: DumpPage[] = []
  let page: DumpPage | null = null
  for (const line of out.split('\n')) {
    const head = /^page (\d+): (.*?): LSN \[(\d+)\]\[(\d+)\]: level (\d+)(?: records: (\d+))?/.exec(line)
    if (head !== null) {
      // a page never written (all zeros) says it is page 0; db_dump -da prints every page in file order, so its place says which it is
      const said = Number(head[1])
      page = {pgno: said === 0 && pages.length > 0 ? pages.length : said, type: head[2]!, lsn: `${head[3]}/${head[4]}`, level: Number(head[5]), values: {}, uid: null, items: []}
      if (head[6] !== undefined) page.values.records = Number(head[6])
      pages.push(page)
      continue
    }
    if (page === null || !line.startsWith('\t')) continue
    const item = /^\t\[(\d+)\]\s+(\d+)\s*(.*)$/.exec(line)
    if (item !== null) {
      const rest = item[3]!
      const at = rest.indexOf('data: ')
      const labels = at < 0 ? rest : rest.slice(0, at)
      const dups = /(\d+) \[offpage dups\]/.exec(rest)
      page.items.push({index: Number(item[1]), offset: Number(item[2]), values: labelled(` ${labels}`, ITEM_KEYS), data: at < 0 ? null : rest.slice(at + 6), offpageDups: dups === null ? null : Number(dups[1])})
      continue
    }
    const uid = /^\tuid: (.*)$/.exec(line)
    if (uid !== null) {
      page.uid = uid[1]!.trim().split(/\s+/).map((b) => b.padStart(2, '0')).join('')
      continue
    }
    const at = line.indexOf('data: ')
    const text = at < 0 ? line : line.slice(0, at)
    Object.assign(page.values, labelled(text, page.type.endsWith('metadata') ? META_KEYS : HEADER_KEYS))
  }
  return pages
}

/** dbStat -- the numbers `db_stat -d file -s subdb` prints, by their label ("Number of tree leaf pages"). */
export function dbStat(file: string, subdb: string): Record<string, number> {
  const out = execFileSync('db_stat', ['-d', file, '-s', subdb], {encoding: 'utf8'})
  const stats: Record<string, number> = {}
  for (const line of out.split('\n')) {
    const match = /^(\d+)\t(.*?)(?: \(\d+% ff\))?$/.exec(line)
    if (match !== null) stats[match[2]!] = Number(match[1])
  }
  return stats
}
