/*
 * The wire protocol: the request checker and the line splitter on their own, then a live server
 * fed garbage (seeded fast-check strings, bytes, JSON values and request-shaped objects, sent
 * raw over the socket) and oversized lines. Every line must get exactly one reply, an error for
 * anything that is not a request, and the server must answer a ping afterwards.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import fc from 'fast-check'
import {checkRequest, LineSplitter, MAX_NESTING, maxRequestBytes, OPS} from '../../src/session/protocol.js'
import {connectPool} from '../../src/session/index.js'
import {exchange, isAlive, SessionHarness, waitForExit} from './harness.js'

const PAGESIZE = 256
const LIMIT = maxRequestBytes(PAGESIZE)

describe('the request checker', () => {
  it('accepts each op in its plainest form, args left out where none are needed', () => {
    const minimal: Record<string, unknown> = {
      hello: {pid: 1, command: 'x'},
      join: {pagesize: 512, maxcache: 4},
      get: {pgno: 0},
      getRange: {first: 0, last: 3},
      put: {pgno: 1, dirty: true, write: {offset: 0, bytes: 'aGk='}},
      delete: {pgno: 2},
      peek: {pgno: 3, withFile: true},
      peekRange: {first: 1, last: 2, withFile: true},
    }
    for (const op of OPS) {
      const message = minimal[op] === undefined ? {id: 7, op} : {id: 7, op, args: minimal[op]}
      const checked = checkRequest(message)
      assert.ok(checked.ok, `${op}: ${JSON.stringify(checked)}`)
      assert.deepEqual(checked.request, {id: 7, op, args: minimal[op] ?? {}})
    }
  })

  it('refuses what is not a request, naming what is wrong and keeping the id it could read', () => {
    const cases: Array<[unknown, number | null, string, string]> = [
      [[1, 2], null, 'EPROTO', 'bad request: a request must be a JSON object {"id", "op", "args"}, not [1,2]'],
      [{op: 'ping'}, null, 'EPROTO', 'bad request: a request needs an "id", a whole number from 0, not missing'],
      [{id: -1, op: 'ping'}, null, 'EPROTO', 'bad request: a request needs an "id", a whole number from 0, not -1'],
      [{id: 1.5, op: 'ping'}, null, 'EPROTO', 'bad request: a request needs an "id", a whole number from 0, not 1.5'],
      [{id: 2, op: 'ping', extra: 1}, 2, 'EPROTO', 'bad request: a request has only "id", "op" and "args", not "extra"'],
      [{id: 3, op: 'fly'}, 3, 'EPROTO', `bad request: unknown op "fly"; the ops are ${OPS.join(', ')}`],
      [{id: 4, op: 'get'}, 4, 'EINVAL', 'bad request: get args.pgno is missing'],
      [{id: 5, op: 'get', args: {pgno: -3}}, 5, 'EINVAL', 'bad request: get args.pgno must be a whole number from 0, not -3'],
      [{id: 6, op: 'get', args: {pgno: '3'}}, 6, 'EINVAL', 'bad request: get args.pgno must be a whole number from 0, not "3"'],
      [{id: 7, op: 'get', args: {pgno: 3, flags: 1}}, 7, 'EINVAL', 'bad request: get args has an unknown field "flags" (it takes pgno)'],
      [{id: 8, op: 'ping', args: {x: 1}}, 8, 'EINVAL', 'bad request: ping args has an unknown field "x" (it takes none)'],
      [{id: 9, op: 'put', args: {pgno: 1, write: {offset: 0, bytes: 'not base64!'}}}, 9, 'EINVAL', 'bad request: put args.write.bytes must be a base64 string'],
      [{id: 10, op: 'put', args: {pgno: 1, dirty: 'yes'}}, 10, 'EINVAL', 'bad request: put args.dirty must be true or false, not "yes"'],
      [{id: 11, op: 'stats', args: null}, 11, 'EINVAL', 'bad request: stats args must be an object, not null'],
      [{id: 12, op: 'hello', args: {pid: 1, command: 'x'.repeat(5000)}}, 12, 'EINVAL', 'bad request: hello args.command is 5000 characters, more than 4096'],
      [{id: 13, op: '__proto__'}, 13, 'EPROTO', `bad request: unknown op "__proto__"; the ops are ${OPS.join(', ')}`],
    ]
    for (const [message, id, code, text] of cases) {
      const checked = checkRequest(message)
      assert.equal(checked.ok, false, JSON.stringify(message))
      if (checked.ok) continue
      assert.deepEqual({id: checked.id, code: checked.error.code, message: checked.error.message}, {id, code, message: text})
    }
  })
})

describe('the line splitter', () => {
  function split(max: number, chunks: Array<string | Buffer>): Array<string | number> {
    const out: Array<string | number> = []
    const splitter = new LineSplitter(max, (line) => out.push(line), (bytes) => out.push(bytes))
    for (const chunk of chunks) splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
    return out
  }

  it('joins lines cut across chunks, empty lines included, and drops a CR before the newline', () => {
    assert.deepEqual(split(100, ['ab', 'c\nde', 'f\r\n\n', 'g']), ['abc', 'def', ''])
  })

  it('keeps a multi-byte character cut between two chunks whole', () => {
    const bytes = Buffer.from('é€\n')
    assert.deepEqual(split(100, [bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)]), ['é€'])
  })

  it('reports a line over the limit once, throws the rest of it away, and goes on', () => {
    assert.deepEqual(split(5, ['abc', 'defg', 'hij', 'kl\nok\n']), [7, 'ok'])
    assert.deepEqual(split(5, ['12345\n123456\n']), ['12345', 6])
  })
})

describe('a pool server fed bad input', function () {
  this.timeout(60_000)
  let h: SessionHarness
  let pid: number

  before(async () => {
    h = new SessionHarness()
    pid = (await h.open({key: 'fuzz', file: h.pageFile(PAGESIZE, 8), pagesize: PAGESIZE, maxcache: 4})).pid
  })
  after(async () => {
    try {
      if (isAlive(pid)) {
        await (await connectPool({key: 'fuzz'})).close()
        await waitForExit(pid)
      }
    } finally {
      h.cleanup()
    }
  })

  /**
   * expectedRefusal -- the error reply a line must get if the checker refuses it: exactly the
   * checker's own error for a JSON line, the not-JSON error for anything else; null for a
   * line that is a request (the pool answers it, and may refuse it in its own words).
   */
  function expectedRefusal(line: string | Buffer): {code: string; message: RegExp | string} | null {
    if (Buffer.byteLength(line) > LIMIT) {
      return {code: 'E2BIG', message: new RegExp(`^bad request: a line of more than \\d+ bytes, over this pool's limit of ${LIMIT}; it was ignored up to its newline$`)}
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(line.toString())
    } catch {
      return {code: 'EPROTO', message: /^bad request: not JSON \([^\n]{1,120}\); send one JSON object per line$/}
    }
    const checked = checkRequest(parsed)
    return checked.ok ? null : {code: checked.error.code, message: checked.error.message}
  }

  /** ask -- send lines raw, expect one JSON reply per line: the checker's refusal exactly, or the pool's answer. */
  async function ask(lines: Array<string | Buffer>): Promise<Array<{id: unknown; ok: boolean; error?: {code: string; message: string}}>> {
    const replies = await exchange(h.socket('fuzz'), lines)
    assert.equal(replies.length, lines.length, 'one reply per line')
    return replies.map((text, i) => {
      const reply = JSON.parse(text)
      assert.equal(typeof reply.ok, 'boolean')
      const refusal = expectedRefusal(lines[i]!)
      if (refusal !== null) {
        assert.equal(reply.ok, false)
        assert.equal(reply.error.code, refusal.code)
        if (typeof refusal.message === 'string') assert.equal(reply.error.message, refusal.message)
        else assert.match(reply.error.message, refusal.message)
      } else if (!reply.ok) {
        // a request the pool refused: the engine's one line, under a code the shell knows
        assert.match(reply.error.code, /^E[A-Z0-9]+$/)
        assert.match(reply.error.message, /^[^\n]+$/)
        assert.doesNotMatch(reply.error.message, /^bad request/, 'a request that passed the checker is not refused as one')
      }
      return reply
    })
  }

  async function pings(): Promise<void> {
    const [reply] = await ask([JSON.stringify({id: 99, op: 'ping'})])
    assert.deepEqual(reply, {id: 99, ok: true, result: {pid}})
  }

  const noNewline = (s: string) => s.replace(/\n/g, ' ')

  it('answers arbitrary strings with an error each, and still answers a ping', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({unit: 'binary', maxLength: 300}).map(noNewline), {minLength: 1, maxLength: 20}), async (lines) => {
        const replies = await ask(lines)
        for (const reply of replies) assert.equal(reply.ok, false)
        await pings()
      }),
      {seed: 0x5e55, numRuns: 30},
    )
  })

  it('answers arbitrary bytes (invalid UTF-8 too) with an error each, and still answers a ping', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({maxLength: 200}).map((b) => Buffer.from(b.filter((x) => x !== 10))), {minLength: 1, maxLength: 20}), async (lines) => {
        const replies = await ask(lines)
        for (const reply of replies) assert.equal(reply.ok, false)
        await pings()
      }),
      {seed: 0xb17e, numRuns: 30},
    )
  })

  it('answers arbitrary JSON values with an error each, and still answers a ping', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({maxDepth: 3}), {minLength: 1, maxLength: 20}), async (values) => {
        const replies = await ask(values.map((v) => JSON.stringify(v)))
        for (const reply of replies) assert.equal(reply.ok, false)
        await pings()
      }),
      {seed: 0x150a, numRuns: 30},
    )
  })

  it('answers request-shaped objects with junk arguments under their own id, and still answers a ping', async () => {
    // Every op but close and join (which would end or resize the pool under the test).
    const ops = OPS.filter((op) => op !== 'close' && op !== 'join')
    const request = fc.record(
      {
        id: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string(), fc.constant(null)),
        op: fc.oneof(fc.constantFrom(...ops), fc.string()),
        args: fc.oneof(
          fc.jsonValue({maxDepth: 2}),
          fc.record({pgno: fc.oneof(fc.nat({max: 10}), fc.integer(), fc.double(), fc.string())}, {requiredKeys: []}),
          fc.record({first: fc.oneof(fc.nat({max: 9}), fc.integer(), fc.double()), last: fc.oneof(fc.nat({max: 9}), fc.integer()), withFile: fc.boolean()}, {requiredKeys: ['first', 'last']}),
          fc.record({pgno: fc.nat({max: 7}), dirty: fc.boolean(), write: fc.record({offset: fc.integer({min: -2, max: PAGESIZE}), bytes: fc.base64String({maxLength: 12})})}, {requiredKeys: ['pgno']}),
        ),
      },
      {requiredKeys: []},
    )
    let served = 0
    await fc.assert(
      fc.asyncProperty(fc.array(request, {minLength: 1, maxLength: 20}), async (requests) => {
        const replies = await ask(requests.map((r) => JSON.stringify(r)))
        served += replies.filter((r) => r.ok).length
        replies.forEach((reply, i) => {
          const id = requests[i]!.id
          if (Number.isSafeInteger(id) && (id as number) >= 0) assert.equal(reply.id, id, 'answered under its own id')
          else assert.equal(reply.id, null)
        })
        await pings()
      }),
      {seed: 0x0b1e, numRuns: 40},
    )
    assert.ok(served > 0, 'some of the fuzzed requests were valid and were served')
    assert.ok(isAlive(pid))
  })

  it('answers lines nested thousands deep with an error each, and keeps serving with its dirty page still dirty', async () => {
    const pool = await connectPool({key: 'fuzz'})
    await pool.get(5)
    await pool.put(5, {write: {offset: 0, bytes: Buffer.from('keep me')}})
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
    const lines = [
      deep(5000),
      deep(3000),
      `{"id":1,"op":"get","args":{"pgno":${deep(5000)}}}`,
      `{"id":${deep(5000)},"op":"ping"}`,
      `{"id":2,"op":"put","args":{"pgno":5,"write":${deep(5000)}}}`,
      `{"id":3,"op":"hello","args":{"pid":1,"command":${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}}}`,
    ]
    const replies = await ask(lines)
    assert.deepEqual(
      replies.map((r) => [r.id, r.error?.code]),
      [
        [null, 'EPROTO'],
        [null, 'EPROTO'],
        [1, 'EPROTO'],
        [null, 'EPROTO'],
        [2, 'EPROTO'],
        [3, 'EPROTO'],
      ],
    )
    assert.equal(replies[0]!.error!.message, `bad request: a request is nested more than ${MAX_NESTING} levels deep; a request is an object of flat fields`)
    await pings()
    const stats = await pool.stats()
    assert.equal(stats.dirty, 1, 'the dirty page is still dirty')
    assert.deepEqual((await pool.peek(5)).bytes.subarray(0, 7), Buffer.from('keep me'))
    await pool.detach()
  })

  it('answers fuzzed deep nesting, anywhere in a request, with an error under the id it could read', async () => {
    // The nesting is written as text: a value 6000 deep would overflow JSON.stringify here too.
    const depth = fc.integer({min: MAX_NESTING, max: 6000})
    const where = fc.constantFrom('line', 'id', 'pgno', 'args', 'write', 'bytes')
    const open = fc.constantFrom('[', '{"k":')
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(depth, where, open), {minLength: 1, maxLength: 6}), async (cases) => {
        const lines = cases.map(([n, at, opener], i) => {
          const value = opener.repeat(n) + '1' + (opener === '[' ? ']' : '}').repeat(n)
          const write = at === 'write' ? value : `{"offset":0,"bytes":${at === 'bytes' ? value : '"aGk="'}}`
          const args = at === 'args' ? value : `{"pgno":${at === 'pgno' ? value : 0},"write":${write}}`
          return at === 'line' ? value : `{"id":${at === 'id' ? value : i},"op":"put","args":${args}}`
        })
        const replies = await ask(lines)
        replies.forEach((reply, i) => {
          assert.equal(reply.ok, false)
          assert.equal(reply.error!.code, 'EPROTO')
          assert.equal(reply.id, cases[i]![1] === 'line' || cases[i]![1] === 'id' ? null : i)
        })
        await pings()
      }),
      {seed: 0xdee9, numRuns: 15},
    )
  })

  it('answers an empty line with an error', async () => {
    const [reply] = await ask([''])
    assert.equal(reply!.ok, false)
    assert.equal(reply!.error!.code, 'EPROTO')
  })

  it('answers a line over the limit with E2BIG and goes on reading the same connection', async () => {
    const big = JSON.stringify({id: 1, op: 'put', args: {pgno: 0, write: {offset: 0, bytes: Buffer.alloc(LIMIT).toString('base64')}}})
    const replies = await ask([big, JSON.stringify({id: 2, op: 'ping'})])
    assert.equal(replies[0]!.id, null)
    assert.equal(replies[0]!.error!.code, 'E2BIG')
    assert.match(replies[0]!.error!.message, new RegExp(`over this pool's limit of ${LIMIT}`))
    assert.deepEqual(replies[1], {id: 2, ok: true, result: {pid}})
  })

  it('answers a flood without newlines as soon as it passes the limit, before the line ends, then reads on', async () => {
    const socket = net.createConnection(h.socket('fuzz'))
    try {
      const received: string[] = []
      let buffered = ''
      const lineArrived = () =>
        new Promise<string>((resolve) => {
          const check = () => {
            if (received.length > 0) resolve(received.shift()!)
            else socket.once('data', check)
          }
          check()
        })
      socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        let nl
        while ((nl = buffered.indexOf('\n')) !== -1) {
          received.push(buffered.slice(0, nl))
          buffered = buffered.slice(nl + 1)
        }
      })
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
      const chunk = Buffer.alloc(64 << 10, 'x')
      for (let sent = 0; sent < 3 * LIMIT; sent += chunk.length) socket.write(chunk)
      const first = JSON.parse(await lineArrived())
      assert.equal(first.error.code, 'E2BIG')
      socket.write(`\n${JSON.stringify({id: 5, op: 'ping'})}\n`)
      assert.deepEqual(JSON.parse(await lineArrived()), {id: 5, ok: true, result: {pid}})
    } finally {
      socket.destroy()
    }
  })

  it('is still the same server, serving the pool, after all of it', async () => {
    assert.ok(isAlive(pid))
    const pool = await connectPool({key: 'fuzz'})
    const stats = await pool.stats()
    assert.equal(stats.pagesize, PAGESIZE)
    for (const frame of await pool.frames()) {
      // pins left by fuzzed gets are recorded to the anonymous holder
      assert.equal(frame.holders.length, frame.pins)
    }
    await pool.detach()
  })
})
