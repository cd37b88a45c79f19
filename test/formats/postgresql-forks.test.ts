/*
 * PostgreSQL's free space map and visibility map forks (RELFILENODE_fsm, RELFILENODE_vm) in a real
 * server's files: every FSM page's nodes compared with pageinspect's fsm_page_contents, every heap
 * block's category with pg_freespacemap's pg_freespace, every VM bit with pg_visibility's
 * pg_visibility_map, and each page's header and checksum with page_header and page_checksum.
 *
 * The table has 4300 heap blocks, more than one FSM leaf page's 4069 slots at 8 KiB pages, so its
 * FSM has a root, a level-1 page and two leaves (blocks 0 .. 3), and its VM holds all three states:
 * all-visible and all-frozen (VACUUM FREEZE), all-visible only (rows updated and vacuumed since),
 * and neither (rows deleted since the last VACUUM).
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {relationFileName} from '../../src/formats/postgresql/detect.js'
import {fsmAddress, fsmPhysical, fsmShape} from '../../src/formats/postgresql/fsm.js'
import {postgresql} from '../../src/formats/postgresql/index.js'
import type {DecodedPage} from '../../src/formats/types.js'
import {CliSandbox} from '../helpers/cli.js'
import {assertDecodedInPage} from '../helpers/page-bounds.js'
import {assertDamagedPagesInPage, comparePageHeader, field, readFile, type Relation, type Row, value} from '../helpers/pg-pages.js'
import {PostgresServer} from '../helpers/postgres.js'

/** forkHeaders -- page_header and page_checksum of every block of fork `fork` of table f. */
function forkHeaders(server: PostgresServer, fork: string): Row[] {
  return server.json(`SELECT b, page_checksum(get_raw_page('f', '${fork}', b), b) & 65535 AS computed, h.* FROM generate_series(0, pg_relation_size('f', '${fork}') / 8192 - 1) b, page_header(get_raw_page('f', '${fork}', b)) h ORDER BY b`)
}

/** nodes -- an FSM page's items as fsm_page_contents prints them: `node: category`, one a line, then fp_next_slot. */
function fsmContents(page: DecodedPage): string {
  const lines = page.items.map((i) => `${i.index}: ${String(value(i.fields, 'category'))}\n`)
  return `${lines.join('')}fp_next_slot: ${String(value(page.fields, 'fp_next_slot'))}\n`
}

describe('PostgreSQL free space map and visibility map forks, against pageinspect, pg_freespacemap and pg_visibility on a real server', function () {
  this.timeout(180_000)
  let server: PostgresServer
  let fsm: Relation
  let vm: Relation
  let heapBlocks: number
  const box = new CliSandbox('mpool-pg-forks-')

  before(() => {
    server = PostgresServer.start()
    server.sql(`
      CREATE EXTENSION pageinspect;
      CREATE EXTENSION pg_freespacemap;
      CREATE EXTENSION pg_visibility;
      CREATE TABLE f (id int, pad text) WITH (autovacuum_enabled = off);
      ALTER TABLE f ALTER pad SET STORAGE PLAIN;
      INSERT INTO f SELECT i, repeat('x', 1900) FROM generate_series(1, 16800) i;
      VACUUM (FREEZE) f;
      UPDATE f SET id = id WHERE id BETWEEN 1001 AND 1400;
      DELETE FROM f WHERE id % 4 = 0 AND id < 8000;
      VACUUM f;
      DELETE FROM f WHERE id BETWEEN 2001 AND 2040;
      CHECKPOINT;`)
    heapBlocks = Number(server.sql(`SELECT pg_relation_size('f') / 8192;`))
    const main = server.relationFile('f')
    fsm = readFile(`${main}_fsm`)
    vm = readFile(`${main}_vm`)
  })

  after(async () => {
    await box.cleanup()
    server?.stop()
  })

  it('reads the fork and the segment from the file name, as md.c makes it', () => {
    assert.deepEqual(relationFileName('16384_fsm'), {segment: 0, fork: 'fsm', named: true})
    assert.deepEqual(relationFileName('t3_16384_vm.2'), {segment: 2, fork: 'vm', named: true})
    assert.deepEqual(relationFileName('16384.1'), {segment: 1, fork: 'main', named: true})
    assert.deepEqual(relationFileName('16384_init'), {segment: 0, fork: 'init', named: true})
    assert.deepEqual(relationFileName('copy_of_16384_fsm'), {segment: 0, fork: 'main', named: false})
    assert.equal(fsm.info.details.fork, 'fsm')
    assert.equal(vm.info.details.fork, 'vm')
  })

  it('lays the FSM tree out depth first, as fsm_logical_to_physical does, and finds each block back', () => {
    for (const pagesize of [1024, 2048, 4096, 8192, 32768]) {
      const shape = fsmShape(pagesize)
      assert.equal(shape.depth, pagesize <= 2048 ? 4 : 3, `${pagesize}`)
      for (let blkno = 0; blkno < 3 * shape.slots + 10; blkno++) {
        const address = fsmAddress(shape, blkno)!
        assert.equal(fsmPhysical(shape, address), blkno, `${pagesize}: block ${blkno}`)
      }
    }
    const shape = fsmShape(8192)
    assert.deepEqual([shape.nodes, shape.inner, shape.slots, shape.step, shape.maxRequest], [8164, 4095, 4069, 32, 8160])
    assert.deepEqual([0, 1, 2, 3, 4071, 4072].map((b) => fsmAddress(shape, b)), [
      {level: 2, logpageno: 0},
      {level: 1, logpageno: 0},
      {level: 0, logpageno: 0},
      {level: 0, logpageno: 1},
      {level: 1, logpageno: 1},
      {level: 0, logpageno: 4069},
    ])
  })

  it('decodes every FSM page as fsm_page_contents prints it, its header and checksum as page_header and page_checksum give them', () => {
    assert.ok(heapBlocks > 4069, `${heapBlocks} heap blocks need two FSM leaf pages`)
    assert.equal(fsm.pages.length, 4)
    for (const h of forkHeaders(server, 'fsm')) comparePageHeader(fsm, h.b as number, h, h.computed as number)
    for (const page of fsm.pages) {
      assert.equal(page.kind, 'fsm')
      const theirs = server.sql(`SELECT fsm_page_contents(get_raw_page('f', 'fsm', ${page.pgno}));`)
      assert.equal(fsmContents(page), `${theirs}\n`, `FSM block ${page.pgno}`)
      assert.ok(page.items.length > 1, `FSM block ${page.pgno} has categories`)
    }
  })

  it("gives every heap block the category pg_freespace reports, and every upper slot its child page's highest", () => {
    const leaves = new Map<number, number>()
    for (const page of fsm.pages) {
      for (const item of page.items) {
        const slot = field(item.fields, 'slot')
        if (slot === undefined) continue
        const category = value(item.fields, 'category') as number
        const leaf = /^heap block (\d+)$/.exec(slot.meaning!)
        if (leaf !== null) {
          leaves.set(Number(leaf[1]), category)
          continue
        }
        // an upper page's slot: the highest category of the child page, its node 0
        const child = /^FSM block (\d+): heap blocks \d+\.\.\d+$/.exec(slot.meaning!)
        assert.ok(child !== null, slot.meaning)
        assert.equal(value(fsm.pages[Number(child[1])]!.fields, 'fp_nodes'), category, slot.meaning)
      }
    }
    const theirs = server.json<{blkno: number; avail: number}>(`SELECT blkno, avail FROM pg_freespace('f')`)
    assert.equal(theirs.length, heapBlocks)
    for (const {blkno, avail} of theirs) {
      const category = leaves.get(blkno) ?? 0
      assert.equal(category === 255 ? 8160 : category * 32, avail, `heap block ${blkno}`)
    }
    assert.ok(theirs.filter((t) => t.avail > 0).length > 1000)
  })

  it('decodes the VM page bit for bit as pg_visibility_map reports it, and its header and checksum as page_header and page_checksum give them', () => {
    assert.equal(vm.pages.length, 1)
    for (const h of forkHeaders(server, 'vm')) comparePageHeader(vm, h.b as number, h, h.computed as number)
    const page = vm.pages[0]!
    assert.equal(page.kind, 'vm')
    const visible = new Set(page.items.flatMap((i) => value(i.fields, 'all_visible') as number[]))
    const frozen = new Set(page.items.flatMap((i) => value(i.fields, 'all_frozen') as number[]))
    const theirs = server.json<{blkno: number; all_visible: boolean; all_frozen: boolean}>(`SELECT blkno, all_visible, all_frozen FROM pg_visibility_map('f')`)
    assert.equal(theirs.length, heapBlocks)
    for (const t of theirs) assert.deepEqual([visible.has(t.blkno), frozen.has(t.blkno)], [t.all_visible, t.all_frozen], `heap block ${t.blkno}`)
    const states = new Set(theirs.map((t) => `${t.all_visible}/${t.all_frozen}`))
    assert.deepEqual([...states].sort(), ['false/false', 'true/false', 'true/true'])
    // each item is one byte of the map: four heap blocks, the byte's number times four onwards
    for (const item of page.items) assert.equal(field(item.fields, 'map')!.meaning, `heap blocks ${item.index * 4}..${item.index * 4 + 3}`)
    assert.equal(value(page.fields, 'map'), visible.size)
  })

  it('maps and decodes the forks with the CLI: every page fsm or vm, no cells, no free bytes counted', async () => {
    const main = server.relationFile('f')
    for (const [fork, pages] of [['fsm', 4], ['vm', 1]] as const) {
      const map = JSON.parse((await box.run(['map', '--file', `${main}_${fork}`, '--json'])).stdout) as {pages: Array<{kind: string; cells: number | null; free: number | null}>}
      assert.deepEqual(map.pages, Array.from({length: pages}, () => ({kind: fork, cells: null, free: null})).map((p, i) => ({page: i, pgno: i, ...p, owner: null})))
    }
    const text = await box.run(['dump', '2', '--file', `${main}_fsm`, '--decode'])
    assert.equal(text.status, 0, text.stderr)
    assert.match(text.stdout, /^pgno 2 = PostgreSQL page 2: fsm$/m)
    assert.match(text.stdout, /^ {2}node 4095 at 0x[0-9a-f]+, 1 bytes$/m)
    assert.match(text.stdout, /slot +0 +heap block 0$/m)
    const json = JSON.parse((await box.run(['dump', '0', '--file', `${main}_vm`, '--decode', '--json'])).stdout) as DecodedPage
    assert.equal(json.kind, 'vm')
    assert.deepEqual(json.items[0]!.fields.map((f) => f.name), ['map', 'all_visible', 'all_frozen'])
  })

  it('never throws, never leaves its page, on real FSM and VM pages with random bytes changed, or random pages (fast-check)', () => {
    assertDamagedPagesInPage([fsm, vm], 300)
    fc.assert(
      fc.property(fc.uint8Array({minLength: 1024, maxLength: 1024}), fc.integer({min: 0, max: 100_000_000}), fc.constantFrom('fsm', 'vm'), (bytes, pgno, fork) => {
        const info = {...fsm.info, pagesize: 1024, details: {...fsm.info.details, fork}}
        assertDecodedInPage(postgresql.decode(Buffer.from(bytes), pgno, info), 1024)
      }),
      {numRuns: 300},
    )
  })
})
