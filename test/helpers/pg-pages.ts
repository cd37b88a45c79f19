/*
 * pg-pages -- a real server's relation file read and decoded by mpool, for the tests that compare
 * it with pageinspect: every page decoded at the page size detection found, and small lookups of
 * decoded fields by name.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import fs from 'node:fs'
import path from 'node:path'
import {DETECT_HEAD_BYTES, detectFormat} from '../../src/formats/index.js'
import {postgresql} from '../../src/formats/postgresql/index.js'
import type {DecodedField, DecodedPage, FormatInfo} from '../../src/formats/types.js'
import {assertDecodedInPage} from './page-bounds.js'
import type {PostgresServer} from './postgres.js'

export type Row = Record<string, unknown>

/** A relation file's bytes, what detection says of it, and every page decoded. */
export interface Relation {
  file: Buffer
  info: FormatInfo
  pages: DecodedPage[]
}

export function field(fields: DecodedField[], name: string): DecodedField | undefined {
  return fields.find((f) => f.name === name)
}

export function value(fields: DecodedField[], name: string): unknown {
  return field(fields, name)?.value
}

/** bytesOf -- the bytes a field covers, read back from the file by its file offset. */
export function bytesOf(file: Buffer, f: DecodedField | undefined): Buffer {
  assert.ok(f !== undefined)
  return file.subarray(f.offset, f.offset + f.length)
}

/** readFile -- a relation file (any segment) read, detected by its bytes and name, and every page decoded. */
export function readFile(file: string): Relation {
  const bytes = fs.readFileSync(file)
  const info = detectFormat(bytes.subarray(0, DETECT_HEAD_BYTES), bytes.length, path.basename(file))
  assert.ok(info !== null, `${file} detected`)
  assert.equal(info.format, 'postgresql')
  assert.equal(info.pagesize, 8192)
  assert.equal(info.details.checksums, true)
  const pages: DecodedPage[] = []
  for (let pgno = 0; pgno < bytes.length / info.pagesize; pgno++) pages.push(postgresql.decode(bytes.subarray(pgno * info.pagesize, (pgno + 1) * info.pagesize), pgno, info))
  return {file: bytes, info, pages}
}

/** readRelation -- the first segment file of relation `name`, read and decoded. */
export function readRelation(server: PostgresServer, name: string): Relation {
  return readFile(server.relationFile(name))
}

/** blocks -- the block numbers of relation `name`, as SQL: `generate_series(0, its last block) b`. */
export function blocks(name: string): string {
  return `generate_series(0, pg_relation_size('${name}') / 8192 - 1) b`
}

/** comparePageHeader -- block `blkno`'s header against page_header's row, its checksum against page_checksum's, verified, and no problem. */
export function comparePageHeader(rel: Relation, blkno: number, theirs: Row, checksum: number): void {
  const mine = rel.pages[blkno]!
  const where = `block ${blkno}`
  assert.equal(value(mine.fields, 'pd_lsn'), theirs.lsn, `${where} pd_lsn`)
  assert.equal(value(mine.fields, 'pd_flags'), theirs.flags, `${where} pd_flags`)
  assert.equal(value(mine.fields, 'pd_lower'), theirs.lower, `${where} pd_lower`)
  assert.equal(value(mine.fields, 'pd_upper'), theirs.upper, `${where} pd_upper`)
  assert.equal(value(mine.fields, 'pd_special'), theirs.special, `${where} pd_special`)
  const version = value(mine.fields, 'pd_pagesize_version') as number
  assert.deepEqual([version & 0xff00, version & 0xff], [theirs.pagesize, theirs.version], `${where} pd_pagesize_version`)
  assert.equal(value(mine.fields, 'pd_prune_xid'), Number(theirs.prune_xid), `${where} pd_prune_xid`)
  // the page as the file has it carries the checksum the server computed when it wrote it
  assert.equal(value(mine.fields, 'pd_checksum'), checksum, `${where} pd_checksum is page_checksum()`)
  assert.equal(field(mine.fields, 'pd_checksum')?.meaning, `verified (block ${blkno})`)
  assert.deepEqual(mine.problems, [], where)
}

/** pageChecksums -- page_checksum() of every block of relation `name`, as the uint16 pd_checksum holds it. */
export function pageChecksums(server: PostgresServer, name: string): number[] {
  // page_checksum() is a smallint: its negative values are the upper half of pd_checksum's uint16
  return server.json<{c: number}>(`SELECT page_checksum(get_raw_page('${name}', b), b) AS c FROM ${blocks(name)} ORDER BY b`).map((r) => r.c & 0xffff)
}

/** pageHeaders -- page_header() of every block of relation `name`, with its block number `b`. */
export function pageHeaders(server: PostgresServer, name: string): Row[] {
  return server.json(`SELECT b, h.* FROM ${blocks(name)}, page_header(get_raw_page('${name}', b)) h ORDER BY b`)
}

/**
 * assertDamagedPagesInPage -- fast-check: in one of `rels` (real relation files of 8 KiB pages),
 * up to 30 random bytes changed, every changed page decodes without throwing, inside its page.
 */
export function assertDamagedPagesInPage(rels: readonly Relation[], numRuns: number): void {
  fc.assert(
    fc.property(fc.integer({min: 0, max: rels.length - 1}), fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 30}), (which, changes) => {
      const rel = rels[which]!
      const buf = Buffer.from(rel.file)
      for (const [at, byte] of changes) buf[at % buf.length] = byte
      for (const [at] of changes) {
        const pgno = Math.floor((at % buf.length) / 8192)
        assertDecodedInPage(postgresql.decode(buf.subarray(pgno * 8192, (pgno + 1) * 8192), pgno, rel.info), 8192)
      }
    }),
    {numRuns},
  )
}
