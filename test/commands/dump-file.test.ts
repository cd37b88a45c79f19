import assert from 'node:assert/strict'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import initSqlJs from 'sql.js'
import {execFileSync, spawnSync} from 'node:child_process'
import {BIN, buildOnce, CliSandbox} from '../helpers/cli.js'

const require = createRequire(import.meta.url)

describe('mpool dump --file: any page file, with no pool open', function () {
  this.timeout(60_000)
  const box = new CliSandbox('mpool-dumpfile-')
  let db: string

  before(async () => {
    buildOnce()
    const SQL = await initSqlJs({locateFile: (name: string) => require.resolve(`sql.js/dist/${name}`)})
    const sqlite = new SQL.Database()
    sqlite.run('PRAGMA page_size = 4096')
    sqlite.run('CREATE TABLE pages (n INTEGER PRIMARY KEY, note TEXT)')
    for (let n = 0; n < 200; n++) sqlite.run('INSERT INTO pages VALUES (?, ?)', [n, `row ${n} of the mpool test table`])
    db = box.path('test.db')
    fs.writeFileSync(db, sqlite.export())
    sqlite.close()
  })
  after(() => box.cleanup())

  it('shows page 0 of a SQLite database with its "SQLite format 3" header', async () => {
    const r = await box.run(['dump', '0', '--file', db, '--pagesize', '4096'])
    assert.equal(r.status, 0, r.stderr)
    const lines = r.stdout.split('\n')
    assert.equal(lines[0], `pgno 0 = SQLite page 1 at offset 0 (0x0): read from ${db}, no pool`)
    assert.equal(lines[1], '00000000: 53 51 4c 69 74 65 20 66 6f 72 6d 61 74 20 33 00    SQLite format 3.')
    assert.equal(lines.at(-2), '00001000')
  })

  it('prints exactly what hexdump -C prints with --format hexdump', async () => {
    const r = await box.run(['dump', '1', '--file', db, '--pagesize', '4096', '--format', 'hexdump'])
    assert.equal(r.status, 0, r.stderr)
    const hexdump = execFileSync('hexdump', ['-C', '-s', '4096', '-n', '4096', db], {encoding: 'utf8'})
    assert.equal(r.stdout.slice(r.stdout.indexOf('\n') + 1), hexdump, 'after the header line, the bytes as hexdump shows them')
  })

  it('shows a later page at its file offset, holding the rows the database wrote', async () => {
    const size = fs.statSync(db).size
    assert.ok(size >= 2 * 4096, 'the table spans several pages')
    const r = await box.run(['dump', '1', '--file', db])
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^pgno 1 = SQLite page 2 at offset 4096 \(0x1000\)/)
    assert.match(r.stdout, /\n00001000: /)
    assert.match(r.stdout, /\n[0-9a-f]{8}: (?:[0-9a-f]{2} ){16}   [^\n]*row/, 'row text shows in the ASCII column')
    assert.match(r.stdout, /\n00002000\n$/)
  })

  it('prints the same bytes by the fast path and through oclif (--json carries the same page)', async () => {
    const fast = await box.run(['dump', '1', '--file', db, '--pagesize', '4096'])
    const viaOclif = await box.run(['dump', '1', '--file', db, '--pagesize', '4096', '--explain'])
    assert.equal(viaOclif.stdout, `${fast.stdout}dump 1: read 4096 bytes at offset 4096 from ${db}; no pool involved\n`)
    const json = JSON.parse((await box.run(['dump', '1', '--file', db, '--json'])).stdout) as {hex: string; offset: number}
    assert.equal(json.offset, 4096)
    assert.deepEqual(Buffer.from(json.hex, 'hex'), fs.readFileSync(db).subarray(4096, 8192))
  })

  it('stops quietly, status 0, when its reader goes away (| head), by either path', async () => {
    const big = box.path('big.bin')
    fs.writeFileSync(big, Buffer.from(Array.from({length: 1 << 20}, (_, i) => (i * 7 + (i >> 8)) % 251))) // no two rows alike: megabytes of text
    for (const extra of ['', '--explain']) {
      const script = `node ${JSON.stringify(BIN)} dump 0 --file ${JSON.stringify(big)} --pagesize ${1 << 20} ${extra} | head -c 100 >/dev/null; echo "status=\${PIPESTATUS[0]}"`
      const out = spawnSync('bash', ['-c', script], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
      assert.equal(out.stdout, 'status=0\n', `${extra || 'fast path'}: ${out.stderr}`)
      assert.equal(out.stderr, '', `${extra || 'fast path'}: nothing on stderr`)
    }
  })

  it('describes the file without a page number', async () => {
    const size = fs.statSync(db).size
    const r = await box.run(['dump', '--file', db, '--pagesize', '1000'])
    assert.equal(r.status, 0, r.stderr)
    const pages = Math.floor(size / 1000)
    assert.equal(r.stdout, `${db}: ${size} bytes, ${pages} pages of 1000 bytes and ${size - pages * 1000} trailing bytes; give a page number to see one\n`)
  })

  /** traced -- the lines strace writes for the system calls `calls` of `mpool ARGS` (the child's threads too; each descriptor with its path, -y). */
  function traced(args: readonly string[], calls: string): string[] {
    const log = box.path(`strace-${calls}-${args.join('_').replace(/[^\w-]/g, '')}.log`)
    const r = spawnSync('strace', ['-f', '-qq', '-y', '-e', `trace=${calls}`, '-o', log, process.execPath, BIN, ...args], {encoding: 'utf8', env: {...process.env, MPOOL_RUNTIME_DIR: box.path('rt')}})
    assert.equal(r.status, 0, `${r.error?.message ?? ''}${r.stderr}`)
    return fs.readFileSync(log, 'utf8').split('\n')
  }

  /** opensOf -- how many times `mpool ARGS` opened FILE. */
  function opensOf(args: readonly string[], file: string): number {
    return traced(args, 'open,openat,openat2').filter((line) => line.includes(`"${file}"`)).length
  }

  it('opens FILE once for a whole call: its format, its size and every page of a range (decoded too)', () => {
    assert.equal(opensOf(['dump', '0-3', '--file', db], db), 1)
    assert.equal(opensOf(['dump', '2', '--file', db], db), 1)
    assert.equal(opensOf(['dump', '--file', db], db), 1)
    assert.equal(opensOf(['dump', '0-2', '--file', db, '--decode'], db), 1)
  })

  it('reads each page of FILE once for a decoded range: its own page, then one block for every decode\'s other pages', () => {
    const pages = fs.statSync(db).size / 4096
    assert.ok(pages > 2)
    // the format's head, the dumped pages one read each, and one block read for the pages the decodes look up (page 0, the map's), kept for the call
    const reads = traced(['dump', `0-${pages - 1}`, '--file', db, '--decode'], 'pread64').filter((line) => line.includes(`pread64(`) && line.includes(`<${db}>`)).length
    assert.ok(reads > pages && reads <= pages + 2, `${reads} reads of FILE for ${pages} pages`)
  })
})
