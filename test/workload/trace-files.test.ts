import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {Writable} from 'node:stream'
import {EXIT, ShellError} from '../../src/common/exit-status.js'
import {generateTrace} from '../../src/workload/generators.js'
import {parseTrace, type Trace} from '../../src/workload/trace.js'
import {loadTrace, writeTraceFile, writeTraceStream} from '../../src/workload/trace-files.js'
import {TmpDir} from '../helpers/tmp.js'

/** fileError -- assert that `fn` throws a shell error with exit 6 whose one-line message matches `pattern`. */
function fileError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ShellError, String(err))
    assert.equal(err.exit, EXIT.file)
    assert.match(err.message, pattern)
    assert.doesNotMatch(err.message, /\n/)
    return true
  })
}

describe('trace files in the shell', () => {
  let tmp: TmpDir
  beforeEach(() => {
    tmp = new TmpDir('mpool-trace-files-')
  })
  afterEach(() => tmp.cleanup())

  describe('loadTrace', () => {
    it('reads a trace file', () => {
      const file = tmp.file('# mpool trace v1\n3\n4 d\n3\n')
      const trace = loadTrace(file)
      assert.deepEqual([...trace.pgnos], [3, 4, 3])
      assert.deepEqual([...trace.dirty], [0, 1, 0])
    })

    it('names the file and the line of a bad line', () => {
      const file = tmp.file('# mpool trace v1\n1\n2\n\n12x\n', 'bad.trace')
      fileError(() => loadTrace(file), new RegExp(`^trace ${file} line 5: not a decimal page number: "12x"`))
    })

    it('says how to get a trace when the file is missing, and refuses a directory', () => {
      fileError(() => loadTrace(tmp.path('none.trace')), /cannot read trace .*none\.trace: no such file or directory; make one with `mpool trace gen`/)
      fileError(() => loadTrace(tmp.dir), /it is a directory/)
    })

    it('refuses a trace of another version', () => {
      fileError(() => loadTrace(tmp.file('# mpool trace v2\n1\n')), /line 1: this is a version 2 trace/)
    })
  })

  describe('writeTraceFile', () => {
    it('writes a trace that reads back, with its comment, and replaces a file that was there only with force', () => {
      const file = tmp.file('old contents\n', 'out.trace')
      const trace = generateTrace('zipf', {pages: 50, length: 5000, seed: 9, dirty: 0.3})
      assert.throws(() => writeTraceFile(file, trace, 'made by a test'), {code: 'EEXIST', exit: 6, message: `cannot write trace ${file}: it exists; give --force to replace it, or name a new file`})
      assert.equal(fs.readFileSync(file, 'utf8'), 'old contents\n', 'refused: the file is as it was')
      writeTraceFile(file, trace, 'made by a test', {force: true})
      const text = fs.readFileSync(file, 'utf8')
      assert.ok(text.startsWith('# mpool trace v1\n# made by a test\n'))
      assert.deepEqual(parseTrace(text), trace)
      assert.deepEqual(fs.readdirSync(tmp.dir), ['out.trace'])
    })

    it('follows no symlink: not one planted at the file, nor one at the temporary name a pid would predict', () => {
      const victim = tmp.file('precious\n', 'victim.txt')
      const trace = generateTrace('seq', {pages: 4, length: 4, seed: 1})
      const out = path.join(tmp.dir, 'planted.trace')
      fs.symlinkSync(victim, out)
      assert.throws(() => writeTraceFile(out, trace, 'x'), {code: 'EEXIST'})
      // the temporary name of old was .NAME.PID.tmp: plant it for this very process
      const fresh = path.join(tmp.dir, 'fresh.trace')
      fs.symlinkSync(victim, path.join(tmp.dir, `.fresh.trace.${process.pid}.tmp`))
      writeTraceFile(fresh, trace, 'x')
      writeTraceFile(out, trace, 'x', {force: true})
      assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n', 'the victim is untouched')
      assert.ok(!fs.lstatSync(out).isSymbolicLink(), 'the planted link was replaced by a file, not followed')
      assert.deepEqual(parseTrace(fs.readFileSync(out, 'utf8')), trace)
      assert.deepEqual(parseTrace(fs.readFileSync(fresh, 'utf8')), trace)
    })

    it('leaves the old file as it was and no temporary file when the write fails midway', () => {
      const file = tmp.file('old contents\n', 'out.trace')
      // a page number no trace can hold, 70000 accesses in: the writer throws after flushing some
      const pgnos = Array.from({length: 70000}, (_, i) => i)
      const bad = {pgnos: [...pgnos, -1], dirty: new Uint8Array(70001)} as unknown as Trace
      assert.throws(() => writeTraceFile(file, bad, 'never finished', {force: true}), ShellError)
      assert.equal(fs.readFileSync(file, 'utf8'), 'old contents\n')
      assert.deepEqual(fs.readdirSync(tmp.dir), ['out.trace'])
    })

    it('refuses a directory and a missing folder, creating nothing', () => {
      fileError(() => writeTraceFile(tmp.dir, generateTrace('seq', {pages: 3}), 'x'), /cannot write trace .*: it is a directory/)
      fileError(() => writeTraceFile(tmp.path('no/such.trace'), generateTrace('seq', {pages: 3}), 'x'), /no such file or directory/)
      assert.deepEqual(fs.readdirSync(tmp.dir), [])
    })
  })

  describe('writeTraceStream', () => {
    it('writes the same text as the file, waiting for a slow reader', async () => {
      const trace = generateTrace('scan-mix', {pages: 400, length: 60000, seed: 2, dirty: 0.1})
      const chunks: Buffer[] = []
      let waits = 0
      const slow = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk)
          waits++
          setImmediate(done)
        },
      })
      await writeTraceStream(slow, trace, 'streamed')
      const file = tmp.path('same.trace')
      writeTraceFile(file, trace, 'streamed')
      assert.equal(Buffer.concat(chunks).toString('utf8'), fs.readFileSync(file, 'utf8'))
      assert.ok(waits > 1, 'the text went out in several chunks')
    })
  })
})
