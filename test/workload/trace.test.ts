import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {
  TRACE_HEADER,
  TraceError,
  TraceWriter,
  formatTrace,
  formatTraceLine,
  parseTrace,
  readTrace,
  type Trace,
} from '../../src/workload/trace.js'
import {generateTrace} from '../../src/workload/generators.js'

const traceArb: fc.Arbitrary<Trace> = fc
  .array(fc.tuple(fc.nat(0xffff_ffff), fc.boolean()), {maxLength: 200, size: 'max'})
  .map((rows) => ({
    pgnos: Uint32Array.from(rows.map(([p]) => p)),
    dirty: Uint8Array.from(rows.map(([, d]) => (d ? 1 : 0))),
  }))

function errorOf(text: string): TraceError {
  try {
    parseTrace(text)
  } catch (err) {
    assert.ok(err instanceof TraceError, `expected a TraceError, got ${String(err)}`)
    return err
  }
  assert.fail(`parseTrace accepted ${JSON.stringify(text)}`)
}

describe('trace', () => {
  let dir: string
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-trace-'))
  })
  after(() => {
    fs.rmSync(dir, {recursive: true, force: true})
  })

  describe('format', () => {
    it('formats an access as its page number, with " d" when it dirtied the page', () => {
      assert.equal(formatTraceLine(12), '12')
      assert.equal(formatTraceLine(12, true), '12 d')
      assert.equal(formatTraceLine(4294967295), '4294967295')
      assert.throws(() => formatTraceLine(-1), /0\.\.2\^32-1/)
      assert.throws(() => formatTraceLine(1.5), /0\.\.2\^32-1/)
    })

    it('reads back what it formats, header and all', () => {
      fc.assert(
        fc.property(traceArb, (trace) => {
          const text = formatTrace(trace)
          assert.ok(text.startsWith(TRACE_HEADER + '\n'))
          assert.deepEqual(parseTrace(text), trace)
        }),
        {seed: 1, numRuns: 200},
      )
    })

    it('skips comments and blank lines and accepts CRLF, tabs and extra spaces', () => {
      const text = '# mpool trace v1\r\n3\r\n\r\n  # a comment\n7\td\n  8   d  \n# 9\n10'
      assert.deepEqual(parseTrace(text), {pgnos: Uint32Array.from([3, 7, 8, 10]), dirty: Uint8Array.from([0, 1, 1, 0])})
    })

    it('reads an empty file, or one with only the header, as no accesses', () => {
      assert.equal(parseTrace('').pgnos.length, 0)
      assert.equal(parseTrace(TRACE_HEADER + '\n').pgnos.length, 0)
    })
  })

  describe('errors', () => {
    const cases: [string, number, RegExp][] = [
      ['1\n2\nx\n', 3, /no page number: "x"/],
      ['1\n-4\n', 2, /no page number/],
      ['5 w\n', 1, /unknown flag: "5 w"/],
      ['5 d d\n', 1, /extra text after the flag/],
      ['12x\n', 1, /not a decimal page number: "12x"/],
      ['# mpool trace v1\n\n\n4294967296\n', 4, /past 2\^32-1/],
      ['1.5\n', 1, /not a decimal page number/],
      ['\u0089PNG\r\n\u001a\n\u0000\u0000', 1, /^trace line 1: binary bytes, not a trace: a trace is text, headed "# mpool trace v1"/],
      [`7 ${'z'.repeat(60)}\n`, 1, /unknown flag: "7 z{38}\.\.\." \(expected/],
    ]
    for (const [text, line, message] of cases) {
      it(`names line ${line} of ${JSON.stringify(text)}`, () => {
        const err = errorOf(text)
        assert.equal(err.line, line)
        assert.equal(err.code, 'EINVAL')
        assert.match(err.message, new RegExp(`^trace line ${line}: `))
        assert.match(err.message, message)
      })
    }

    it('refuses a trace of another version', () => {
      const err = errorOf('# mpool trace v2\n1\n')
      assert.equal(err.line, 1)
      assert.match(err.message, /version 2/)
    })
  })

  describe('TraceWriter', () => {
    it('writes a file that readTrace gives back, across many buffer flushes', () => {
      const file = path.join(dir, 'w.trace')
      const w = TraceWriter.open(file, {bufferSize: 64})
      const want = generateTrace('zipf', {pages: 5000, length: 3000, seed: 3, dirty: 0.3})
      for (let i = 0; i < want.pgnos.length; i++) w.record(want.pgnos[i], want.dirty[i] === 1)
      w.record(4294967295)
      w.record(0, true)
      w.close()
      w.close()
      const got = readTrace(file)
      assert.equal(w.records, 3002)
      assert.deepEqual(got.pgnos, Uint32Array.from([...want.pgnos, 4294967295, 0]))
      assert.deepEqual(got.dirty, Uint8Array.from([...want.dirty, 0, 1]))
      assert.equal(fs.readFileSync(file, 'latin1'), formatTrace(got))
    })

    it('leaves the caller its fd, writes comments, and refuses records after close', () => {
      const file = path.join(dir, 'fd.trace')
      const fd = fs.openSync(file, 'w')
      const w = new TraceWriter(fd)
      w.comment('pool data.db, policy arc')
      w.record(1)
      w.close()
      fs.writeSync(fd, '2 d\n') // still open: close() did not close it
      fs.closeSync(fd)
      assert.equal(fs.readFileSync(file, 'utf8'), `${TRACE_HEADER}\n# pool data.db, policy arc\n1\n2 d\n`)
      assert.throws(() => w.record(3), /closed/)
      assert.throws(() => w.comment('a\nb'), /one line/)
    })

    it('closes the fd it opened even when the last flush fails, and says so once', () => {
      // /dev/full takes the open and fails every write with ENOSPC
      const w = TraceWriter.open('/dev/full', {bufferSize: 64})
      w.record(1)
      assert.throws(() => w.close(), (err: NodeJS.ErrnoException) => err.code === 'ENOSPC')
      assert.throws(() => fs.fstatSync(w.fd), (err: NodeJS.ErrnoException) => err.code === 'EBADF', 'the fd was closed')
      w.close() // closing twice is harmless, even after a failed close
      assert.throws(() => w.record(2), /closed/)
      assert.throws(() => w.comment('late'), /closed/)
    })

    it('appends without a second header when asked', () => {
      const file = path.join(dir, 'append.trace')
      const a = TraceWriter.open(file)
      a.record(5)
      a.close()
      const fd = fs.openSync(file, 'a')
      const b = new TraceWriter(fd, {header: false})
      b.record(6, true)
      b.close()
      fs.closeSync(fd)
      assert.equal(fs.readFileSync(file, 'utf8'), `${TRACE_HEADER}\n5\n6 d\n`)
    })
  })
})
