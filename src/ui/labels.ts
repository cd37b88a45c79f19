/**
 * labels -- what each cached page is, in the format's words, for the frame grid: its kind
 * (`table-leaf`, `heap`, `btree-leaf`) and, where the format says and the name is short, its
 * owner (`table-leaf t1`).
 *
 *   pool events ──► note: a page read, new, deleted or put back dirty has a stale label
 *   refresh     ──► update(frames): label only the cached pages with no label or a stale one
 *                   (the format's locate, or its decode: one page and what it points at)
 *               ──► owners: the format's map, walked once, and again only when a page's kind changed
 *
 * Policy, in a sentence each:
 *  - Reading never changes the pool: every page is read by peek (no pin, recency or counter),
 *    as dump and map read them; a refresh peeks each page it needs once (the format's header
 *    page too), whatever number of frames it labels.
 *  - A label is computed when its page changes, never per redraw: a refresh with no page read
 *    or dirtied since the last costs nothing but a lookup per frame.
 *  - Owners come from the map (SQLite: the walk of every root page in sqlite_schema, as dbstat
 *    does). Editing a cell moves no page from one b-tree to another, so the map is walked again
 *    only when a page's kind changes, a page is made or deleted; and only for files of at most
 *    OWNER_PAGES pages, since the walk reads every page.
 *  - A plain page file has no labels; a page the format cannot place is labelled by what its
 *    decoder says (`unknown`), never left to throw.
 */
import {formatOf, type FormatInfo, type PageFormat, type PageMapEntry} from '../formats/index.js'
import type {PoolEvent} from '../pool/index.js'
import type {FrameView, PoolHandle} from '../session/handle.js'
import {withPoolPages} from '../verbs/formats.js'

/** What the grid draws of a page. */
export interface PageLabel {
  kind: string
  owner: string | null
}

/** The widest label a grid cell gives room to; longer ones are cut with `…`. */
export const LABEL_MAX = 18

/** Files with more pages than this get kinds only: the owner walk reads every page. */
export const OWNER_PAGES = 8192

/** labelText -- `kind owner` when the owner is short enough to fit beside the kind in `max`, else the kind; cut to `max`. */
export function labelText(label: PageLabel, max = LABEL_MAX): string {
  const both = label.owner === null ? label.kind : `${label.kind} ${label.owner}`
  const text = both.length <= max ? both : label.kind
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`
}

/** The events after which a page's bytes may differ from when it was labelled. */
function staleBy(event: PoolEvent): number | null {
  switch (event.type) {
    case 'read':
    case 'new':
    case 'delete':
      return event.pgno
    case 'unpin':
      return event.dirtied ? event.pgno : null
    default:
      return null
  }
}

export class PageLabeler {
  private readonly labels = new Map<number, PageLabel>()
  private readonly stale = new Set<number>()
  /** owner by pgno from the last map walk; null: walk again at the next update */
  private owners: Map<number, string | null> | null = null
  private readonly format: PageFormat | undefined

  constructor(
    private readonly pool: PoolHandle,
    private readonly info: FormatInfo | null,
  ) {
    this.format = info === null ? undefined : formatOf(info)
  }

  /** note -- an event of the pool: the page it changed is labelled again at the next update. */
  note(event: PoolEvent): void {
    const pgno = staleBy(event)
    if (pgno === null) return
    this.stale.add(pgno)
    if (event.type === 'new' || event.type === 'delete') this.owners = null
  }

  /** update -- the label of every cached page, computing only those missing or stale; empty for a plain page file. */
  async update(frames: readonly FrameView[], npages: number): Promise<ReadonlyMap<number, PageLabel>> {
    const {format, info} = this
    if (format === undefined || info === null) return new Map()
    const todo = frames.map((f) => f.pgno).filter((pgno) => pgno < npages && (!this.labels.has(pgno) || this.stale.has(pgno)))
    // One view of the pool per refresh: every page a label (or the owner walk) reads is peeked
    // once, the header page that every locate starts from among them, not once per frame.
    const pages = new Map<number, Buffer>()
    for (const pgno of todo) {
      const entry = await withPoolPages(this.pool, npages, new Map(), (read) => lineOf(format, info, read, npages, pgno), {into: pages})
      const before = this.labels.get(pgno)
      if (before !== undefined && before.kind !== entry.kind) this.owners = null
      this.labels.set(pgno, {kind: entry.kind, owner: entry.owner})
      this.stale.delete(pgno)
    }
    if (this.owners === null && npages <= OWNER_PAGES) {
      const map = await withPoolPages(this.pool, npages, new Map(), (read) => format.map(read, npages, info), {all: true, into: pages})
      this.owners = new Map(map.pages.map((e) => [e.pgno, e.owner]))
    }
    const out = new Map<number, PageLabel>()
    for (const f of frames) {
      const label = this.labels.get(f.pgno)
      if (label !== undefined) out.set(f.pgno, {kind: label.kind, owner: label.owner ?? this.owners?.get(f.pgno) ?? null})
    }
    return out
  }
}

/** lineOf -- one page's map line: the format's locate where it has one, else what its decoder says of the page. */
function lineOf(format: PageFormat, info: FormatInfo, read: (pgno: number) => Buffer, npages: number, pgno: number): PageMapEntry {
  if (format.locate !== undefined) return format.locate(read, npages, info, pgno)
  const decoded = format.decode(read(pgno), pgno, info)
  return {page: decoded.page, pgno, kind: decoded.kind, owner: null, cells: null, free: null}
}
