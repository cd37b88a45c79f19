/*
 * PostgreSQL pages: mpool's decode of a real server's relation files, compared field by field
 * with pageinspect (page_header, heap_page_items, bt_metap, bt_page_stats, bt_page_items,
 * page_checksum) on the same pages.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {pgChecksumPage} from '../../src/formats/postgresql/checksum.js'
import {postgresql} from '../../src/formats/postgresql/index.js'
import type {DecodedItem} from '../../src/formats/types.js'
import {assertDecodedInPage} from '../helpers/page-bounds.js'
import {bytesOf, comparePageHeader, field, pageChecksums, pageHeaders, readRelation, type Relation, type Row, value} from '../helpers/pg-pages.js'
import {PostgresServer} from '../helpers/postgres.js'
import {CliSandbox} from '../helpers/cli.js'

function compareHeapItem(rel: Relation, blkno: number, mine: DecodedItem | undefined, theirs: Row): void {
  const where = `block ${blkno} lp ${String(theirs.lp)}`
  assert.ok(mine !== undefined, `${where} missing`)
  for (const name of ['lp_off', 'lp_flags', 'lp_len']) assert.equal(value(mine.fields, name), theirs[name], `${where} ${name}`)
  if (theirs.t_xmin === null) {
    assert.equal(field(mine.fields, 't_xmin'), undefined, `${where}: no tuple header`)
    return
  }
  for (const name of ['t_xmin', 't_xmax', 't_field3']) assert.equal(value(mine.fields, name), Number(theirs[name]), `${where} ${name}`)
  for (const name of ['t_ctid', 't_infomask2', 't_infomask', 't_hoff']) assert.equal(value(mine.fields, name), theirs[name], `${where} ${name}`)
  assert.equal(value(mine.fields, 't_bits') ?? null, theirs.t_bits, `${where} t_bits`)
  const data = String(theirs.t_data).slice(2)
  if (data === '') assert.equal(field(mine.fields, 't_data'), undefined)
  else assert.equal(bytesOf(rel.file, field(mine.fields, 't_data')).toString('hex'), data, `${where} t_data`)
}

function compareIndexItem(rel: Relation, blkno: number, mine: DecodedItem | undefined, theirs: Row): void {
  const where = `block ${blkno} item ${String(theirs.itemoffset)}`
  assert.ok(mine !== undefined, `${where} missing`)
  assert.equal(mine.index, theirs.itemoffset)
  assert.equal(value(mine.fields, 't_tid'), theirs.ctid, `${where} ctid`)
  assert.equal(value(mine.fields, 'lp_len'), theirs.itemlen, `${where} itemlen`)
  const info = value(mine.fields, 't_info') as number
  assert.equal((info & 0x8000) !== 0, theirs.nulls, `${where} nulls`)
  assert.equal((info & 0x4000) !== 0, theirs.vars, `${where} vars`)
  const data = field(mine.fields, 'data')
  assert.equal(data === undefined ? '' : Array.from(bytesOf(rel.file, data), (b) => b.toString(16).padStart(2, '0')).join(' '), theirs.data, `${where} data`)
  if (Array.isArray(theirs.tids)) {
    const tids = field(mine.fields, 'tids')
    assert.equal(tids?.length, theirs.tids.length * 6, `${where} tids`)
    assert.deepEqual(tids?.value, (theirs.tids as string[]).slice(0, 16), `${where} tids`)
  }
  if (theirs.dead !== null) assert.equal(value(mine.fields, 'lp_flags') === 3, theirs.dead, `${where} dead`)
}

describe('PostgreSQL pages, against pageinspect on a real server', function () {
  this.timeout(120_000)
  let server: PostgresServer
  const checksums = new Map<string, number[]>()

  before(() => {
    server = PostgresServer.start()
    assert.equal(server.sql('SHOW data_checksums;'), 'on')
    server.sql(`
      CREATE EXTENSION pageinspect;
      CREATE TABLE t (id int PRIMARY KEY, name text, note text);
      INSERT INTO t SELECT i, 'name ' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('x', i % 60) END FROM generate_series(1, 4000) i;
      CREATE INDEX t_note ON t (note);
      DELETE FROM t WHERE id % 7 = 0;
      UPDATE t SET note = 'updated' WHERE id % 50 = 0;
      VACUUM t;
      UPDATE t SET name = 'renamed' WHERE id % 97 = 0;
      DELETE FROM t WHERE id % 89 = 0;
      CHECKPOINT;`)
    for (const relation of ['t', 't_pkey', 't_note']) checksums.set(relation, pageChecksums(server, relation))
  })

  after(() => server?.stop())

  it('decodes every heap page of a table as page_header and heap_page_items do, checksums verified', () => {
    const rel = readRelation(server, 't')
    const headers = pageHeaders(server, 't')
    assert.equal(headers.length, rel.pages.length)
    headers.forEach((h) => comparePageHeader(rel, h.b as number, h, checksums.get('t')![h.b as number]!))
    const items = server.json(`SELECT b, i.* FROM generate_series(0, pg_relation_size('t') / 8192 - 1) b, heap_page_items(get_raw_page('t', b)) i ORDER BY b, lp`)
    let tuples = 0
    for (const item of items) {
      const blkno = item.b as number
      compareHeapItem(rel, blkno, rel.pages[blkno]!.items.find((i) => i.index === item.lp), item)
      if (item.t_xmin !== null) tuples++
    }
    assert.equal(items.length, rel.pages.reduce((n, p) => n + p.items.length, 0))
    assert.ok(tuples > 3000)
    assert.ok(items.some((i) => i.lp_flags !== 1), 'the vacuum left unused or redirected line pointers to compare')
    assert.ok(items.some((i) => i.t_bits !== null), 'some tuples have a null bitmap')
    for (const page of rel.pages) assert.equal(page.kind, 'heap')
  })

  for (const index of ['t_pkey', 't_note']) {
    it(`decodes every page of the btree index ${index} as bt_metap, bt_page_stats and bt_page_items do`, () => {
      const rel = readRelation(server, index)
      const meta = server.json(`SELECT * FROM bt_metap('${index}')`)[0]!
      const mine = rel.pages[0]!
      assert.equal(mine.kind, 'btree-meta')
      for (const name of ['magic', 'version', 'root', 'level', 'fastroot', 'fastlevel', 'last_cleanup_num_delpages']) assert.equal(value(mine.fields, `btm_${name}`), meta[name], name)
      assert.equal(value(mine.fields, 'btm_last_cleanup_num_heap_tuples'), meta.last_cleanup_num_tuples)
      assert.equal(value(mine.fields, 'btm_allequalimage'), meta.allequalimage)
      const headers = pageHeaders(server, index)
      headers.forEach((h) => comparePageHeader(rel, h.b as number, h, checksums.get(index)![h.b as number]!))
      const stats = server.json(`SELECT s.* FROM generate_series(1, pg_relation_size('${index}') / 8192 - 1) b, bt_page_stats('${index}', b::int) s ORDER BY b`)
      const kinds = new Set<string>()
      for (const s of stats) {
        const page = rel.pages[s.blkno as number]!
        for (const name of ['btpo_prev', 'btpo_next', 'btpo_level', 'btpo_flags']) assert.equal(value(page.fields, name), s[name], `block ${String(s.blkno)} ${name}`)
        assert.equal(page.kind, s.type === 'd' ? 'free' : s.btpo_level === 0 ? 'btree-leaf' : 'btree-internal', `block ${String(s.blkno)} kind`)
        kinds.add(page.kind)
      }
      assert.deepEqual([...kinds].sort(), ['btree-internal', 'btree-leaf'])
      const items = server.json(`SELECT b, i.* FROM generate_series(1, pg_relation_size('${index}') / 8192 - 1) b, bt_page_items('${index}', b::int) i ORDER BY b, itemoffset`)
      for (const item of items) compareIndexItem(rel, item.b as number, rel.pages[item.b as number]!.items.find((i) => i.index === item.itemoffset), item)
      assert.equal(items.length, rel.pages.reduce((n, p) => n + p.items.length, 0))
      const map = postgresql.map((pgno) => rel.file.subarray(pgno * 8192, (pgno + 1) * 8192), rel.pages.length, rel.info)
      assert.deepEqual(map.pages.map((p) => p.kind), rel.pages.map((p) => p.kind))
    })
  }

  it('maps and decodes a relation file with the CLI (map --file, dump --file --decode) as the decoder does, at the detected page size', async () => {
    const box = new CliSandbox('mpool-pg-cli-')
    try {
      const path = server.relationFile('t_pkey')
      const rel = readRelation(server, 't_pkey')
      const map = JSON.parse((await box.run(['map', '--file', path, '--json'])).stdout) as {format: string; pagesize: number; pages: Array<{kind: string}>}
      assert.deepEqual([map.format, map.pagesize], ['postgresql', 8192])
      assert.deepEqual(map.pages.map((p) => p.kind), rel.pages.map((p) => p.kind))
      const dumped = await box.run(['dump', '1', '--file', path, '--decode', '--json'])
      assert.equal(dumped.status, 0, dumped.stderr)
      assert.deepEqual(JSON.parse(dumped.stdout), rel.pages[1])
    } finally {
      await box.cleanup()
    }
  })

  it('names a page whose checksum does not match, and computes what PostgreSQL computes', () => {
    const rel = readRelation(server, 't')
    const page = Buffer.from(rel.file.subarray(8192, 16384))
    assert.equal(pgChecksumPage(page, 1), checksums.get('t')![1])
    page[8000] = page[8000]! ^ 0xff
    const decoded = postgresql.decode(page, 1, rel.info)
    const problem = decoded.problems.find((p) => p.message.startsWith('pd_checksum'))
    assert.ok(problem !== undefined, JSON.stringify(decoded.problems))
    assert.equal(problem.offset, 8192 + 8)
    assert.match(field(decoded.fields, 'pd_checksum')!.meaning!, /^expected \d+ for block 1$/)
  })

  it('never throws, never leaves its page, on random bytes or real pages with random bytes changed (fast-check)', () => {
    const rels = ['t', 't_pkey', 't_note'].map((name) => readRelation(server, name))
    const info = rels[0]!.info
    fc.assert(
      fc.property(fc.uint8Array({minLength: 8192, maxLength: 8192}), fc.integer({min: 0, max: 50}), (raw, pgno) => {
        const page = Buffer.from(raw)
        page.writeUInt16LE(0x2004, 18)
        assertDecodedInPage(postgresql.decode(page, pgno, info), 8192)
      }),
      {numRuns: 300},
    )
    fc.assert(
      fc.property(fc.integer({min: 0, max: 2}), fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 30}), (which, changes) => {
        const rel = rels[which]!
        const buf = Buffer.from(rel.file)
        for (const [at, byte] of changes) buf[at % buf.length] = byte
        const npages = buf.length / 8192
        assert.equal(postgresql.map((pgno) => buf.subarray(pgno * 8192, (pgno + 1) * 8192), npages, info).pages.length, npages)
        for (const [at] of changes) {
          const pgno = Math.floor((at % buf.length) / 8192)
          assertDecodedInPage(postgresql.decode(buf.subarray(pgno * 8192, (pgno + 1) * 8192), pgno, info), 8192)
        }
      }),
      {numRuns: 300},
    )
  })
})
