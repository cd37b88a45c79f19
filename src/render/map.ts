/**
 * map -- `mpool map` for people: one line per page (the format's page number, mpool's pgno, the
 * kind, the owner, the cells and the free bytes), then a summary of pages per kind and per owner.
 *
 * Policy: the table is the shell's aligned table (render/tables.ts); a value the format does not
 * give is `-`; the summary lists kinds and owners by page count, largest first, so the big
 * tables and the freelist are what a person reads first; ties go by name in code-unit order (the
 * same on every machine, and free: localeCompare's first call loads ICU's collator, about 10 ms
 * of a `map`'s start-up, measured with --cpu-prof).
 */
import {formatTitle} from '../formats/choose.js'
import type {PageMap} from '../formats/types.js'
import type {Palette} from './palette.js'
import {table} from './tables.js'

/** byName -- `a` before `b` by UTF-16 code units. */
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** counted -- each distinct value with its count, most first. */
function counted(values: Iterable<string>): Array<[string, number]> {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || byName(a[0], b[0]))
}

/** mapView -- the page table and its summary. */
export function mapView(map: PageMap, palette: Palette | null): string {
  const heading = (s: string) => (palette === null ? s : palette.heading(s))
  const rows = map.pages.map((e) => [e.page, e.pgno, e.kind, e.owner ?? '-', e.cells ?? '-', e.free ?? '-'])
  const lines = [table([`${formatTitle(map.format)} page`, 'pgno', 'kind', 'owner', 'cells', 'free'], rows)]
  lines.push('')
  lines.push(heading(`${map.pages.length} page${map.pages.length === 1 ? '' : 's'} of ${map.pagesize} bytes`))
  lines.push(table(['kind', 'pages'], counted(map.pages.map((e) => e.kind))))
  lines.push('')
  lines.push(table(['owner', 'pages'], counted(map.pages.map((e) => e.owner ?? '-'))))
  if (map.problems.length > 0) {
    lines.push('')
    for (const p of map.problems) {
      const line = `problem${p.offset === null ? '' : ` at 0x${p.offset.toString(16)}`}: ${p.message}`
      lines.push(palette === null ? line : palette.warn(line))
    }
  }
  return lines.join('\n')
}
