/*
 * Berkeley DB files through the real CLI: open detects the format and its page size, map and
 * get --decode give what the decoder gives and what db_dump -da says, over a pool and with --file.
 * (PostgreSQL's relation files go through the CLI in test/formats/postgresql.test.ts, beside the
 * server that makes them.)
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {berkeleydb} from '../../src/formats/berkeleydb/index.js'
import type {DecodedPage, PageMap} from '../../src/formats/types.js'
import {CliSandbox} from '../helpers/cli.js'
import {dbDump, dbLoad} from '../helpers/db-dump.js'

const ANSI = /\x1b\[[0-9;]*m/g

describe('Berkeley DB files in the shell', () => {
  const box = new CliSandbox('mpool-bdb-cli-')
  let file: string
  after(() => box.cleanup())
  before(() => {
    file = box.path('h.db')
    const lines: string[] = []
    for (let i = 1; i <= 400; i++) lines.push(`key${i}`, i % 50 === 0 ? 'z'.repeat(5000) : `value ${i}`)
    dbLoad(file, 'hash', {db_pagesize: 4096}, lines)
  })

  it('opens at the meta page size without --pagesize, and map and get --decode agree with the decoder and db_dump', async () => {
    const bytes = fs.readFileSync(file)
    const info = berkeleydb.detect(bytes, bytes.length)!
    const opened = await box.run(['open', file, '--key', 'hdb'])
    assert.equal(opened.status, 0, opened.stderr)
    assert.match(opened.stdout, /^format +berkeleydb$/m)
    assert.match(opened.stdout, /^pagesize +4096 \(from the Berkeley DB meta page\)$/m)
    const map = JSON.parse((await box.run(['map', '--key', 'hdb', '--json'])).stdout) as PageMap
    const page = (n: number) => bytes.subarray(n * 4096, (n + 1) * 4096)
    assert.deepEqual(map.pages, berkeleydb.map(page, bytes.length / 4096, info).pages)
    const types = new Map(dbDump(file).map((p) => [p.pgno, p.type]))
    for (const [pgno, type] of types) if (type === 'overflow' || type === 'hash') assert.equal(map.pages[pgno]!.kind, type, `page ${pgno}`)
    assert.ok(map.pages.some((p) => p.kind === 'overflow') && map.pages.some((p) => p.kind === 'hash'))
    const got = await box.run(['get', '1', '--decode', '--json', '--key', 'hdb'])
    assert.equal(got.status, 0, got.stderr)
    assert.deepEqual(JSON.parse(got.stdout) as DecodedPage, berkeleydb.decode(page(1), 1, info))
    assert.equal((await box.run(['close', '--key', 'hdb'])).status, 0)
  })

  it('maps and decodes with --file, no pool, as the decoder does', async () => {
    const bytes = fs.readFileSync(file)
    const info = berkeleydb.detect(bytes, bytes.length)!
    const map = JSON.parse((await box.run(['map', '--file', file, '--json'])).stdout) as PageMap
    assert.equal(map.format, 'berkeleydb')
    assert.equal(map.pagesize, 4096)
    const dumped = await box.run(['dump', '0', '--file', file, '--decode', '--json'])
    assert.equal(dumped.status, 0, dumped.stderr)
    const meta = JSON.parse(dumped.stdout) as DecodedPage
    assert.deepEqual(meta, berkeleydb.decode(bytes.subarray(0, 4096), 0, info))
    assert.equal(meta.fields.find((f) => f.name === 'magic')?.meaning, 'DB_HASHMAGIC')
  })

  it('names each page of a file of subdatabases by its subdatabase, in map --file and over a pool, and counts them per owner', async () => {
    const subdbs = box.path('subdbs.db')
    const pairs: string[] = []
    for (let i = 1; i <= 300; i++) pairs.push(`k${i}`, `v${i}-${'x'.repeat(i % 40)}`)
    dbLoad(subdbs, 'btree', {database: 'alpha', db_pagesize: 512}, pairs)
    dbLoad(subdbs, 'hash', {database: 'beta', db_pagesize: 512}, pairs)
    const bytes = fs.readFileSync(subdbs)
    const info = berkeleydb.detect(bytes, bytes.length)!
    const expected = berkeleydb.map((n) => bytes.subarray(n * 512, (n + 1) * 512), bytes.length / 512, info)
    const count = (owner: string | null) => expected.pages.filter((p) => p.owner === owner).length
    assert.ok(count('alpha') > 10 && count('beta') > 10)
    const text = await box.run(['map', '--file', subdbs], {env: {NO_COLOR: '1'}})
    assert.equal(text.status, 0, text.stderr)
    const summary = text.stdout.slice(text.stdout.lastIndexOf('owner  pages'))
    assert.deepEqual(summary.trim().split('\n').slice(1).map((l) => l.trim().split(/ +/)), [['alpha', String(count('alpha'))], ['beta', String(count('beta'))], ['-', String(count(null))]])
    assert.equal((await box.run(['open', subdbs, '--key', 'subdbs'])).status, 0)
    const pooled = JSON.parse((await box.run(['map', '--key', 'subdbs', '--json'])).stdout) as PageMap
    assert.deepEqual(pooled.pages, expected.pages)
    assert.equal((await box.run(['close', '--key', 'subdbs'])).status, 0)
  })

  it("names a decoded page's subdatabase as map does, in --decode's title and --json, with --file and over a pool", async () => {
    const subdbs = box.path('owned.db')
    const pairs: string[] = []
    for (let i = 1; i <= 200; i++) pairs.push(`k${i}`, `v${i}-${'y'.repeat(i % 60)}`)
    dbLoad(subdbs, 'btree', {database: 'alpha', db_pagesize: 512}, pairs)
    dbLoad(subdbs, 'hash', {database: 'beta', db_pagesize: 512}, pairs)
    const bytes = fs.readFileSync(subdbs)
    const info = berkeleydb.detect(bytes, bytes.length)!
    const read = (n: number) => bytes.subarray(n * 512, (n + 1) * 512)
    const npages = bytes.length / 512
    const map = berkeleydb.map(read, npages, info)
    // every page: decode given locate's line names the owner map names
    for (const line of map.pages) {
      const located = berkeleydb.locate!(read, npages, info, line.pgno, {owner: true})
      assert.deepEqual(located, line, `page ${line.pgno}`)
      assert.equal(berkeleydb.decode(read(line.pgno), line.pgno, info, located).owner, line.owner, `page ${line.pgno}`)
    }
    const alpha = map.pages.find((p) => p.owner === 'alpha' && p.kind === 'btree-leaf')!
    const beta = map.pages.find((p) => p.owner === 'beta' && p.kind === 'hash')!
    const text = await box.run(['dump', String(alpha.pgno), '--file', subdbs, '--decode'], {env: {NO_COLOR: '1'}})
    assert.equal(text.status, 0, text.stderr)
    assert.match(text.stdout, new RegExp(`^pgno ${alpha.pgno} = Berkeley DB page ${alpha.pgno}: btree-leaf of alpha$`, 'm'))
    const master = await box.run(['dump', '0', '--file', subdbs, '--decode', '--json'])
    assert.equal((JSON.parse(master.stdout) as DecodedPage).owner, null, "the master's meta page is no subdatabase's")
    assert.equal((await box.run(['open', subdbs, '--key', 'owned'])).status, 0)
    const got = await box.run(['get', String(beta.pgno), '--decode', '--json', '--key', 'owned'])
    assert.equal(got.status, 0, got.stderr)
    assert.deepEqual(JSON.parse(got.stdout) as DecodedPage, berkeleydb.decode(read(beta.pgno), beta.pgno, info, beta))
    assert.equal((JSON.parse(got.stdout) as DecodedPage).owner, 'beta')
    assert.equal((await box.run(['put', String(beta.pgno), '--key', 'owned'])).status, 0)
    assert.equal((await box.run(['close', '--key', 'owned'])).status, 0)
  })

  it('shows the decoded page in hex after its fields, and with colour the bytes of each field in the colour of its region, under a legend', async () => {
    const plain = await box.run(['dump', '1', '--file', file, '--decode'], {env: {NO_COLOR: '1'}})
    assert.equal(plain.status, 0, plain.stderr)
    assert.match(plain.stdout, /^  no problems\n00001000: 00 00 00 00 01 00 00 00 /m, 'the hex rows follow the decode lines')
    assert.match(plain.stdout, /\n00002000\n$/)
    assert.doesNotMatch(plain.stdout, /regions:/)
    const hexdump = await box.run(['dump', '1', '--file', file, '--decode', '--format', 'hexdump'], {env: {NO_COLOR: '1'}})
    assert.match(hexdump.stdout, /^00001000  00 00 00 00 01 00 00 00  /m)
    const coloured = await box.run(['dump', '1', '--file', file, '--decode'], {env: {FORCE_COLOR: '1', NO_COLOR: undefined}})
    assert.equal(coloured.status, 0, coloured.stderr)
    const legend = coloured.stdout.split('\n').find((l) => l.replace(ANSI, '').startsWith('regions:'))
    assert.equal(legend?.replace(ANSI, ''), 'regions: page-header pointer cell payload')
    assert.equal(coloured.stdout.replace(ANSI, ''), plain.stdout.replace('\n00001000: ', `\n${legend!.replace(ANSI, '')}\n00001000: `))
  })
})

