/*
 * page-bounds -- what every decoded page must be, however damaged its bytes: every field, item
 * and problem inside the page, every problem a sentence, the whole a JSON value.
 */
import assert from 'node:assert/strict'
import type {DecodedPage} from '../../src/formats/types.js'

/** assertDecodedInPage -- a decode that stayed inside its page of `pagesize` bytes and named what it found wrong. */
export function assertDecodedInPage(d: DecodedPage, pagesize: number): void {
  const lo = d.pgno * pagesize
  const hi = lo + pagesize
  const inside = (offset: number, length: number) => Number.isInteger(offset) && length >= 0 && offset >= lo && offset + length <= hi
  for (const item of d.items) {
    assert.ok(inside(item.offset, item.length), `item ${item.index} at ${item.offset}+${item.length} leaves page ${d.pgno}`)
    for (const f of item.fields) assert.ok(inside(f.offset, f.length), `item ${item.index} ${f.name} at ${f.offset}+${f.length} leaves page ${d.pgno}`)
  }
  for (const f of d.fields) assert.ok(inside(f.offset, f.length), `${f.name} at ${f.offset}+${f.length} leaves page ${d.pgno}`)
  for (const p of d.problems) {
    assert.ok(p.offset === null || inside(p.offset, 0), `problem "${p.message}" at ${p.offset} is not on page ${d.pgno}`)
    assert.ok(p.message.length > 0 && !p.message.includes('\n'), 'a problem is one line')
  }
  assert.doesNotThrow(() => JSON.stringify(d))
}
