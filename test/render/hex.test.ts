import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import fc from 'fast-check'
import {hexy} from 'hexy'
import type {DecodedPage} from '../../src/formats/types.js'
import {changedRanges, hexDump, hexLegend, hexOffset, regionSpans, renderHex} from '../../src/render/hex.js'
import {byteClass, loadPalette} from '../../src/render/palette.js'
import {TmpDir} from '../helpers/tmp.js'

const ANSI = /\x1b\[[0-9;]*m/g

/** requireHexdump -- the real hexdump (Debian's bsdextrautils, which .ci/run installs), or a failing test: never a skip. */
function requireHexdump(): void {
  try {
    execFileSync('which', ['hexdump'], {stdio: 'ignore'})
  } catch {
    throw new Error('hexdump is not installed: run `apt-get install bsdextrautils` (bash .ci/run does)')
  }
}

/** hexdumpC -- what `hexdump -C -s offset -n length` prints for `bytes` placed at `offset` in a (sparse) file. */
function hexdumpC(tmp: TmpDir, bytes: Uint8Array, offset: number): string {
  const file = tmp.path()
  const fd = fs.openSync(file, 'w')
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, offset)
  } finally {
    fs.closeSync(fd)
  }
  const out = execFileSync('hexdump', ['-C', '-s', String(offset), '-n', String(bytes.length), file], {encoding: 'utf8'})
  fs.rmSync(file)
  return out
}

describe('hexDump', () => {
  const tmp = new TmpDir('mpool-hex-')
  after(() => tmp.cleanup())

  it('prints a short row padded so the ASCII column lines up, then the end offset', () => {
    assert.equal(hexDump(Buffer.from('abc\n')), '00000000  61 62 63 0a                                       |abc.|\n00000004')
  })

  it('squeezes repeated rows to one star and shows file offsets from the page start', () => {
    const page = Buffer.alloc(64)
    page.write('SQLite format 3\0', 0, 'latin1')
    const expected = [
      '00001000  53 51 4c 69 74 65 20 66  6f 72 6d 61 74 20 33 00  |SQLite format 3.|',
      '00001010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|',
      '*',
      '00001040',
    ].join('\n')
    assert.equal(hexDump(page, {offset: 4096}), expected)
  })

  it('does not squeeze a short last row that starts like the rows before it', () => {
    const text = hexDump(Buffer.alloc(40), {offset: 0})
    assert.equal(text, ['00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|', '*', '00000020  00 00 00 00 00 00 00 00                           |........|', '00000028'].join('\n'))
  })

  it('widens offsets past 4 GiB instead of wrapping them', () => {
    const text = hexDump(Buffer.alloc(32, 0x41), {offset: 2 ** 32 - 16})
    assert.equal(text.split('\n')[0], 'fffffff0  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|')
    assert.equal(text.split('\n').at(-1), '100000010')
    assert.equal(hexOffset(2 ** 32 * 4096), '100000000000')
  })

  it('gives nothing for no bytes, as hexdump does for an empty file', () => {
    assert.equal(hexDump(Buffer.alloc(0)), '')
  })

  describe('against hexdump -C', function () {
    before(requireHexdump)

    it('prints exactly what hexdump -C -s OFFSET -n LENGTH prints, for seeded random pages', () => {
      // Rows drawn from few values so that repeated rows (and so squeezing) are common.
      const bytes = fc.oneof(fc.uint8Array({minLength: 1, maxLength: 300}), fc.array(fc.constantFrom(0, 0, 0x20, 0x41, 0xff), {minLength: 1, maxLength: 300}).map((a) => Uint8Array.from(a)))
      fc.assert(
        fc.property(bytes, fc.integer({min: 0, max: 5000}), (page, offset) => {
          assert.equal(`${hexDump(page, {offset})}\n`, hexdumpC(tmp, page, offset))
        }),
        {seed: 20260401, numRuns: 60},
      )
    })

    it('matches hexdump -C at an offset past 4 GiB', () => {
      const page = Buffer.alloc(100, 0)
      page.write('past four gibibytes', 30)
      const offset = 2 ** 32 - 40
      assert.equal(`${hexDump(page, {offset})}\n`, hexdumpC(tmp, page, offset))
    })
  })

  describe('with colour', () => {
    it('adds only escapes: without them the text is the plain text', async () => {
      const palette = await loadPalette(1)
      const page = Buffer.from('\0\0 hello\tworld\x01\x7f\x80\xff SQLite', 'latin1')
      const coloured = hexDump(page, {offset: 512, palette})
      assert.notEqual(coloured, hexDump(page, {offset: 512}))
      assert.equal(coloured.replace(ANSI, ''), hexDump(page, {offset: 512}))
    })

    it('colours each byte by its class in both columns', async () => {
      const palette = (await loadPalette(1))!
      const text = hexDump(Buffer.from([0x00, 0x41]), {palette})
      assert.ok(text.includes(palette.byte.nul('00')))
      assert.ok(text.includes(palette.byte.printable('41')))
      assert.ok(text.includes(palette.byte.printable('A')))
    })

    it('classes bytes as hexyl does', () => {
      assert.deepEqual([0x00, 0x41, 0x20, 0x0a, 0x01, 0x7f, 0x80, 0xff].map(byteClass), ['nul', 'printable', 'space', 'space', 'other', 'other', 'high', 'high'])
    })
  })

  describe('marking changed bytes', () => {
    it('puts ^^ under each changed hex byte and ^ under its ASCII character, in plain text', () => {
      const page = Buffer.from('0123456789abcdefXYZ')
      const changed = new Set([1, 9, 17])
      const lines = hexDump(page, {changed: (i) => changed.has(i)}).split('\n')
      const [row, marks] = [lines[0], lines[1]]
      for (const i of [1, 9]) {
        const hexAt = 8 + 2 + 3 * i + (i >= 8 ? 1 : 0) // address, two spaces, three columns a byte, one more after the 8th
        assert.equal(row.slice(hexAt, hexAt + 2), page.subarray(i, i + 1).toString('hex'))
        assert.equal(marks.slice(hexAt, hexAt + 2), '^^', `hex mark of byte ${i}`)
      }
      const asciiStart = row.indexOf('|') + 1
      assert.equal(marks[asciiStart + 1], '^')
      assert.equal(marks[asciiStart + 9], '^')
      assert.equal(marks.replace(/[ ^]/g, ''), '', 'a marker line holds only spaces and carets')
      assert.equal(lines[3].trim().startsWith('^^'), true, 'the second row has its own marker line')
    })

    it('never squeezes a changed row away', () => {
      const page = Buffer.alloc(64)
      const text = hexDump(page, {changed: (i) => i === 40})
      assert.ok(text.includes('00000020  00'), 'the changed row is printed')
      assert.ok(text.includes('00000030  00'), 'the row after it is printed, so the change has an end')
    })

    it('lists the runs of bytes that differ', () => {
      assert.deepEqual(changedRanges(Buffer.from('abcdef'), Buffer.from('abXdYY')), [
        {start: 2, end: 3},
        {start: 4, end: 6},
      ])
      assert.deepEqual(changedRanges(Buffer.from('same'), Buffer.from('same')), [])
    })
  })
})

describe('renderHex, the hexy layout', () => {
  const page = Buffer.concat([Buffer.from('SQLite format 3\0\x10\x00\x01\x01 more header bytes', 'latin1'), Buffer.alloc(96), Buffer.from('tail\xff\x80', 'latin1')])

  it('is the default, and each row after the address is the row hexy formats', () => {
    const lines = renderHex(page, {offset: 4096}).split('\n')
    const theirs = hexy(page, {bytesPerGroup: 1, showAddress: false}).split('\n')
    assert.equal(lines[0], `00001000: ${theirs[0]}`)
    assert.equal(lines[1], `00001010: ${theirs[1]}`)
    assert.equal(lines.at(-2), `00001080: ${theirs[8]}`)
    assert.equal(lines.at(-1), hexOffset(4096 + page.length))
  })

  it('squeezes repeated rows to one * and ends with the offset past the end', () => {
    const lines = renderHex(page).split('\n')
    assert.deepEqual(lines.slice(2, 6).map((l) => l.slice(0, 10)), ['00000020: ', '00000030: ', '*', '00000080: '])
    assert.equal(renderHex(Buffer.alloc(0)), '')
  })

  it('shows file offsets past 4 GiB, where the address hexy makes stops', () => {
    const offset = 2 ** 33
    assert.throws(() => hexy(page, {bytesPerGroup: 1, displayOffset: offset}))
    assert.ok(renderHex(page, {offset}).startsWith('200000000: 53 51 4c'))
  })

  it('adds only escapes with colour, in both columns, by byte class', async () => {
    const palette = (await loadPalette(1))!
    const coloured = renderHex(page, {offset: 512, palette})
    assert.equal(coloured.replace(ANSI, ''), renderHex(page, {offset: 512}))
    assert.ok(coloured.includes(palette.byte.printable('53')))
    assert.ok(coloured.includes(palette.byte.printable('S')))
    assert.ok(coloured.includes(palette.byte.high('ff')))
  })

  it('colours the bytes of each decoded field by its region, the last field over a byte winning, and names the regions', async () => {
    const palette = (await loadPalette(1))!
    const decoded: DecodedPage = {
      format: 'sqlite',
      page: 2,
      pgno: 1,
      kind: 'table-leaf',
      owner: null,
      fields: [{name: 'magic', offset: 128, length: 16, value: 'SQLite format 3', region: 'file-header'}],
      items: [{index: 0, offset: 144, length: 2, fields: [{name: 'page size', offset: 144, length: 2, value: 4096, region: 'page-header'}]}],
      problems: [],
    }
    const spans = regionSpans(decoded, 128)
    assert.deepEqual(spans, [
      {start: 0, end: 16, region: 'file-header'},
      {start: 16, end: 18, region: 'page-header'},
    ])
    const text = renderHex(page.subarray(0, 128), {offset: 128, palette, regions: spans})
    assert.ok(text.includes(palette.region['file-header']('53')) && text.includes(palette.region['file-header']('S')))
    assert.ok(text.includes(palette.region['page-header']('10')))
    assert.ok(text.includes(palette.byte.printable('6d')), 'a byte outside every field keeps its class colour')
    assert.equal(text.replace(ANSI, ''), renderHex(page.subarray(0, 128), {offset: 128}))
    const legend = hexLegend(spans, palette)
    assert.equal(legend.replace(ANSI, ''), 'regions: file-header page-header')
    assert.ok(legend.includes(palette.region['page-header']('page-header')))
    assert.equal(hexLegend(spans, null), '')
  })

  it('marks changed bytes with ^^ under the hex and ^ under the ASCII, and never squeezes them away', () => {
    const changed = new Set([1, 40])
    const lines = renderHex(page, {changed: (i) => changed.has(i)}).split('\n')
    const [row, marks] = [lines[0]!, lines[1]!]
    const at = row.indexOf(' 51 ') + 1
    assert.equal(marks.slice(at, at + 2), '^^')
    assert.equal(marks.replace(/[ ^]/g, ''), '')
    assert.equal(marks[row.length - 16 + 1], '^', "under byte 1's ASCII character")
    assert.ok(lines.some((l) => l.startsWith('00000020: ')) && lines.some((l) => l.startsWith('00000030: ')))
  })
})

