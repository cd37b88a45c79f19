import assert from 'node:assert/strict'
import fs from 'node:fs'
import fc from 'fast-check'
import {berkeleydb} from '../../src/formats/berkeleydb/index.js'
import {DETECT_HEAD_BYTES, detectFormat} from '../../src/formats/index.js'
import {subdatabaseOwners} from '../../src/formats/berkeleydb/owners.js'
import type {DecodedField, DecodedItem, DecodedPage, FormatInfo, PageProblem} from '../../src/formats/types.js'
import {dbDump, dbLoad, dbStat, type DumpItem, type DumpPage} from '../helpers/db-dump.js'
import {assertDecodedInPage} from '../helpers/page-bounds.js'
import {TmpDir} from '../helpers/tmp.js'

/** Keys and values for db_load -T: short ones, and every 37th value long enough to overflow a page. */
function records(count: number, pagesize: number): string[] {
  const lines: string[] = []
  for (let i = 1; i <= count; i++) {
    lines.push(`key${i}`)
    lines.push(i % 37 === 0 ? `big${i}-${'y'.repeat(pagesize + 100)}` : `value${i} ${'x'.repeat(i % 41)}`)
  }
  return lines
}

/** The kind mpool gives each of db_dump's page type words. */
const KINDS: Record<string, string> = {
  'btree metadata': 'btree-meta',
  'hash metadata': 'hash-meta',
  'queue metadata': 'queue-meta',
  'btree internal': 'btree-internal',
  'btree leaf': 'btree-leaf',
  'recno internal': 'recno-internal',
  'recno leaf': 'recno-leaf',
  'duplicate leaf': 'duplicate-leaf',
  invalid: 'invalid',
  hash: 'hash',
  overflow: 'overflow',
  queue: 'queue-data',
}

/** db_dump's meta labels and the db_page.h member each shows. */
const META_NAMES: Record<string, string> = {'free list': 'free', keys: 'key_count', records: 'record_count'}

function value(fields: DecodedField[], name: string): unknown {
  return fields.find((f) => f.name === name)?.value
}

function pageOf(file: Buffer, info: FormatInfo, pgno: number): Buffer {
  return file.subarray(pgno * info.pagesize, (pgno + 1) * info.pagesize)
}

function compareMeta(decoded: DecodedPage, dump: DumpPage): number {
  let compared = 0
  for (const [label, expected] of Object.entries(dump.values)) {
    const name = META_NAMES[label] ?? label
    assert.equal(value(decoded.fields, name), expected, `page ${dump.pgno} ${name}`)
    compared++
  }
  assert.equal(value(decoded.fields, 'uid'), dump.uid, `page ${dump.pgno} uid`)
  return compared
}

function compareHeader(decoded: DecodedPage, dump: DumpPage): number {
  const names: Record<string, string> = {prev: 'prev_pgno', next: 'next_pgno', entries: 'entries', offset: 'hf_offset', records: 'prev_pgno', 'ref cnt': 'entries', len: 'hf_offset'}
  let compared = 0
  for (const [label, expected] of Object.entries(dump.values)) {
    if (label === 'records' && !decoded.kind.endsWith('internal')) {
      // RE_NREC: an internal page keeps its record count in prev_pgno; a leaf counts its entries
      const entries = value(decoded.fields, 'entries') as number
      assert.equal(decoded.kind === 'btree-leaf' ? entries / 2 : entries, expected, `page ${dump.pgno} records`)
    } else assert.equal(value(decoded.fields, names[label]!), expected, `page ${dump.pgno} ${label}`)
    compared++
  }
  if (decoded.kind !== 'queue-data') assert.equal(value(decoded.fields, 'level'), dump.level, `page ${dump.pgno} level`)
  return compared
}

/** compareItem -- one item line of db_dump against mpool's item; the numbers it shows must all agree. */
function compareItem(decoded: DecodedPage, base: number, mine: DecodedItem | undefined, theirs: DumpItem): void {
  const where = `page ${decoded.pgno} item ${theirs.index}`
  assert.ok(mine !== undefined, `${where} is missing`)
  assert.equal(mine.offset - base, theirs.offset, `${where} offset`)
  const hash = decoded.kind === 'hash'
  const payload = mine.fields.find((f) => f.region === 'payload')
  for (const [label, expected] of Object.entries(theirs.values)) {
    if (label === 'len' && hash) assert.equal(mine.length - 1, expected, `${where} len`)
    else if (label === 'len' && decoded.kind === 'queue-data') assert.equal(payload?.length, expected, `${where} len`)
    else if (label === 'len' || label === 'pgno') assert.equal(value(mine.fields, label), expected, `${where} ${label}`)
    else if (label === 'type') assert.equal((value(mine.fields, 'type') as number) & 0x7f, expected, `${where} type`)
    else if (label === 'total len') assert.equal(value(mine.fields, 'tlen'), expected, `${where} tlen`)
    else if (label === 'page') assert.equal(value(mine.fields, 'pgno'), expected, `${where} pgno`)
    else if (label === 'entries') assert.equal(value(mine.fields, 'nrecs'), expected, `${where} nrecs`)
    else assert.fail(`${where}: db_dump's ${label} is not compared`)
  }
  if (theirs.offpageDups !== null) assert.equal(value(mine.fields, 'pgno'), theirs.offpageDups, `${where} off-page duplicates`)
  if (theirs.data !== null && payload !== undefined) {
    const shown = String(payload.value).replace(/\.\.$/, '')
    const text = theirs.data.replace(/\.\.\.$/, '')
    assert.ok(text.startsWith(shown) || shown.startsWith(text) || text === Buffer.from(shown, 'latin1').toString('hex'), `${where} data ${JSON.stringify(shown)} vs ${JSON.stringify(text)}`)
  }
}

/** freeList -- the pages on the free list, as db_dump -da shows it: page 0's `free list`, then each page's `next`. */
function freeList(dump: DumpPage[]): Set<number> {
  const free = new Set<number>()
  for (let pgno = dump[0]?.values['free list'] ?? 0; pgno !== 0 && !free.has(pgno); pgno = dump[pgno]?.values.next ?? 0) free.add(pgno)
  return free
}

/** agreeWithDbDump -- decode every page db_dump prints and compare field by field; returns how many pages. In a file of one database, no page has an owner. */
function agreeWithDbDump(path: string, pagesize: number, byteOrder: 'little' | 'big' = 'little', subdatabases = false): number {
  const file = fs.readFileSync(path)
  const info = detectFormat(file.subarray(0, DETECT_HEAD_BYTES), file.length)
  assert.ok(info !== null, 'detected')
  assert.equal(info.format, 'berkeleydb')
  assert.equal(info.source, 'the Berkeley DB meta page')
  assert.equal(info.pagesize, pagesize)
  assert.equal(info.details.byteOrder, byteOrder)
  const dump = dbDump(path)
  assert.ok(dump.length > 0)
  for (const theirs of dump) {
    const bytes = pageOf(file, info, theirs.pgno)
    const decoded = berkeleydb.decode(bytes, theirs.pgno, info)
    const where = `page ${theirs.pgno}`
    assert.deepEqual(decoded.problems, [], where)
    if (bytes.every((byte) => byte === 0)) {
      if (info.details.accessMethod === 'hash') {
        // a hash bucket never written: db_dump shows the empty page Berkeley DB makes of it in memory
        assert.deepEqual([theirs.type, theirs.lsn, theirs.values.entries, theirs.values.offset, theirs.items.length], ['hash', '0/0', 0, info.pagesize, 0], where)
        assert.equal(decoded.kind, 'hash', `${where} kind`)
      } else {
        // a hash subdatabase's bucket never written, in a file whose master is a btree: db_dump -da shows it as the
        // P_INVALID page it is in a little-endian file, and as the empty hash page Berkeley DB makes of it when it swaps a big-endian one
        assert.ok(subdatabases, `${where} is all zeros`)
        assert.deepEqual([theirs.type, theirs.lsn, theirs.items.length], [byteOrder === 'big' ? 'hash' : 'invalid', '0/0', 0], where)
        assert.equal(decoded.kind, 'invalid', `${where} kind`)
      }
      continue
    }
    assert.equal(decoded.kind, KINDS[theirs.type] ?? `db_dump type ${theirs.type}`, `${where} kind`)
    assert.equal(value(decoded.fields, 'lsn'), theirs.lsn, `${where} lsn`)
    assert.equal(value(decoded.fields, 'pgno'), theirs.pgno, `${where} pgno`)
    const compared = theirs.type.endsWith('metadata') ? compareMeta(decoded, theirs) : compareHeader(decoded, theirs)
    if (theirs.type !== 'queue') assert.ok(compared > 0, `${where}: nothing of db_dump's header was compared`)
    const base = theirs.pgno * info.pagesize
    if (theirs.type !== 'overflow' && !theirs.type.endsWith('metadata')) {
      assert.equal(decoded.items.length, theirs.items.length, `${where} item count`)
      for (const item of theirs.items) compareItem(decoded, base, decoded.items.find((i) => i.index === item.index), item)
    }
  }
  const map = berkeleydb.map((pgno) => pageOf(file, info, pgno), Math.floor(file.length / info.pagesize), info)
  assert.deepEqual(map.problems, [])
  const free = freeList(dump)
  for (const theirs of dump) {
    const zero: boolean = pageOf(file, info, theirs.pgno).every((byte) => byte === 0)
    const expected: string | undefined = free.has(theirs.pgno) ? 'free' : zero && info.details.accessMethod !== 'hash' ? 'invalid' : KINDS[theirs.type]
    assert.equal(map.pages[theirs.pgno]!.kind, expected, `map page ${theirs.pgno}`)
  }
  // one unnamed database: no page has an owner
  if (!subdatabases) assert.deepEqual(map.pages.filter((p) => p.owner !== null), [])
  return dump.length
}

describe('Berkeley DB pages', () => {
  const tmp = new TmpDir('mpool-bdb-')
  after(() => tmp.cleanup())

  for (const pagesize of [512, 1024, 4096, 8192, 65536]) {
    it(`decodes every page of a ${pagesize}-byte btree as db_dump -da does, overflow pages too`, () => {
      const file = tmp.path(`btree-${pagesize}.db`)
      dbLoad(file, 'btree', {db_pagesize: pagesize}, records(pagesize >= 65536 ? 3000 : 600, pagesize))
      const pages = agreeWithDbDump(file, pagesize)
      assert.ok(pages > 3)
    })
  }

  for (const pagesize of [512, 4096, 65536]) {
    it(`decodes every page of a ${pagesize}-byte hash as db_dump -da does`, () => {
      const file = tmp.path(`hash-${pagesize}.db`)
      dbLoad(file, 'hash', {db_pagesize: pagesize}, records(600, pagesize))
      agreeWithDbDump(file, pagesize)
    })
  }

  for (const pagesize of [512, 65536]) {
    it(`decodes every page of a ${pagesize}-byte recno as db_dump -da does`, () => {
      const file = tmp.path(`recno-${pagesize}.db`)
      const lines = records(400, pagesize).filter((_, i) => i % 2 === 1)
      dbLoad(file, 'recno', {db_pagesize: pagesize}, lines)
      const data = fs.readFileSync(file)
      assert.equal(berkeleydb.detect(data.subarray(0, 512), data.length)?.details.accessMethod, 'recno')
      agreeWithDbDump(file, pagesize)
    })
  }

  it('decodes a queue file: its meta page and every record slot db_dump lists', () => {
    const file = tmp.path('queue.db')
    dbLoad(file, 'queue', {db_pagesize: 4096, re_len: 40}, records(300, 4096).filter((_, i) => i % 2 === 1).map((v) => v.slice(0, 40)))
    agreeWithDbDump(file, 4096)
  })

  it('decodes a big-endian file (db_lorder=4321) as db_dump -da does', () => {
    const file = tmp.path('btree-be.db')
    dbLoad(file, 'btree', {db_pagesize: 4096, db_lorder: 4321}, records(600, 4096))
    agreeWithDbDump(file, 4096, 'big')
  })

  it('finds the items after the page checksum in a file with checksums (chksum=1)', () => {
    const file = tmp.path('btree-chksum.db')
    dbLoad(file, 'btree', {db_pagesize: 1024, chksum: 1}, records(300, 1024))
    agreeWithDbDump(file, 1024)
  })

  it('decodes off-page duplicates (btree and hash with duplicates=1) as db_dump -da does', () => {
    const lines: string[] = []
    for (let i = 0; i < 300; i++) lines.push('dupkey', `dupvalue ${i}`)
    lines.push('other', 'value')
    for (const method of ['btree', 'hash']) {
      const file = tmp.path(`${method}-dups.db`)
      dbLoad(file, method, {db_pagesize: 512, duplicates: 1}, lines)
      agreeWithDbDump(file, 512)
    }
  })

  describe('a file of several named subdatabases (db_load -c database=NAME)', () => {
    const dups: string[] = []
    for (let i = 0; i < 200; i++) dups.push('dup', `dupvalue ${i}`)
    dups.push('other', 'value')
    /** each subdatabase: its access method, its db_load options, its lines */
    const SUBDBS: Array<{name: string; method: string; config: Record<string, string | number>; lines: string[]}> = [
      {name: 'alpha', method: 'btree', config: {}, lines: records(300, 512)},
      {name: 'beta', method: 'hash', config: {}, lines: records(300, 512)},
      {name: 'gamma', method: 'recno', config: {}, lines: records(200, 512).filter((_, i) => i % 2 === 1)},
      {name: 'delta dups', method: 'btree', config: {duplicates: 1}, lines: dups},
      {name: 'epsilon', method: 'hash', config: {duplicates: 1}, lines: dups},
    ]

    for (const byteOrder of ['little', 'big'] as const) {
      it(`names each page's owner by its subdatabase, agreeing with db_stat -d -s NAME on each one's pages and free bytes (${byteOrder}-endian)`, () => {
        const file = tmp.path(`subdbs-${byteOrder}.db`)
        for (const subdb of SUBDBS) dbLoad(file, subdb.method, {database: subdb.name, db_pagesize: 512, db_lorder: byteOrder === 'big' ? 4321 : 1234, ...subdb.config}, subdb.lines)
        agreeWithDbDump(file, 512, byteOrder, true)
        const data = fs.readFileSync(file)
        const info = berkeleydb.detect(data.subarray(0, 512), data.length)!
        assert.equal(info.details.byteOrder, byteOrder)
        const map = berkeleydb.map((pgno) => pageOf(data, info, pgno), data.length / 512, info)
        assert.deepEqual(map.problems, [])
        const dump = dbDump(file)
        for (const subdb of SUBDBS) {
          const owned = map.pages.filter((p) => p.owner === subdb.name)
          const stat = dbStat(file, subdb.name)
          const count = (kind: string): number => owned.filter((p) => p.kind === kind).length
          const free = (pages: typeof owned): number => pages.reduce((n, p) => n + (p.free ?? 0), 0)
          const meta = owned.filter((p) => p.kind.endsWith('-meta'))
          assert.equal(meta.length, 1, `${subdb.name}: one meta page`)
          const body = owned.filter((p) => !p.kind.endsWith('-meta'))
          if (subdb.method === 'hash') {
            // Berkeley DB allocates a whole split point: the buckets past max_bucket up to high_mask have empty pages already;
            // a bucket page never written is all zeros, which db_dump -da (and the map) call invalid in a file whose master is a btree
            const metaDump = dump.find((p) => p.pgno === meta[0]!.pgno)!
            const reserved = metaDump.values.high_mask! - metaDump.values.max_bucket!
            assert.equal(stat['Number of hash buckets'], metaDump.values.max_bucket! + 1)
            assert.equal(count('hash') + count('invalid'), stat['Number of hash buckets']! + stat['Number of bucket overflow pages']! + reserved, `${subdb.name}: bucket pages`)
            assert.equal(count('overflow'), stat['Number of overflow pages'], `${subdb.name}: overflow pages`)
            assert.equal(body.length, count('hash') + count('invalid') + stat['Number of overflow pages']! + stat['Number of duplicate pages']!, `${subdb.name}: pages`)
            // db_stat counts a bucket page never written as the empty page it reads it as; the reserved buckets it does not count
            const empty = 512 - 26
            const used = free(body) + count('invalid') * empty - reserved * empty
            assert.equal(used, stat['Number of bytes free on bucket pages']! + stat['Number of bytes free in bucket overflow pages']! + stat['Number of bytes free in overflow pages']! + stat['Number of bytes free in duplicate pages']!, `${subdb.name}: free bytes`)
          } else {
            const pages = ['internal', 'leaf', 'duplicate', 'overflow'].map((what) => stat[`Number of tree ${what} pages`]!)
            assert.equal(body.length, pages.reduce((a, b) => a + b), `${subdb.name}: pages`)
            assert.equal(count('overflow'), stat['Number of tree overflow pages'], `${subdb.name}: overflow pages`)
            const bytes = ['internal pages', 'leaf pages', 'duplicate pages', 'overflow pages'].map((what) => stat[`Number of bytes free in tree ${what}`]!)
            assert.equal(free(body), bytes.reduce((a, b) => a + b), `${subdb.name}: free bytes`)
          }
          assert.ok(body.length > 0, `${subdb.name} has pages`)
        }
        // what no subdatabase holds: the master database (page 0 and its leaf of names) and the free list
        const unowned = map.pages.filter((p) => p.owner === null)
        assert.deepEqual(unowned.filter((p) => p.kind !== 'free').map((p) => [p.pgno, p.kind]), [[0, 'btree-meta'], [1, 'btree-leaf']])
        assert.deepEqual(new Set(map.pages.map((p) => p.owner)), new Set([null, ...SUBDBS.map((s) => s.name)]))
      })
    }
  })

  it('finds each subdatabase\'s pages reading every page at most once, a long name\'s overflow chain included', () => {
    const file = tmp.path('subdbs-once.db')
    const long = `long ${'n'.repeat(400)}` // more than a 512-byte leaf holds: the master keeps the name on an overflow page
    for (const name of ['alpha', long, 'beta']) dbLoad(file, name === 'beta' ? 'hash' : 'btree', {database: name, db_pagesize: 512}, records(60, 512))
    const data = fs.readFileSync(file)
    const info = berkeleydb.detect(data.subarray(0, 512), data.length)!
    // a reader that keeps the PageReader contract to the letter: one buffer, overwritten by every read
    const reads = new Map<number, number>()
    const scratch = Buffer.alloc(512)
    const read = (pgno: number): Buffer => {
      reads.set(pgno, (reads.get(pgno) ?? 0) + 1)
      pageOf(data, info, pgno).copy(scratch)
      return scratch
    }
    const problems: PageProblem[] = []
    const owners = subdatabaseOwners(read, data.length / 512, info, problems)
    assert.deepEqual(problems, [])
    assert.deepEqual(new Set(owners.values()), new Set(['alpha', long, 'beta']))
    assert.deepEqual([...reads].filter(([, n]) => n > 1), [], 'pages read more than once')
    assert.ok(berkeleydb.map((pgno) => pageOf(data, info, pgno), data.length / 512, info).pages.some((p) => p.pgno > 1 && p.owner === null && p.kind === 'overflow'), 'the long name lies on an overflow page of the master')
  })

  it('does not take a plain page file or a SQLite-like header for Berkeley DB', () => {
    assert.equal(berkeleydb.detect(Buffer.alloc(4096), 4096), null)
    assert.equal(berkeleydb.detect(Buffer.from('SQLite format 3\0'.padEnd(512, '\0')), 512), null)
  })

  it('names a page that says it lies elsewhere, an index past the page and an item outside it', () => {
    const file = tmp.path('damaged.db')
    dbLoad(file, 'btree', {db_pagesize: 512}, records(100, 512))
    const data = fs.readFileSync(file)
    const info = berkeleydb.detect(data.subarray(0, 512), data.length)!
    const page = Buffer.from(pageOf(data, info, 2))
    page.writeUInt32LE(7, 8)
    page.writeUInt16LE(0xfff0, 26)
    page.writeUInt16LE(0xffff, 20)
    const decoded = berkeleydb.decode(page, 2, info)
    const messages = decoded.problems.map((p) => p.message)
    assert.ok(messages.some((m) => m.includes('says it is page 7')), messages.join('; '))
    assert.ok(messages.some((m) => m.includes('index slots fit')), messages.join('; '))
    assert.ok(messages.some((m) => m.includes('outside the item space')), messages.join('; '))
    assert.equal(decoded.problems.find((p) => p.message.includes('says it is'))?.offset, 2 * 512 + 8)
  })

  describe('on damaged bytes (fast-check)', () => {
    const files: Array<{data: Buffer; info: FormatInfo}> = []
    before(() => {
      for (const [method, config] of [
        ['btree', {db_pagesize: 512}],
        ['hash', {db_pagesize: 512}],
        ['recno', {db_pagesize: 1024, db_lorder: 4321}],
        ['queue', {db_pagesize: 512, re_len: 20}],
        ['btree', {db_pagesize: 1024, chksum: 1}],
      ] as const) {
        const file = tmp.path()
        const lines = records(150, 512)
        dbLoad(file, method, config, method === 'btree' || method === 'hash' ? lines : lines.filter((_, i) => i % 2 === 1).map((v) => v.slice(0, 20)))
        const data = fs.readFileSync(file)
        files.push({data, info: berkeleydb.detect(data, data.length)!})
      }
      // and a file of subdatabases, whose map walks the master database and each subdatabase
      const file = tmp.path()
      dbLoad(file, 'btree', {database: 'one', db_pagesize: 512}, records(150, 512))
      dbLoad(file, 'hash', {database: 'two', db_pagesize: 512}, records(150, 512))
      const data = fs.readFileSync(file)
      files.push({data, info: berkeleydb.detect(data, data.length)!})
    })

    it('never throws, never leaves its page, on random bytes of every page type', () => {
      fc.assert(
        fc.property(fc.integer({min: 0, max: 4}), fc.uint8Array({minLength: 1024, maxLength: 1024}), fc.integer({min: 0, max: 17}), fc.integer({min: 0, max: 9}), (which, raw, type, pgno) => {
          const {info} = files[which]!
          const page = Buffer.from(raw.subarray(0, info.pagesize))
          page[25] = type
          assertDecodedInPage(berkeleydb.decode(page, pgno, info), info.pagesize)
        }),
        {numRuns: 1500},
      )
    })

    it('never throws, never leaves its page, on real pages with random bytes changed, and the map ends; locate with owner gives the map\'s line', () => {
      fc.assert(
        fc.property(fc.integer({min: 0, max: 5}), fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 30}), (which, changes) => {
          const {data, info} = files[which]!
          const buf = Buffer.from(data)
          for (const [at, byte] of changes) buf[at % buf.length] = byte
          const npages = buf.length / info.pagesize
          const map = berkeleydb.map((pgno) => pageOf(buf, info, pgno), npages, info)
          assert.equal(map.pages.length, npages)
          for (const [at] of changes) {
            const pgno = Math.floor((at % buf.length) / info.pagesize)
            const located = berkeleydb.locate!((n) => pageOf(buf, info, n), npages, info, pgno, {owner: true})
            assert.deepEqual(located, map.pages[pgno])
            assertDecodedInPage(berkeleydb.decode(pageOf(buf, info, pgno), pgno, info, located), info.pagesize)
          }
        }),
        {numRuns: 300},
      )
    })

    it('names a free list that loops, and one that leaves the file, and stops walking it', () => {
      const {data, info} = files[0]!
      const buf = Buffer.from(data)
      const npages = buf.length / info.pagesize
      buf.writeUInt32LE(3, 28) // meta: free list starts at page 3
      buf.writeUInt32LE(4, 3 * info.pagesize + 16) // 3 -> 4
      buf.writeUInt32LE(3, 4 * info.pagesize + 16) // 4 -> 3: a loop
      const looped = berkeleydb.map((pgno) => pageOf(buf, info, pgno), npages, info)
      assert.deepEqual(looped.problems.map((p) => p.message), ['the free list loops back to page 3'])
      assert.deepEqual([looped.pages[3]!.kind, looped.pages[4]!.kind], ['free', 'free'])
      buf.writeUInt32LE(npages + 5, 4 * info.pagesize + 16)
      const out = berkeleydb.map((pgno) => pageOf(buf, info, pgno), npages, info)
      assert.deepEqual(out.problems.map((p) => p.message), [`the free list links to page ${npages + 5}, past the last page ${npages - 1}`])
    })
  })
})
