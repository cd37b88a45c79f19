import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import {buildOnce, CliSandbox} from '../helpers/cli.js'

const PAGESIZE = 512

/** page ranges (`dump 3-7`, `get --raw 3-7`) and byte windows (`--offset N --length N`) through the real binary */
describe('page ranges and byte windows', function () {
  this.timeout(60_000)
  const box = new CliSandbox('mpool-ranges-')
  const file = box.path('ranges.db')
  const bytes = Buffer.alloc(4 * PAGESIZE)
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + (i >> 9)) & 0xff

  before(async () => {
    buildOnce()
    fs.writeFileSync(file, bytes)
    const opened = await box.run(['open', file, '--pagesize', String(PAGESIZE), '--maxcache', '8'])
    assert.equal(opened.status, 0, opened.stderr)
  })
  after(() => box.cleanup())

  it('get --raw 1-2 writes both pages one after another, each pinned as get pins it', async () => {
    const r = await box.run(['get', '1-2', '--raw'])
    assert.equal(r.status, 0, r.stderr)
    assert.deepEqual(r.raw, bytes.subarray(PAGESIZE, 3 * PAGESIZE))
    const frames = JSON.parse((await box.run(['dump', '--json'])).stdout).frames as Array<{pgno: number; pins: number}>
    assert.deepEqual(frames.map((f) => [f.pgno, f.pins]).sort(), [[1, 1], [2, 1]])
    for (const pgno of ['1', '2']) assert.equal((await box.run(['put', pgno])).status, 0)
  })

  it('dump 2-3 --json gives an array of the per-page results', async () => {
    const r = await box.run(['dump', '2-3', '--json'])
    assert.equal(r.status, 0, r.stderr)
    const pages = JSON.parse(r.stdout) as Array<{pgno: number; hex: string}>
    assert.deepEqual(pages.map((p) => p.pgno), [2, 3])
    assert.equal(pages[1]!.hex, bytes.subarray(3 * PAGESIZE).toString('hex'))
  })

  it('dump 1 --offset 0x10 --length 20 shows just those bytes at their file offsets, as hexdump -s -n does', async () => {
    const r = await box.run(['dump', '1', '--offset', '0x10', '--length', '20', '--format', 'hexdump'])
    assert.equal(r.status, 0, r.stderr)
    const [header, ...rest] = r.stdout.split('\n')
    assert.equal(header, 'page 1 at offset 512 (0x200): frame 0, pins 0, clean; page offsets 0x10-0x23 = file offsets 0x210-0x223')
    assert.equal(`${rest.join('\n')}`, execFileSync('hexdump', ['-C', '-s', String(PAGESIZE + 16), '-n', '20', file], {encoding: 'utf8'}))
  })

  it('get 3 --raw --offset 500 gives just the last 12 bytes of the page', async () => {
    const r = await box.run(['get', '3', '--raw', '--offset', '500'])
    assert.equal(r.status, 0, r.stderr)
    assert.deepEqual(r.raw, bytes.subarray(4 * PAGESIZE - 12))
    assert.equal((await box.run(['put', '3'])).status, 0)
  })

  it('dump 0-1 --file reads a range with no pool, the hexy rows at file offsets', async () => {
    const r = await box.run(['dump', '0-1', '--file', file, '--pagesize', String(PAGESIZE), '--length', '4'])
    assert.equal(r.status, 0, r.stderr)
    const hex = (at: number): string => [...bytes.subarray(at, at + 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')
    const lines = r.stdout.split('\n').filter((line) => /^0000/.test(line))
    assert.deepEqual(lines.map((line) => line.slice(0, 21)), [`00000000: ${hex(0)}`, '00000004', `00000200: ${hex(PAGESIZE)}`, '00000204'])
  })

  it('dump --diff names each changed range by its page offsets and its file offsets', async () => {
    assert.equal((await box.run(['get', '2'])).status, 0)
    const put = await box.run(['put', '2', '--text', 'AB', '--offset', '0x10'])
    assert.equal(put.stdout.trim(), 'put page 2: wrote 2 bytes at page offset 0x10 = file offset 0x410, marked dirty, unpinned')
    const r = await box.run(['dump', '2', '--diff'])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stdout.trimEnd().split('\n').at(-1), '2 bytes differ from the file, in 1 range: page offsets 0x10-0x11 = file offsets 0x410-0x411')
  })

  it('refuses a range past the end before pinning anything (exit 4)', async () => {
    const r = await box.run(['get', '2-4'])
    assert.equal(r.status, 4)
    assert.equal(r.stderr.trim(), `mpool get: page 4 is past the end of ${file}: it has 4 pages of ${PAGESIZE} bytes (0 to 3); nothing was touched`)
    const frames = JSON.parse((await box.run(['dump', '--json'])).stdout).frames as Array<{pins: number}>
    assert.ok(frames.every((f) => f.pins === 0), 'no page was pinned')
  })
})
