/*
 * Damaged SQLite pages: the decoder and the map name each problem, never throw, never report a
 * field outside its page, and always end. Named damage first (a cell pointer past the end,
 * overlapping cells, loops in the freelist and in an overflow chain), then fast-check on random
 * bytes and on real pages made by sqlite3 with random bytes changed.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {DETECT_HEAD_BYTES, detectFormat, formatNamed, type DecodedPage, type FormatInfo} from '../../src/formats/index.js'
import {parseBtreePage} from '../../src/formats/sqlite/btree.js'
import {assertDecodedInPage} from '../helpers/page-bounds.js'
import {fileReader, makeDatabase} from '../helpers/sqlite3.js'
import {TmpDir} from '../helpers/tmp.js'

const sqlite = formatNamed('sqlite')!

describe('formats/sqlite on damaged pages', function () {
  this.timeout(120_000)
  let tmp: TmpDir
  let info: FormatInfo
  let bytes: Buffer
  let pagesize: number
  before(() => {
    tmp = new TmpDir()
    const file = tmp.path('db')
    makeDatabase(file, 1024, {rows: 300})
    bytes = fileReader(file, 1024).bytes
    info = detectFormat(bytes.subarray(0, DETECT_HEAD_BYTES), bytes.length)!
    pagesize = info.pagesize
  })
  after(() => tmp.cleanup())

  const copy = () => Buffer.from(bytes)
  const reader = (buf: Buffer) => (pgno: number) => buf.subarray(pgno * pagesize, (pgno + 1) * pagesize)
  const mapOf = (buf: Buffer) => sqlite.map(reader(buf), buf.length / pagesize, info)
  const leafOf = (buf: Buffer) => mapOf(buf).pages.find((e) => e.kind === 'table-leaf' && e.pgno > 0 && (e.cells ?? 0) >= 2)!

  it('names a cell pointer past the end of the page, and decodes the other cells', () => {
    const buf = copy()
    const leaf = leafOf(buf)
    const page = reader(buf)(leaf.pgno)
    page.writeUInt16BE(pagesize + 10, 8)
    const d = sqlite.decode(page, leaf.pgno, info)
    assert.deepEqual(d.problems.map((p) => p.message), [`cell pointer 0 (${pagesize + 10}) points past the end of the page`])
    assert.equal(d.items.length, leaf.cells! - 1)
  })

  it('names overlapping cells', () => {
    const buf = copy()
    const leaf = leafOf(buf)
    const page = reader(buf)(leaf.pgno)
    page.writeUInt16BE(page.readUInt16BE(8) + 1, 10)
    const d = sqlite.decode(page, leaf.pgno, info)
    assert.ok(d.problems.some((p) => /^cell \d+ \(\d+\.\.\d+\) overlaps cell \d+/.test(p.message)), JSON.stringify(d.problems))
  })

  it('names a loop in the freelist and ends', () => {
    const buf = copy()
    const trunk = buf.readUInt32BE(32)
    assert.ok(trunk > 0)
    buf.writeUInt32BE(trunk, (trunk - 1) * pagesize) // the trunk's next trunk is itself
    const m = mapOf(buf)
    assert.ok(m.problems.some((p) => p.message === `page ${trunk} is reached again from freelist trunk page ${trunk}; it is already freelist-trunk`), JSON.stringify(m.problems))
  })

  it('names a loop in an overflow chain and ends', () => {
    const buf = copy()
    const m0 = mapOf(buf)
    const chain = m0.pages.filter((e) => e.kind === 'overflow')
    const first = chain.find((e) => buf.readUInt32BE(e.pgno * pagesize) !== 0)!
    buf.writeUInt32BE(first.page, first.pgno * pagesize) // next overflow page: itself
    const m = mapOf(buf)
    assert.ok(m.problems.some((p) => p.message.endsWith(`overflow chain loops back to page ${first.page}`)), JSON.stringify(m.problems))
  })

  it('names a child pointer past the end of the file', () => {
    const buf = copy()
    const interior = mapOf(buf).pages.find((e) => e.kind === 'table-interior')!
    buf.writeUInt32BE(99999, interior.pgno * pagesize + 8)
    const m = mapOf(buf)
    assert.ok(m.problems.some((p) => p.message === `the right-most pointer of page ${interior.page} points to page 99999, past the end of the file (${buf.length / pagesize} pages)`), JSON.stringify(m.problems))
  })

  it('never throws, never leaves its page, on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({minLength: pagesize, maxLength: pagesize}), fc.integer({min: 0, max: 3}), fc.constantFrom(2, 5, 10, 13, 0), (raw, pgno, type) => {
        const page = Buffer.from(raw)
        if (type !== 0) page[pgno === 0 ? 100 : 0] = type
        const d = sqlite.decode(page, pgno, info)
        assertDecodedInPage(d, pagesize)
      }),
      {numRuns: 2000},
    )
  })

  it('never throws, never leaves its page, on real pages with random bytes changed, and the map ends', () => {
    const npages = bytes.length / pagesize
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({min: 0, max: bytes.length - 1}), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 40}), (changes) => {
        const buf = copy()
        for (const [at, value] of changes) buf[at] = value
        const m = mapOf(buf)
        assert.equal(m.pages.length, npages)
        for (const [at] of changes) {
          const pgno = Math.floor(at / pagesize)
          assertDecodedInPage(sqlite.decode(reader(buf)(pgno), pgno, info, m.pages[pgno]), pagesize)
        }
      }),
      {numRuns: 300},
    )
  })

  it('gives every b-tree page of a damaged file the cells, free bytes and payload its full parse gives (the WebAssembly pass agrees with btree.ts)', () => {
    const usable = pagesize - bytes[20]!
    const isBtree = (kind: string) => /^(table|index)-(leaf|interior)$/.test(kind)
    const btreePages = mapOf(bytes).pages.filter((e) => isBtree(e.kind)).length
    let compared = 0
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({min: 0, max: bytes.length - 1}), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 40}), (changes) => {
        const buf = copy()
        for (const [at, value] of changes) buf[at] = value
        for (const e of mapOf(buf).pages) {
          if (!isBtree(e.kind)) continue
          const parsed = parseBtreePage(reader(buf)(e.pgno), e.pgno, usable)
          assert.deepEqual([e.cells, e.free, e.payload], [parsed.cellCount, parsed.unused, parsed.payload], `page ${e.page}`)
          compared++
        }
      }),
      {numRuns: 300},
    )
    assert.ok(compared > 300 * (btreePages / 2), `only ${compared} b-tree pages compared, of ${btreePages} a run`)
  })

  it('maps a file fed in blocks (as map --file reads it) exactly as one read page by page, damaged or not', () => {
    const npages = bytes.length / pagesize
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({min: 0, max: bytes.length - 1}), fc.integer({min: 0, max: 255})), {maxLength: 40}),
        fc.integer({min: 1, max: npages + 1}),
        fc.boolean(),
        (changes, perBlock, inPlace) => {
          const buf = copy()
          for (const [at, value] of changes) buf[at] = value
          const mapper = sqlite.mapper!(npages, info)
          // one reused block, as the reader's own; or the mapper's own slots, taken in turns, as map --file reads into them
          const own = Buffer.alloc(perBlock * pagesize)
          const used: Uint8Array[] = []
          for (let pgno = 0, slot = 0; pgno < npages; pgno += perBlock, slot = (slot + 1) % mapper.blocks.count) {
            const count = Math.min(perBlock, npages - pgno)
            const block = inPlace ? mapper.blocks.blockFor(count * pagesize, slot) : own
            block.fill(0xa5)
            block.set(buf.subarray(pgno * pagesize, (pgno + count) * pagesize))
            mapper.add(block, pgno, count)
            used.push(block)
          }
          for (const block of used) block.fill(0x5a) // finish must not lean on the blocks
          assert.deepEqual(mapper.finish(reader(buf)), mapOf(buf))
        },
      ),
      {numRuns: 300},
    )
  })

  it('refuses pages given to the mapper out of order or short', () => {
    const npages = bytes.length / pagesize
    const mapper = sqlite.mapper!(npages, info)
    assert.throws(() => mapper.add(bytes.subarray(pagesize, 2 * pagesize), 1, 1), /page 2 given after page 0; pages must come in order/)
    mapper.add(bytes.subarray(0, pagesize), 0, 1)
    assert.throws(() => mapper.finish(reader(bytes)), new RegExp(`1 of ${npages} pages given`))
  })
})
