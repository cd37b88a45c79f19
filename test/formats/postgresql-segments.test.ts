/*
 * A PostgreSQL relation larger than one 1 GiB segment, made for real: its second segment file
 * (RELFILENODE.1) holds blocks 131072.., whose checksums mix in those block numbers. mpool takes
 * the segment from the file's name, with --file and over a pool, and verifies each checksum as
 * the block the server wrote, compared with page_checksum() and page_header() on the same blocks.
 *
 * Vacuumed at the end, the same relation's visibility map is five pages long (32672 heap blocks a
 * page), decoded block for block as pg_visibility_map gives it.
 *
 * The relation is made in one transaction under wal_level=minimal (CREATE TABLE, then an INSERT
 * of 131076 rows of 8100 uncompressed bytes, one a page), so the server writes it straight to its
 * files without WAL: about 1 GiB of writes, some seconds.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type {DecodedPage, PageMap} from '../../src/formats/types.js'
import {CliSandbox} from '../helpers/cli.js'
import {field, readFile, type Relation, value} from '../helpers/pg-pages.js'
import {PostgresServer} from '../helpers/postgres.js'

/** Blocks per 1 GiB segment at 8 KiB pages (RELSEG_SIZE). */
const SEGMENT_BLOCKS = 131072
/** Blocks of the relation in its second segment. */
const SECOND = 4
/** Heap blocks one 8 KiB visibility map page covers: (8192 - 24) bytes, 4 blocks a byte (visibilitymap.c HEAPBLOCKS_PER_PAGE). */
const HEAP_BLOCKS_PER_VM_PAGE = (8192 - 24) * 4

describe('PostgreSQL checksums in a relation\'s second 1 GiB segment, on a real server', function () {
  this.timeout(300_000)
  let server: PostgresServer
  let segment: string
  let rel: Relation
  const box = new CliSandbox('mpool-pg-seg-')

  before(() => {
    server = PostgresServer.start({wal_level: 'minimal', max_wal_senders: 0})
    server.sql(`
      CREATE EXTENSION pageinspect;
      BEGIN;
      CREATE TABLE big (v text);
      ALTER TABLE big ALTER v SET STORAGE PLAIN;
      INSERT INTO big SELECT repeat(chr(65 + i % 26), 8100) FROM generate_series(1, ${SEGMENT_BLOCKS + SECOND}) i;
      COMMIT;
      CHECKPOINT;`)
    assert.equal(Number(server.sql(`SELECT pg_relation_size('big') / 8192;`)), SEGMENT_BLOCKS + SECOND)
    segment = `${server.relationFile('big')}.1`
    rel = readFile(segment)
  })

  after(async () => {
    await box.cleanup()
    server?.stop()
  })

  it('takes the segment from the file name RELFILENODE.1 and verifies each checksum as the block the server wrote, as page_checksum() does', () => {
    assert.equal(rel.info.firstPage, SEGMENT_BLOCKS)
    assert.deepEqual([rel.info.details.segment, rel.info.details.segmentNamed], [1, true])
    assert.equal(rel.pages.length, SECOND)
    const theirs = server.json(`SELECT b, page_checksum(get_raw_page('big', b), b) & 65535 AS checksum, h.lsn, h.lower, h.upper FROM generate_series(${SEGMENT_BLOCKS}, ${SEGMENT_BLOCKS + SECOND - 1}) b, page_header(get_raw_page('big', b)) h ORDER BY b`)
    assert.equal(theirs.length, SECOND)
    for (const [pgno, page] of rel.pages.entries()) {
      const row = theirs[pgno]!
      assert.equal(page.page, row.b)
      assert.equal(page.pgno, pgno)
      assert.equal(value(page.fields, 'pd_checksum'), row.checksum, `block ${String(row.b)}`)
      assert.equal(field(page.fields, 'pd_checksum')?.meaning, `verified (block ${String(row.b)})`)
      assert.deepEqual([value(page.fields, 'pd_lsn'), value(page.fields, 'pd_lower'), value(page.fields, 'pd_upper')], [row.lsn, row.lower, row.upper])
      assert.deepEqual(page.problems, [])
    }
    const ctids = server.json<{t_ctid: string}>(`SELECT t_ctid FROM heap_page_items(get_raw_page('big', ${SEGMENT_BLOCKS})) ORDER BY lp`)
    assert.deepEqual(rel.pages[0]!.items.map((i) => value(i.fields, 't_ctid')), ctids.map((r) => r.t_ctid))
  })

  it('under another name the same pages are taken as a first segment, and every checksum fails, saying why', () => {
    const copy = box.path('copied-segment')
    fs.copyFileSync(segment, copy)
    const renamed = readFile(copy)
    assert.equal(renamed.info.firstPage, 0)
    for (const [pgno, page] of renamed.pages.entries()) {
      assert.equal(page.page, pgno)
      assert.equal(page.problems.length, 1)
      assert.match(page.problems[0]!.message, new RegExp(`^pd_checksum is ${String(value(page.fields, 'pd_checksum'))} but the page's checksum as block ${pgno} is \\d+ \\(or, if the file is a later 1 GiB segment of its relation, its name is not PostgreSQL's RELFILENODE\\.N`))
    }
  })

  it('names blocks by the relation\'s numbers in the CLI: dump --file, --page, map --file, and over a pool', async () => {
    const dumped = await box.run(['dump', '0', '--file', segment, '--decode', '--json'])
    assert.equal(dumped.status, 0, dumped.stderr)
    assert.deepEqual(JSON.parse(dumped.stdout) as DecodedPage, rel.pages[0])
    const text = await box.run(['dump', '--page', String(SEGMENT_BLOCKS + 1), '--file', segment, '--decode'], {env: {NO_COLOR: '1'}})
    assert.equal(text.status, 0, text.stderr)
    assert.match(text.stdout, new RegExp(`^pgno 1 = PostgreSQL page ${SEGMENT_BLOCKS + 1} at offset 8192 `, 'm'))
    assert.match(text.stdout, new RegExp(`pd_checksum +\\d+ +verified \\(block ${SEGMENT_BLOCKS + 1}\\)`))
    const past = await box.run(['dump', '--page', '3', '--file', segment])
    assert.equal(past.status, 2, 'a block of the first segment is not in this file')
    assert.match(past.stderr, new RegExp(`^mpool dump: --page 3: PostgreSQL pages count from ${SEGMENT_BLOCKS} `))
    const map = JSON.parse((await box.run(['map', '--file', segment, '--json'])).stdout) as PageMap
    assert.deepEqual(map.pages.map((p) => [p.page, p.pgno, p.kind]), rel.pages.map((p) => [p.page, p.pgno, 'heap']))
    assert.equal((await box.run(['open', segment, '--key', 'seg'])).status, 0)
    const pooled = await box.run(['dump', '2', '--decode', '--json', '--key', 'seg'])
    assert.equal(pooled.status, 0, pooled.stderr)
    assert.deepEqual(JSON.parse(pooled.stdout) as DecodedPage, rel.pages[2])
    assert.equal((await box.run(['close', '--key', 'seg'])).status, 0)
  })

  // Last: it vacuums the table, which rewrites the pages the tests above read.
  it("decodes a visibility map of several pages (its 131076 heap blocks) bit for bit as pg_visibility_map gives each block", () => {
    // VACUUM sets every block all-visible; the deletes after it clear three blocks, on VM pages 1, 2 and 3
    const cleared = [40000, 70001, 100002]
    server.sql(`
      CREATE EXTENSION pg_visibility;
      VACUUM big;
      DELETE FROM big WHERE (ctid::text::point)[0] IN (${cleared.join(', ')});
      CHECKPOINT;`)
    const vm = readFile(`${server.relationFile('big')}_vm`)
    assert.equal(vm.pages.length, Math.ceil((SEGMENT_BLOCKS + SECOND) / HEAP_BLOCKS_PER_VM_PAGE))
    const visible = new Set<number>()
    const frozen = new Set<number>()
    for (const [pgno, page] of vm.pages.entries()) {
      assert.equal(page.kind, 'vm')
      assert.deepEqual(page.problems, [], `VM page ${pgno}`)
      for (const item of page.items) {
        for (const b of value(item.fields, 'all_visible') as number[]) visible.add(b)
        for (const b of value(item.fields, 'all_frozen') as number[]) frozen.add(b)
      }
    }
    const theirs = server.json<{blkno: number; all_visible: boolean; all_frozen: boolean}>(`SELECT blkno, all_visible, all_frozen FROM pg_visibility_map('big')`)
    assert.equal(theirs.length, SEGMENT_BLOCKS + SECOND)
    const wrong = theirs.filter((t) => visible.has(t.blkno) !== t.all_visible || frozen.has(t.blkno) !== t.all_frozen)
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} heap blocks decoded otherwise than pg_visibility_map`)
    assert.deepEqual(theirs.filter((t) => !t.all_visible).map((t) => t.blkno), cleared)
  })
})
