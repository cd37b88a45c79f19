import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {writeFileAtomic} from '../../src/common/atomic-write.js'
import {TmpDir} from '../helpers/tmp.js'

describe('writeFileAtomic: a file replaced whole or not at all', () => {
  const tmp = new TmpDir('mpool-atomic-')
  after(() => tmp.cleanup())

  const leftovers = (dir: string) => fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))

  it('replaces a file whole, makes a missing one with the mode asked for, and leaves no temporary file', () => {
    const file = tmp.file('the old text, longer than the new', 'cache.txt')
    writeFileAtomic(file, 'new')
    assert.equal(fs.readFileSync(file, 'utf8'), 'new')
    const made = tmp.path('made.bin')
    writeFileAtomic(made, Buffer.from([1, 2, 3]), {mode: 0o600})
    assert.deepEqual(fs.readFileSync(made), Buffer.from([1, 2, 3]))
    assert.equal(fs.statSync(made).mode & 0o777, 0o600)
    assert.deepEqual(leftovers(tmp.dir), [])
  })

  it('throws the rename\'s error when FILE cannot be replaced (a directory), removing the temporary file it wrote', () => {
    const dir = tmp.path('taken')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, 'inside'), 'kept')
    assert.throws(() => writeFileAtomic(dir, 'text'), (err: NodeJS.ErrnoException) => err.code === 'EISDIR')
    assert.deepEqual(leftovers(tmp.dir), [], 'no FILE.PID.tmp left beside it')
    assert.equal(fs.readFileSync(path.join(dir, 'inside'), 'utf8'), 'kept')
  })

  it('throws the write\'s error when FILE\'s directory is missing, and makes nothing', () => {
    const file = path.join(tmp.path('missing-dir'), 'cache.txt')
    assert.throws(() => writeFileAtomic(file, 'text'), (err: NodeJS.ErrnoException) => err.code === 'ENOENT')
    assert.equal(fs.existsSync(path.dirname(file)), false)
  })
})
