/*
 * PostgreSQL index pages other than btree -- hash, GiST, GIN, SP-GiST and BRIN -- in a real
 * server's relation files: each page's kind, special space, metapage and items compared with
 * pageinspect (hash_page_type, hash_page_stats, hash_page_items, hash_metapage_info,
 * gist_page_opaque_info, gist_page_items_bytea, gin_page_opaque_info, gin_metapage_info,
 * gin_leafpage_items, brin_page_type, brin_metapage_info, brin_revmap_data, brin_page_items),
 * and, for SP-GiST, which pageinspect does not read, with the heap: every row has one live leaf
 * tuple pointing at it.
 */
import assert from 'node:assert/strict'
import {postgresql} from '../../src/formats/postgresql/index.js'
import type {DecodedItem, DecodedPage} from '../../src/formats/types.js'
import {assertDamagedPagesInPage, blocks, bytesOf, comparePageHeader, field, pageChecksums, pageHeaders, readRelation, type Relation, value} from '../helpers/pg-pages.js'
import {PostgresServer} from '../helpers/postgres.js'

/** The indexes made, by access method. */
const INDEXES = ['am_hash', 'am_gist', 'am_gin', 'am_spgist', 'am_brin'] as const

/** flagWords -- a flags field's names as pageinspect prints them: F_LEAF|F_TUPLES_DELETED -> {leaf,tuples_deleted}. */
function flagWords(page: DecodedPage, name: string, prefix: RegExp): string[] {
  const meaning = field(page.fields, name)?.meaning
  return meaning === undefined ? [] : meaning.split('|').map((f) => f.replace(prefix, '').toLowerCase())
}

function kinds(rel: Relation): Set<string> {
  return new Set(rel.pages.map((p) => p.kind))
}

/** itemAt -- the item of page `blkno` numbered `index`. */
function itemAt(rel: Relation, blkno: number, index: unknown): DecodedItem {
  const item = rel.pages[blkno]!.items.find((i) => i.index === index)
  assert.ok(item !== undefined, `block ${blkno} item ${String(index)} missing`)
  return item
}

describe('PostgreSQL hash, GiST, GIN, SP-GiST and BRIN index pages, against pageinspect on a real server', function () {
  this.timeout(180_000)
  let server: PostgresServer
  const rels = new Map<string, Relation>()

  before(() => {
    server = PostgresServer.start()
    server.sql(`
      CREATE EXTENSION pageinspect;
      CREATE TABLE am (id int, name text, p point, tags text[]);
      INSERT INTO am SELECT i, CASE WHEN i % 97 = 0 THEN NULL ELSE 'name ' || (i % 700) END, point(i % 150, i / 150),
        ARRAY['common', 't' || (i % 40), 'u' || i] FROM generate_series(1, 20000) i;
      CREATE INDEX am_hash ON am USING hash (name);
      CREATE INDEX am_gist ON am USING gist (p);
      CREATE INDEX am_gin ON am USING gin (tags);
      CREATE INDEX am_spgist ON am USING spgist (name);
      CREATE INDEX am_brin ON am USING brin (id) WITH (pages_per_range = 2);
      -- after the build: GIN's fast update puts these on its pending list, and hash splits buckets
      INSERT INTO am SELECT i, 'late ' || (i % 50), point(i % 150, i / 150), ARRAY['late', 't' || (i % 40)] FROM generate_series(20001, 24000) i;
      CHECKPOINT;`)
    for (const index of INDEXES) {
      const rel = readRelation(server, index)
      rels.set(index, rel)
      // every page's header as page_header sees it, and its checksum as page_checksum computes it
      const checksums = pageChecksums(server, index)
      for (const h of pageHeaders(server, index)) {
        const blkno = h.b as number
        if (rel.pages[blkno]!.fields.length > 0) comparePageHeader(rel, blkno, h, checksums[blkno]!)
      }
    }
  })

  after(() => server?.stop())

  it('names each hash page as hash_page_type does, and decodes its special space, tuples and metapage as hash_page_stats, hash_page_items and hash_metapage_info do', () => {
    const rel = rels.get('am_hash')!
    const KIND: Record<string, string> = {metapage: 'hash-meta', bucket: 'hash-bucket', overflow: 'hash-overflow', bitmap: 'hash-bitmap', unused: 'free'}
    const types = server.json<{b: number; type: string}>(`SELECT b, hash_page_type(get_raw_page('am_hash', b)) AS type FROM ${blocks('am_hash')} ORDER BY b`)
    for (const {b, type} of types) assert.equal(rel.pages[b]!.kind, KIND[type], `block ${b}`)
    assert.deepEqual([...kinds(rel)].sort(), ['hash-bitmap', 'hash-bucket', 'hash-meta', 'hash-overflow'])
    const paged = types.filter((t) => t.type === 'bucket' || t.type === 'overflow').map((t) => t.b)
    const stats = server.json(`SELECT b, s.* FROM unnest(ARRAY[${paged.join(',')}]) b, hash_page_stats(get_raw_page('am_hash', b)) s ORDER BY b`)
    for (const s of stats) {
      const page = rel.pages[s.b as number]!
      for (const name of ['hasho_prevblkno', 'hasho_nextblkno', 'hasho_bucket', 'hasho_flag', 'hasho_page_id']) assert.equal(value(page.fields, name), Number(s[name]), `block ${String(s.b)} ${name}`)
      assert.equal(page.items.filter((i) => value(i.fields, 'lp_flags') === 1).length, s.live_items, `block ${String(s.b)} live items`)
      assert.equal(page.items.filter((i) => value(i.fields, 'lp_flags') === 3).length, s.dead_items, `block ${String(s.b)} dead items`)
    }
    const items = server.json(`SELECT b, i.* FROM unnest(ARRAY[${paged.join(',')}]) b, hash_page_items(get_raw_page('am_hash', b)) i ORDER BY b, itemoffset`)
    for (const theirs of items) {
      const mine = itemAt(rel, theirs.b as number, theirs.itemoffset)
      assert.equal(value(mine.fields, 't_tid'), theirs.ctid)
      assert.equal(field(mine.fields, 'data')?.meaning, `hash code ${String(theirs.data)}`)
    }
    assert.equal(items.length, paged.reduce((n, b) => n + rel.pages[b]!.items.length, 0))
    const meta = server.json(`SELECT * FROM hash_metapage_info(get_raw_page('am_hash', 0))`)[0]!
    const page = rel.pages[0]!
    for (const name of ['magic', 'version', 'ntuples', 'ffactor', 'bsize', 'bmsize', 'bmshift', 'maxbucket', 'highmask', 'lowmask', 'ovflpoint', 'firstfree', 'nmaps', 'procid']) {
      assert.equal(value(page.fields, `hashm_${name}`), Number(meta[name]), name)
    }
    assert.deepEqual(value(page.fields, 'hashm_spares'), (meta.spares as number[]).map(Number))
    assert.deepEqual(value(page.fields, 'hashm_mapp'), (meta.mapp as number[]).slice(0, meta.nmaps as number).map(Number))
    // the bitmap is hashm_bmsize bytes, with the bit hash_bitmap_info names set for every overflow page in use
    const bitmap = rel.pages.find((p) => p.kind === 'hash-bitmap')!
    const bits = bytesOf(rel.file, field(bitmap.fields, 'bitmap'))
    assert.equal(bits.length, meta.bmsize)
    const overflow = types.filter((t) => t.type === 'overflow').map((t) => t.b)
    const status = server.json<{bit: number; set: boolean}>(`SELECT i.bitmapbit AS bit, i.bitstatus AS set FROM unnest(ARRAY[${overflow.join(',')}]) b, hash_bitmap_info('am_hash', b) i`)
    assert.equal(status.length, overflow.length)
    for (const {bit, set} of status) assert.equal(((bits[bit >> 3]! >> (bit & 7)) & 1) === 1, set, `bit ${bit}`)
    assert.equal(value(bitmap.fields, 'bitmap'), 0, 'no overflow page was given back')
  })

  it('names each GiST page by gist_page_opaque_info flags, and decodes its special space and tuples as gist_page_items_bytea does', () => {
    const rel = rels.get('am_gist')!
    const opaque = server.json(`SELECT b, o.* FROM ${blocks('am_gist')}, gist_page_opaque_info(get_raw_page('am_gist', b)) o ORDER BY b`)
    for (const o of opaque) {
      const page = rel.pages[o.b as number]!
      const flags = o.flags as string[]
      assert.equal(page.kind, flags.includes('deleted') ? 'free' : flags.includes('leaf') ? 'gist-leaf' : 'gist-internal', `block ${String(o.b)}`)
      assert.equal(value(page.fields, 'nsn'), o.nsn)
      assert.equal(value(page.fields, 'rightlink'), Number(o.rightlink))
      assert.deepEqual(flagWords(page, 'flags', /^F_/), flags, `block ${String(o.b)} flags`)
    }
    assert.deepEqual([...kinds(rel)].sort(), ['gist-internal', 'gist-leaf'])
    const items = server.json(`SELECT b, i.* FROM ${blocks('am_gist')}, gist_page_items_bytea(get_raw_page('am_gist', b)) i ORDER BY b, itemoffset`)
    for (const theirs of items) {
      const mine = itemAt(rel, theirs.b as number, theirs.itemoffset)
      assert.equal(value(mine.fields, 't_tid'), theirs.ctid)
      assert.equal(mine.length, theirs.itemlen)
      assert.equal(value(mine.fields, 'lp_flags') === 3, theirs.dead)
      // key_data is the whole tuple; mpool's data is its key, after t_tid and t_info
      assert.equal(`\\x${rel.file.subarray(mine.offset, mine.offset + mine.length).toString('hex')}`, theirs.key_data)
      assert.equal(bytesOf(rel.file, field(mine.fields, 'data')).toString('hex'), String(theirs.key_data).slice(2 + 16))
    }
    assert.equal(items.length, rel.pages.reduce((n, p) => n + p.items.length, 0))
  })

  it('names each GIN page by gin_page_opaque_info flags, and decodes its metapage and posting lists as gin_metapage_info and gin_leafpage_items do', () => {
    const rel = rels.get('am_gin')!
    const opaque = server.json(`SELECT b, o.* FROM ${blocks('am_gin')}, gin_page_opaque_info(get_raw_page('am_gin', b)) o ORDER BY b`)
    for (const o of opaque) {
      const page = rel.pages[o.b as number]!
      const flags = o.flags as string[]
      const has = (flag: string) => flags.includes(flag)
      const kind = has('meta') ? 'gin-meta' : has('deleted') ? 'free' : has('list') ? 'gin-pending' : `gin-${has('data') ? 'data' : 'entry'}-${has('leaf') ? 'leaf' : 'internal'}`
      assert.equal(page.kind, kind, `block ${String(o.b)}`)
      assert.equal(value(page.fields, 'rightlink'), Number(o.rightlink))
      assert.equal(value(page.fields, 'maxoff'), o.maxoff)
      assert.deepEqual(flagWords(page, 'flags', /^GIN_/), flags, `block ${String(o.b)} flags`)
      if (kind === 'gin-data-internal') assert.equal(page.items.length, o.maxoff, `block ${String(o.b)} PostingItems`)
    }
    assert.deepEqual([...kinds(rel)].sort(), ['gin-data-internal', 'gin-data-leaf', 'gin-entry-internal', 'gin-entry-leaf', 'gin-meta', 'gin-pending'])
    const meta = server.json(`SELECT * FROM gin_metapage_info(get_raw_page('am_gin', 0))`)[0]!
    const names: Record<string, string> = {pending_head: 'head', pending_tail: 'tail', tail_free_size: 'tailFreeSize', n_pending_pages: 'nPendingPages', n_total_pages: 'nTotalPages', n_entry_pages: 'nEntryPages', n_data_pages: 'nDataPages', version: 'ginVersion'}
    for (const [theirs, mine] of Object.entries(names)) assert.equal(value(rel.pages[0]!.fields, mine), Number(meta[theirs]), mine)
    assert.equal(value(rel.pages[0]!.fields, 'nPendingHeapTuples'), String(meta.n_pending_tuples))
    assert.equal(value(rel.pages[0]!.fields, 'nEntries'), String(meta.n_entries))
    assert.ok(Number(meta.n_pending_tuples) > 0, 'the late rows are on the pending list')
    const leaves = rel.pages.filter((p) => p.kind === 'gin-data-leaf').map((p) => p.pgno)
    const segments = server.json(`SELECT b, row_number() OVER (PARTITION BY b) AS n, i.first_tid, i.nbytes, i.tids::text[] AS tids FROM unnest(ARRAY[${leaves.join(',')}]) b, gin_leafpage_items(get_raw_page('am_gin', b)) i`)
    for (const s of segments) {
      const mine = itemAt(rel, s.b as number, s.n)
      assert.equal(value(mine.fields, 'first'), s.first_tid)
      assert.equal(value(mine.fields, 'nbytes'), s.nbytes)
      // the varbyte-encoded TIDs, decoded: the same list, the first included
      assert.deepEqual(value(mine.fields, 'tids'), s.tids, `block ${String(s.b)} segment ${String(s.n)}`)
    }
    assert.ok(segments.reduce((n, s) => n + (s.tids as string[]).length, 0) >= 20000, "the posting tree of 'common' holds a TID of every row built into the index")
    assert.equal(segments.length, leaves.reduce((n, b) => n + rel.pages[b]!.items.length, 0))
    // an entry leaf's tuple for 'common' (every row) points at a posting tree
    assert.ok(rel.pages.some((p) => p.kind === 'gin-entry-leaf' && p.items.some((i) => field(i.fields, 't_tid')?.meaning?.startsWith('GIN_TREE_POSTING'))))
    // each 'u' || id key is one row's: the entry leaves' own posting lists hold the TID of every row built into the index, with t_tid's count of them
    const inEntries = new Set<string>()
    for (const page of rel.pages.filter((p) => p.kind === 'gin-entry-leaf')) {
      for (const item of page.items) {
        const tids = value(item.fields, 'tids') as string[] | undefined
        if (tids === undefined) continue
        assert.equal(tids.length, Number(/^(\d+) heap TIDs/.exec(field(item.fields, 't_tid')!.meaning!)![1]), `block ${page.pgno} item ${item.index}`)
        for (const tid of tids) inEntries.add(tid)
      }
    }
    const built = server.json<{ctid: string}>(`SELECT ctid::text FROM am WHERE id <= 20000`).map((r) => r.ctid)
    assert.deepEqual(built.filter((ctid) => !inEntries.has(ctid)), [])
  })

  it('names each SP-GiST page, and its live leaf tuples point at every row of the table once', () => {
    const rel = rels.get('am_spgist')!
    assert.equal(rel.pages[0]!.kind, 'spgist-meta')
    assert.equal(value(rel.pages[0]!.fields, 'magicNumber'), 0xba0babee)
    // SPGIST_ROOT_BLKNO and SPGIST_NULL_BLKNO: the root of the tree of keys, and of the tree of nulls
    assert.match(field(rel.pages[2]!.fields, 'flags')!.meaning!, /SPGIST_NULLS/)
    assert.deepEqual([...kinds(rel)].sort(), ['spgist-inner', 'spgist-leaf', 'spgist-meta'])
    const heap = new Set(server.json<{ctid: string}>(`SELECT ctid::text FROM am`).map((r) => r.ctid))
    const pointed: string[] = []
    for (const page of rel.pages.filter((p) => p.kind === 'spgist-leaf')) {
      for (const item of page.items) if (value(item.fields, 'tupstate') === 0) pointed.push(value(item.fields, 'heapPtr') as string)
    }
    assert.equal(pointed.length, heap.size, 'one live leaf tuple per row')
    assert.deepEqual(new Set(pointed), heap)
    // an inner tuple's nodes lead to pages of the index
    const inner = rel.pages.find((p) => p.kind === 'spgist-inner')!
    const nodes = inner.items.flatMap((i) => (value(i.fields, 'nodes') as string[] | undefined) ?? [])
    assert.ok(nodes.length > 0)
    for (const tid of nodes) {
      const block = Number(/^\((\d+),/.exec(tid)![1])
      assert.ok(block === 0xffffffff || (block > 0 && block < rel.pages.length), tid)
    }
  })

  it('names each BRIN page as brin_page_type does, and decodes its metapage, revmap and tuples as brin_metapage_info, brin_revmap_data and brin_page_items do', () => {
    const rel = rels.get('am_brin')!
    const types = server.json<{b: number; type: string}>(`SELECT b, brin_page_type(get_raw_page('am_brin', b)) AS type FROM ${blocks('am_brin')} ORDER BY b`)
    for (const {b, type} of types) assert.equal(rel.pages[b]!.kind, `brin-${type}`, `block ${b}`)
    assert.deepEqual([...kinds(rel)].sort(), ['brin-meta', 'brin-regular', 'brin-revmap'])
    const meta = server.json(`SELECT * FROM brin_metapage_info(get_raw_page('am_brin', 0))`)[0]!
    assert.equal(`0x${(value(rel.pages[0]!.fields, 'brinMagic') as number).toString(16).toUpperCase()}`, meta.magic)
    for (const name of ['Version', 'PagesPerRange', 'LastRevmapPage']) assert.equal(value(rel.pages[0]!.fields, name === 'Version' ? 'brinVersion' : name[0]!.toLowerCase() + name.slice(1)), meta[name.toLowerCase()], name)
    for (const {b} of types.filter((t) => t.type === 'revmap')) {
      const tids = server.json<{t: string}>(`SELECT t::text FROM brin_revmap_data(get_raw_page('am_brin', ${b})) t`).map((r) => r.t).filter((t) => t !== '(0,0)')
      assert.deepEqual(rel.pages[b]!.items.map((i) => value(i.fields, 'rm_tids')), tids, `block ${b}`)
      assert.ok(tids.length > 50)
    }
    const regular = types.filter((t) => t.type === 'regular').map((t) => t.b)
    const items = server.json(`SELECT b, i.* FROM unnest(ARRAY[${regular.join(',')}]) b, brin_page_items(get_raw_page('am_brin', b), 'am_brin') i ORDER BY b, itemoffset`)
    for (const theirs of items) {
      const mine = itemAt(rel, theirs.b as number, theirs.itemoffset)
      assert.equal(value(mine.fields, 'bt_blkno'), Number(theirs.blknum))
      assert.equal(/BRIN_PLACEHOLDER_MASK/.test(field(mine.fields, 'bt_info')!.meaning!), theirs.placeholder)
    }
    assert.equal(items.length, regular.reduce((n, b) => n + rel.pages[b]!.items.length, 0))
  })

  it('maps every index page to the kind its decode gives, counting line pointers only where a page keeps them', () => {
    for (const index of INDEXES) {
      const rel = rels.get(index)!
      const map = postgresql.map((pgno) => rel.file.subarray(pgno * 8192, (pgno + 1) * 8192), rel.pages.length, rel.info)
      assert.deepEqual(map.pages.map((p) => p.kind), rel.pages.map((p) => p.kind), index)
      assert.deepEqual(map.pages.filter((p) => p.owner !== null), [], `${index}: a relation file names no owner`)
      for (const [i, entry] of map.pages.entries()) {
        const withoutItems = /-meta$|^hash-bitmap$|^gin-data-|^brin-revmap$/.test(entry.kind)
        if (withoutItems) assert.equal(entry.cells, null, `${index} block ${i}`)
        else if (entry.kind !== 'free') assert.equal(entry.cells, rel.pages[i]!.items.length, `${index} block ${i}`)
      }
    }
  })

  it('never throws, never leaves its page, on real index pages of every access method with random bytes changed (fast-check)', () => {
    assertDamagedPagesInPage(INDEXES.map((index) => rels.get(index)!), 400)
  })
})
