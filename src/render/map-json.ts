/**
 * map-json -- `map --json`: the page map as one JSON document with one page a line,
 *
 *   {"format":"sqlite","pagesize":4096,"pages":[
 *   {"page":1,"pgno":0,"kind":"table-leaf","owner":"sqlite_schema","cells":2,"free":3845,"payload":135},
 *   ...
 *   ],"problems":[
 *   {"offset":0,"message":"..."}
 *   ]}
 *
 * so that `grep` and `head` work on it line by line and a 68k-page map is 7 MB, not the 11 MB
 * the two-space indent made. Each line is the text JSON.stringify gives its entry.
 *
 * Policy: a map kept as columns (page-columns.ts: SQLite) is written straight from them, with each
 * kind and owner escaped once, not once a page, and no object made per page; any other map's
 * lines are JSON.stringify's of its entries. `explain` (--explain) goes last, on one line. The
 * document comes back as UTF-8 pieces, written in turn, never copied into one string or buffer.
 */
import {NO_COUNT} from '../formats/page-columns.js'
import type {PageColumns, PageMap} from '../formats/types.js'

/** mapJson -- the JSON text of `map`, with --explain's phrases where given: its UTF-8 bytes, in pieces, in order (not copied into one). */
export function mapJson(map: PageMap, explain?: readonly string[]): Buffer[] {
  const head = `{"format":${JSON.stringify(map.format)},"pagesize":${map.pagesize},"pages":[`
  const pages = map.columns === undefined ? [Buffer.from(listed(map.pages.map((e) => JSON.stringify(e))))] : columnLines(map.columns)
  const problems = listed(map.problems.map((p) => JSON.stringify(p)))
  const tail = `,"problems":[${problems}${explain === undefined ? '' : `,"explain":${JSON.stringify(explain)}`}}`
  return [Buffer.from(head), ...pages, Buffer.from(tail)]
}

/** listed -- JSON texts as the elements of an array, one a line, the array's `]` on a line of its own (just `]` for none). */
function listed(lines: readonly string[]): string {
  return lines.length === 0 ? ']' : `\n${lines.join(',\n')}\n]`
}

/** The bytes of one block of lines: large enough to make few blocks, small enough not to matter when half empty. */
const BLOCK_BYTES = 1 << 20

/** The most bytes an int32 takes as decimal text (-2147483648). */
const INT_DIGITS = 11

/**
 * columnLines -- the lines of `columns` as listed lays them out (the elements, then `]`), in
 * blocks of bytes: the fixed text, and the text of each kind and owner pair when first met, are
 * encoded once, and the numbers written as digits in place, so a page costs no string and no
 * object (lines made as strings and encoded 512 at a time left the collector 45 ms of a run
 * profiled beside the bytes' 9, on a busy machine).
 */
function columnLines(columns: PageColumns): Buffer[] {
  const bytes = (text: string): Buffer => Buffer.from(text)
  const owners = ['null', ...columns.ownerNames.map((o) => JSON.stringify(o))]
  // the text from "kind" to "cells": of each kind and owner (owner code + 1: 0 is none), made when first met
  const kindOwner: Array<Buffer | undefined> = new Array(columns.kindNames.length * owners.length)
  const kindOwnerText = (kind: number, owner: number): Buffer =>
    (kindOwner[kind * owners.length + owner + 1] ??= bytes(`,"kind":${JSON.stringify(columns.kindNames[kind])},"owner":${owners[owner + 1]},"cells":`))
  const [open, pgno, free, payload] = ['\n{"page":', ',"pgno":', ',"free":', ',"payload":'].map(bytes) as [Buffer, Buffer, Buffer, Buffer]
  const longest = (texts: readonly string[]): number => texts.reduce((most, t) => Math.max(most, Buffer.byteLength(t)), 0)
  const fixed = open.length + pgno.length + free.length + payload.length + ',"kind":,"owner":,"cells":},'.length
  const lineBytes = fixed + longest(columns.kindNames.map((k) => JSON.stringify(k))) + longest(owners) + 5 * INT_DIGITS
  const blocks: Buffer[] = []
  let block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, lineBytes + 2))
  let at = 0
  const {first, count} = columns
  for (let page = first; page < first + count; page++) {
    if (block.length - at < lineBytes) {
      blocks.push(block.subarray(0, at))
      block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, lineBytes + 2))
      at = 0
    }
    at = put(block, at, open)
    at = putInt(block, at, page)
    at = put(block, at, pgno)
    at = putInt(block, at, page - first)
    at = put(block, at, kindOwnerText(columns.kind[page]!, columns.owner[page]!))
    at = putCount(block, at, columns.cells[page]!)
    at = put(block, at, free)
    at = putCount(block, at, columns.free[page]!)
    at = put(block, at, payload)
    at = putCount(block, at, columns.payload[page]!)
    block[at++] = 0x7d // }
    block[at++] = 0x2c // ,
  }
  // the last line's comma becomes the newline before the closing bracket (none for no lines)
  if (count > 0) at--
  if (block.length - at < 2) {
    blocks.push(block.subarray(0, at))
    block = Buffer.allocUnsafe(2)
    at = 0
  }
  if (count > 0) block[at++] = 0x0a
  block[at++] = 0x5d // ]
  blocks.push(block.subarray(0, at))
  return blocks
}

/** put -- `part` copied into `block` at `at`; the offset after it (a byte loop: faster than set() for parts this short). */
function put(block: Buffer, at: number, part: Buffer): number {
  for (let i = 0; i < part.length; i++) block[at + i] = part[i]!
  return at + part.length
}

/** putCount -- a count's digits, or null for NO_COUNT. */
function putCount(block: Buffer, at: number, count: number): number {
  if (count !== NO_COUNT) return putInt(block, at, count)
  block[at] = 0x6e // n
  block[at + 1] = 0x75 // u
  block[at + 2] = 0x6c // l
  block[at + 3] = 0x6c // l
  return at + 4
}

/** putInt -- the decimal digits of int32 `n` (as JSON.stringify writes it); the offset after them. */
function putInt(block: Buffer, at: number, n: number): number {
  if (n < 0) {
    block[at++] = 0x2d // -
    n = -n
  }
  let digits = 1
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++
  for (let i = at + digits - 1; i >= at; i--) {
    block[i] = 0x30 + (n % 10)
    n = Math.floor(n / 10)
  }
  return at + digits
}
