import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {MPool, MPOOL_DIRTY} from '../../src/pool/index.js'
import {startRecorder} from '../../src/workload/recorder.js'
import {parseTrace} from '../../src/workload/trace.js'

describe('the access recorder', () => {
  let dir: string
  let fd: number
  let pool: MPool

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-recorder-'))
    const file = path.join(dir, 'pages.db')
    fs.writeFileSync(file, Buffer.alloc(16 * 8))
    fd = fs.openSync(file, 'r+')
    pool = MPool.open(null, fd, 16, 2)
  })

  afterEach(() => {
    if (!pool.closed) pool.close()
    fs.closeSync(fd)
    fs.rmSync(dir, {recursive: true, force: true})
  })

  const lines = (file: string) => parseTrace(fs.readFileSync(file, 'utf8'))

  it('writes one line per access in the order of the gets, with the dirty mark of each put', () => {
    const trace = path.join(dir, 'run.trace')
    const recorder = startRecorder(pool, trace)
    pool.get(3)
    pool.get(1) // pinned while 3 is still open
    pool.put(1, MPOOL_DIRTY) // ends second: must still be written after 3
    pool.put(3)
    const {pgno} = pool.new()
    pool.put(pgno, MPOOL_DIRTY)
    recorder.close()
    const {pgnos, dirty} = lines(trace)
    assert.deepEqual([...pgnos], [3, 1, 8])
    assert.deepEqual([...dirty], [0, 1, 1])
    assert.equal(recorder.records, 3)
  })

  it('writes accesses still pinned when the pool closes, as clean', () => {
    const trace = path.join(dir, 'open.trace')
    const recorder = startRecorder(pool, trace)
    pool.get(2)
    pool.get(5)
    pool.put(5, MPOOL_DIRTY)
    pool.close()
    const {pgnos, dirty} = lines(trace)
    assert.deepEqual([...pgnos], [2, 5])
    assert.deepEqual([...dirty], [0, 1])
    assert.equal(recorder.records, 2)
  })

  it('ends an access at delete and ignores puts of pins taken before recording began', () => {
    pool.get(4)
    const trace = path.join(dir, 'late.trace')
    const recorder = startRecorder(pool, trace)
    pool.put(4, MPOOL_DIRTY)
    pool.get(6)
    pool.delete(6)
    recorder.close()
    assert.deepEqual([...lines(trace).pgnos], [6])
  })
})
