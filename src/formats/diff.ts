/**
 * diff -- which decoded fields changed between two decodings of the same page, from what to
 * what: `--decode --diff` (the page as cached against the page on the file).
 *
 * Policy, each in a sentence:
 *  - Fields are matched by where they sit and what they are called: a header field by its name,
 *    an item's field by the item's index and the field's name; so a changed column of cell 3 is
 *    "cell 3 column 1", not an offset.
 *  - A field present on one side only is reported too (from or to `null`, with `absent`), since a
 *    new cell or a lost one is a change a person wants named.
 *  - Values compare as JSON (arrays by content); the order is the file offset order of the newer
 *    side, so the list reads top to bottom like the page.
 */

import type {DecodedField, DecodedPage, FieldValue} from './types.js'

/** One changed field. */
export interface FieldChange {
  /** "page type", or "cell 3 column 1" for an item's field */
  name: string
  offset: number
  length: number
  from: FieldValue
  to: FieldValue
  /** which side lacks the field, if one does */
  absent?: 'before' | 'after'
}

function keyed(page: DecodedPage): Map<string, DecodedField> {
  const out = new Map<string, DecodedField>()
  for (const f of page.fields) out.set(f.name, f)
  for (const item of page.items) for (const f of item.fields) out.set(`${itemLabel(page)} ${item.index} ${f.name}`, f)
  return out
}

/** itemLabel -- what the format calls an item: SQLite cells, PostgreSQL and Berkeley DB items, a PostgreSQL FSM page's tree nodes, a VM page's map bytes. */
export function itemLabel(page: DecodedPage): string {
  if (page.format === 'sqlite') return page.kind === 'ptrmap' ? 'entry' : 'cell'
  return page.format === 'postgresql' && page.kind === 'fsm' ? 'node' : page.format === 'postgresql' && page.kind === 'vm' ? 'byte' : 'item'
}

function same(a: FieldValue, b: FieldValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** diffDecoded -- the fields of `after` that differ from `before`, with those `before` alone has. */
export function diffDecoded(before: DecodedPage, after: DecodedPage): FieldChange[] {
  const a = keyed(before)
  const b = keyed(after)
  const changes: FieldChange[] = []
  for (const [name, f] of b) {
    const old = a.get(name)
    if (old === undefined) changes.push({name, offset: f.offset, length: f.length, from: null, to: f.value, absent: 'before'})
    else if (!same(old.value, f.value)) changes.push({name, offset: f.offset, length: f.length, from: old.value, to: f.value})
  }
  for (const [name, f] of a) if (!b.has(name)) changes.push({name, offset: f.offset, length: f.length, from: f.value, to: null, absent: 'after'})
  return changes.sort((x, y) => x.offset - y.offset)
}
