/*
 * detect: the format and page size of a file from its first bytes, on databases made by sqlite3
 * and on files that are not SQLite.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import {DETECT_HEAD_BYTES, detectFormat} from '../../src/formats/index.js'
import {sqlite3} from '../helpers/sqlite3.js'
import {TmpDir} from '../helpers/tmp.js'

function detectFile(file: string) {
  const bytes = fs.readFileSync(file)
  return detectFormat(bytes.subarray(0, DETECT_HEAD_BYTES), bytes.length)
}

describe('formats/detect', () => {
  let tmp: TmpDir
  beforeEach(() => (tmp = new TmpDir()))
  afterEach(() => tmp.cleanup())

  for (const pagesize of [512, 1024, 4096, 65536]) {
    it(`finds a SQLite database made by sqlite3 at page size ${pagesize}, and its page size`, () => {
      const file = tmp.path('db')
      sqlite3(file, `PRAGMA page_size=${pagesize}; CREATE TABLE t(a); INSERT INTO t VALUES (1);`)
      const info = detectFile(file)
      assert.ok(info)
      assert.equal(info.format, 'sqlite')
      assert.equal(info.pagesize, pagesize)
      assert.equal(info.source, 'the SQLite header')
      assert.equal(info.firstPage, 1)
      assert.equal(info.details.dbPages, fs.statSync(file).size / pagesize)
    })
  }

  it('reads the reserved bytes per page at offset 20 into the usable size', () => {
    const file = tmp.path('db')
    sqlite3(file, 'CREATE TABLE t(a);')
    const bytes = fs.readFileSync(file)
    bytes[20] = 32
    const info = detectFormat(bytes, bytes.length)
    assert.equal(info?.details.reserved, 32)
    assert.equal(info?.details.usable, 4096 - 32)
  })

  it('takes no format for a plain page file, an empty file, or a SQLite magic with an impossible page size', () => {
    assert.equal(detectFormat(Buffer.alloc(512, 7), 4096), null)
    assert.equal(detectFormat(Buffer.alloc(0), 0), null)
    const bad = Buffer.alloc(512)
    bad.write('SQLite format 3\0', 0, 'latin1')
    bad.writeUInt16BE(1000, 16)
    assert.equal(detectFormat(bad, 4096), null)
    bad.writeUInt16BE(1, 16)
    assert.equal(detectFormat(bad, 65536)?.pagesize, 65536)
  })
})
