import assert from 'node:assert/strict'
import fs from 'node:fs'
import * as pty from 'node-pty'
import {EXIT} from '../../src/common/exit-status.js'
import {POLICY_NAMES} from '../../src/pool/policies/index.js'
import type {PolicyName} from '../../src/pool/replacer.js'
import {replay, replayAll, type ReplayResult, type Series} from '../../src/workload/simulator.js'
import {divergences, stepsOf, type StepsResult} from '../../src/workload/stepper.js'
import {parseTrace, readTrace} from '../../src/workload/trace.js'
import {defaultSizes, distinctPages} from '../../src/replay/options.js'
import {percent1} from '../../src/replay/table.js'
import {BIN, buildOnce, CliSandbox, type CliResult} from '../helpers/cli.js'
import {modelReplay} from '../helpers/reference-policies.js'
import {makeDatabase} from '../helpers/sqlite3.js'
import {btreeTrace} from '../../src/workload/btree.js'
import {openSqliteDb} from '../../src/workload/sqlite-db.js'

const ESC = '\x1b['

describe('mpool trace gen and mpool replay, through the real binary', function () {
  this.timeout(60_000)
  let box: CliSandbox

  before(() => buildOnce())
  beforeEach(() => {
    box = new CliSandbox('mpool-replay-cli-')
  })
  afterEach(async () => {
    await box.cleanup()
    assert.deepEqual(box.serverPids(), [], 'no server left behind')
  })

  async function ok(args: string[], env?: Record<string, string>): Promise<CliResult> {
    const r = await box.run(args, env === undefined ? {} : {env})
    assert.equal(r.status, 0, `mpool ${args.join(' ')} failed: ${r.stderr}`)
    assert.equal(r.stderr, '', `mpool ${args.join(' ')} wrote to stderr`)
    return r
  }

  /** fails -- `mpool ARGS` exits `exit` with one line on stderr matching `pattern` and nothing on stdout. */
  async function fails(args: string[], exit: number, pattern: RegExp): Promise<void> {
    const r = await box.run(args)
    const what = `mpool ${args.join(' ')}`
    assert.equal(r.status, exit, `${what}: exit ${r.status}, stderr ${r.stderr}`)
    assert.equal(r.stdout, '', `${what} wrote to stdout`)
    const verb = args[0] === 'trace' ? 'trace gen' : args[0]
    assert.ok(r.stderr.startsWith(`mpool ${verb}: `), `${what}: not prefixed "mpool ${verb}: ": ${JSON.stringify(r.stderr)}`)
    assert.match(r.stderr, /^mpool [^\n]*\n$/, `${what}: not one line: ${JSON.stringify(r.stderr)}`)
    assert.match(r.stderr, pattern, what)
    assert.doesNotMatch(r.stderr, /\bat .*\(.*:\d+:\d+\)/, `${what}: a stack trace`)
  }

  /** sweep -- each case fails as `fails` says, three commands at a time. */
  async function sweep(cases: Array<[string[], number, RegExp]>): Promise<void> {
    const queue = [...cases]
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await fails(...next)
    }
    await Promise.all([worker(), worker(), worker()])
  }

  describe('trace gen', () => {
    it('writes a trace that parses, the same for the same seed and another for another seed', async () => {
      const a = await ok(['trace', 'gen', 'zipf', '--pages', '300', '--length', '2000', '--seed', '7'])
      const b = await ok(['trace', 'gen', 'zipf', '--pages', '300', '--length', '2000', '--seed', '7'])
      const c = await ok(['trace', 'gen', 'zipf', '--pages', '300', '--length', '2000', '--seed', '8'])
      assert.equal(a.stdout, b.stdout)
      assert.notEqual(a.stdout, c.stdout)
      const trace = parseTrace(a.stdout)
      assert.equal(trace.pgnos.length, 2000)
      assert.ok(trace.pgnos.every((p) => p < 300))
      assert.match(a.stdout, /^# mpool trace v1\n# mpool trace gen zipf --pages 300 --length 2000 --seed 7\n\d+\n/)
    })

    it('writes each kind, with its default length, to --output and prints a summary with --json', async () => {
      for (const kind of ['seq', 'loop', 'zipf', 'scan-mix']) {
        const file = box.path(`${kind}.trace`)
        const r = await ok(['trace', 'gen', kind, '--pages', '40', '--output', file, '--json'])
        const length = kind === 'seq' ? 40 : 400
        assert.deepEqual(JSON.parse(r.stdout), {kind, pages: 40, length, seed: 1, output: file})
        const trace = readTrace(file)
        assert.equal(trace.pgnos.length, length)
        assert.ok(trace.pgnos.every((pgno) => pgno < 40))
        if (kind !== 'zipf') assert.equal(distinctPages(trace.pgnos), 40)
        if (kind === 'seq') assert.deepEqual([...trace.pgnos], Array.from({length: 40}, (_, i) => i))
      }
      const plain = await ok(['trace', 'gen', 'loop', '--pages', '40', '-o', box.path('x.trace')])
      assert.equal(plain.stdout, `wrote 400 accesses to ${box.path('x.trace')}: loop over 40 pages, seed 1\n`)
      assert.equal(fs.readFileSync(box.path('x.trace'), 'utf8'), (await ok(['trace', 'gen', 'loop', '--pages', '40'])).stdout)
    })

    it('refuses every bad flag in one line with exit 2, leaving the output file as it was', async () => {
      const out = box.path('keep.trace')
      fs.writeFileSync(out, 'precious\n')
      const o = ['--output', out]
      await sweep([
        [['trace', 'gen'], EXIT.usage, /missing KIND/],
        [['trace', 'gen', 'random', ...o], EXIT.usage, /KIND must be one of seq, loop, zipf, scan-mix, btree, not "random"/],
        [['trace', 'gen', 'seq', '--pages', '0', ...o], EXIT.usage, /--pages must be a whole number from 1 to 10000000.*not "0"/],
        [['trace', 'gen', 'seq', '--pages', '-3', ...o], EXIT.usage, /--pages must be a whole number.*not "-3"/],
        [['trace', 'gen', 'seq', '--pages', 'many', ...o], EXIT.usage, /--pages .*not "many"/],
        [['trace', 'gen', 'seq', '--pages', '99999999999', ...o], EXIT.usage, /--pages .*not "99999999999"/],
        [['trace', 'gen', 'seq', '--length', '2.5', ...o], EXIT.usage, /--length must be a whole number from 1 to 50000000.*not "2\.5"/],
        [['trace', 'gen', 'seq', '--length', '0', ...o], EXIT.usage, /--length .*not "0"/],
        [['trace', 'gen', 'zipf', '--pages', '9000000', ...o], EXIT.usage, /default length \(10 × pages\) is 90000000.*give --length/],
        [['trace', 'gen', 'seq', '--seed', '-1', ...o], EXIT.usage, /--seed must be a whole number from 0 to 4294967295.*not "-1"/],
        [['trace', 'gen', 'seq', '--seed', 'abc', ...o], EXIT.usage, /--seed .*not "abc"/],
        [['trace', 'gen', 'seq', '--seed', '4294967296', ...o], EXIT.usage, /--seed .*not "4294967296"/],
        [['trace', 'gen', 'seq', '--pages', '10', '--length', '11', ...o], EXIT.usage, /seq is one scan of the 10 pages, so --length may be at most 10, not 11; loop repeats the scan/],
      ])
      assert.equal(fs.readFileSync(out, 'utf8'), 'precious\n')
      assert.deepEqual(fs.readdirSync(box.dir).sort(), ['keep.trace'])
    })

    it('needs --output with --json, and reports a file it cannot write with exit 6', async () => {
      const json = await box.run(['trace', 'gen', 'seq', '--json'])
      assert.equal(json.status, EXIT.usage)
      assert.deepEqual(JSON.parse(json.stdout), {error: {code: 'EUSAGE', exit: EXIT.usage, message: '--json prints a summary on stdout, so the trace needs --output FILE'}})
      await fails(['trace', 'gen', 'seq', '--output', box.path('no/such/dir.trace')], EXIT.file, /cannot write trace .*dir\.trace: no such file or directory/)
      await fails(['trace', 'gen', 'seq', '--output', box.dir], EXIT.file, /it is a directory; name a file/)
    })
  })

  describe('trace gen btree', () => {
    it('writes the pages the queries read in a sqlite3-made database, the trace btreeTrace gives, with a summary in --json', async () => {
      const db = box.path('shop.db')
      makeDatabase(db, 1024)
      const out = box.path('lookups.trace')
      const args = ['trace', 'gen', 'btree', '--file', db, '--table', 't', '--index', 't_name', '--query', 'mix', '--mix', 'point=8,scan=1', '--queries', '50', '--keys', 'zipf', '--seed', '4', '-o', out]
      const r = await ok([...args, '--json'])
      const opened = openSqliteDb(db)
      let want
      try {
        want = btreeTrace(opened.file, {table: 't', index: 't_name', query: 'mix', mix: {point: 8, scan: 1}, queries: 50, keys: 'zipf', seed: 4})
      } finally {
        opened.close()
      }
      assert.deepEqual([...readTrace(out).pgnos], [...want.trace.pgnos])
      assert.deepEqual(JSON.parse(r.stdout), {
        kind: 'btree',
        pages: Math.floor(fs.statSync(db).size / 1024),
        length: want.trace.pgnos.length,
        seed: 4,
        output: out,
        database: {file: db, table: 't', index: 't_name', query: 'mix', keys: 'zipf', queries: 50},
      })
      assert.match(fs.readFileSync(out, 'utf8'), /^# mpool trace v1\n# mpool trace gen btree --file \S+shop\.db --table t --index t_name --query mix --mix point=8,scan=1 --keys zipf --queries 50 --range 20 --seed 4\n/)
      await fails(args, EXIT.file, /^mpool trace gen: cannot write trace \S+lookups\.trace: it exists; give --force to replace it, or name a new file\n$/)
      const plain = await ok([...args, '--force'])
      assert.equal(plain.stdout, `wrote ${want.trace.pgnos.length} accesses to ${out}: 50 mix queries on t through t_name in ${db}, seed 4\n`)
    })

    it('refuses a missing --file, a file that is not SQLite, unknown names and flags of the other kinds, in one line', async () => {
      const db = box.path('t.db')
      makeDatabase(db, 512)
      const plain = box.path('plain.db')
      fs.writeFileSync(plain, Buffer.alloc(2048))
      const o = ['--output', box.path('x.trace')]
      await sweep([
        [['trace', 'gen', 'btree', ...o], EXIT.usage, /btree reads a SQLite database: give it as --file DB/],
        [['trace', 'gen', 'btree', '--file', box.path('none.db'), ...o], EXIT.file, /cannot read database .*none\.db: no such file or directory/],
        [['trace', 'gen', 'btree', '--file', plain, ...o], EXIT.file, /plain\.db is not a SQLite database: trace gen btree walks SQLite b-trees/],
        [['trace', 'gen', 'btree', '--file', db, ...o], EXIT.usage, /the database has 2 tables \(t, w\): name one with --table/],
        [['trace', 'gen', 'btree', '--file', db, '--table', 't', '--index', 'nope', ...o], EXIT.usage, /no index "nope" on table t; its indexes: t_name, t_score_n/],
        [['trace', 'gen', 'btree', '--file', db, '--table', 't', '--query', 'mix', '--mix', 'point=x', ...o], EXIT.usage, /--mix: "point=x" is not KIND=WEIGHT/],
        [['trace', 'gen', 'btree', '--file', db, '--table', 't', '--mix', 'point=1', ...o], EXIT.usage, /--mix gives the weights of --query mix/],
        [['trace', 'gen', 'btree', '--file', db, '--table', 't', '--length', '5', ...o], EXIT.usage, /give --queries N, not --length/],
        [['trace', 'gen', 'zipf', '--file', db, ...o], EXIT.usage, /--file is for btree traces/],
        [['trace', 'gen', 'btree', '--file', db, '--query', 'join', ...o], EXIT.usage, /join/],
      ])
      assert.ok(!fs.existsSync(box.path('x.trace')))
    })
  })

  describe('replay', () => {
    async function gen(kind: string, pages: number, length: number, name = `${kind}.trace`): Promise<string> {
      const file = box.path(name)
      await ok(['trace', 'gen', kind, '--pages', String(pages), '--length', String(length), '--output', file])
      return file
    }

    it('prints in --json exactly what replayAll gives for the same trace, every policy at the default sizes', async () => {
      const file = await gen('scan-mix', 500, 5000)
      const trace = readTrace(file)
      const sizes = defaultSizes(distinctPages(trace.pgnos))
      assert.deepEqual(sizes, [25, 50, 100, 250, 500])
      const r = await ok(['replay', file, '--json'])
      assert.deepEqual(JSON.parse(r.stdout) as ReplayResult[], replayAll(trace, POLICY_NAMES, sizes))
    })

    it('replays the sizes ascending and the policies in the order asked, OPT last in each size', async () => {
      const file = await gen('zipf', 200, 3000)
      const r = await ok(['replay', file, '--maxcache', '40,7', '--policy', 'arc,lru', '--json'])
      const results = JSON.parse(r.stdout) as ReplayResult[]
      assert.deepEqual(results.map((x) => `${x.policy}@${x.maxcache}`), ['arc@7', 'lru@7', 'opt@7', 'arc@40', 'lru@40', 'opt@40'])
      assert.deepEqual(results, replayAll(readTrace(file), ['arc', 'lru'], [7, 40]))
    })

    it('prints a table and a chart for people, with the numbers of the JSON', async () => {
      const file = await gen('loop', 30, 600)
      const results = JSON.parse((await ok(['replay', file, '--maxcache', '10,30', '--json'])).stdout) as ReplayResult[]
      const {stdout} = await ok(['replay', file, '--maxcache', '10,30'])
      assert.doesNotMatch(stdout, /\x1b\[/, 'no colour into a pipe')
      const lines = stdout.split('\n')
      assert.equal(lines[0], `${file}: 600 accesses to 30 distinct pages; hit ratio = hits / accesses`)
      // the table: under its header, a row per size with a cell per policy, OPT last
      const header = lines.findIndex((l) => /^maxcache +lru +fifo +clock +lru-k +arc +opt$/.test(l))
      assert.ok(header > 0, stdout)
      for (const [i, size] of [10, 30].entries()) {
        const cells = lines[header + 1 + i].trim().split(/ +/)
        assert.deepEqual(cells, [String(size), ...[...POLICY_NAMES, 'opt'].map((p) => percent1(results.find((x) => x.policy === p && x.maxcache === size)!.hitRatio))])
      }
      // a loop of 30 pages through 10 frames: LRU never hits, OPT does; with 30 frames all but the first pass hit
      assert.match(stdout, /\n {4}lru {4} {50} {4}0\.0%\n/)
      assert.match(stdout, /\n {4}lru {4}█{47}▌ {5}95\.0%\n/)
      // the chart: a group per size, a bar per series, and the scale
      assert.match(stdout, /^hit ratio against cache size \(one █ = 2% of accesses\)$/m)
      for (const size of [10, 30]) {
        const at = lines.indexOf(`  maxcache ${size}`)
        assert.ok(at > header, `a group for maxcache ${size}`)
        assert.deepEqual(lines.slice(at + 1, at + 2 + POLICY_NAMES.length).map((l) => l.trim().split(' ')[0]), [...POLICY_NAMES, 'opt'])
      }
      assert.match(lines.at(-2)!, /^ {11}0% +50% +100%$/)
    })

    it('colours the report when asked by FORCE_COLOR, and not under NO_COLOR', async () => {
      const file = await gen('seq', 20, 20)
      const coloured = await ok(['replay', file], {FORCE_COLOR: '1'})
      assert.ok(coloured.stdout.includes(ESC))
      const plain = await ok(['replay', file], {NO_COLOR: '1'})
      assert.ok(!plain.stdout.includes(ESC))
      assert.equal(coloured.stdout.replace(/\x1b\[[0-9;]*m/g, ''), plain.stdout)
    })

    it('refuses a missing, unreadable or bad trace with exit 6 and bad sizes or policies with exit 2, in one line', async () => {
      const good = await gen('seq', 10, 10)
      const bad = box.path('bad.trace')
      fs.writeFileSync(bad, '# mpool trace v1\n1\n2\n# fine\n3 x\n')
      const empty = box.path('empty.trace')
      fs.writeFileSync(empty, '# mpool trace v1\n')
      const binary = box.path('bytes.trace')
      fs.writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))
      await sweep([
        [['replay'], EXIT.usage, /missing TRACE/],
        [['replay', box.path('none.trace')], EXIT.file, /cannot read trace .*none\.trace: no such file or directory; make one with `mpool trace gen`/],
        [['replay', box.dir], EXIT.file, /cannot read trace .*: it is a directory/],
        [['replay', bad], EXIT.file, /trace .*bad\.trace line 5: unknown flag: "3 x"/],
        [['replay', binary], EXIT.file, /trace .*bytes\.trace line 1: binary bytes, not a trace: a trace is text, headed "# mpool trace v1"/],
        [['replay', empty], EXIT.file, /has no accesses: nothing to replay/],
        [['replay', good, '--maxcache', '0'], EXIT.usage, /--maxcache: each cache size must be a whole number from 1 to 10000000, not "0"/],
        [['replay', good, '--maxcache=-3'], EXIT.usage, /not "-3"/],
        [['replay', good, '--maxcache', 'x'], EXIT.usage, /not "x"/],
        [['replay', good, '--maxcache', ''], EXIT.usage, /--maxcache needs at least one cache size/],
        [['replay', good, '--maxcache', '4,,8'], EXIT.usage, /not ""/],
        [['replay', good, '--policy', 'lfu'], EXIT.usage, /--policy: unknown policy "lfu"; choose from lru, fifo, clock, lru-k, arc, opt or all/],
        [['replay', good, '--policy', ''], EXIT.usage, /--policy needs a policy/],
        [['replay', good, '--bogus'], EXIT.usage, /--bogus/],
      ])
      const json = await box.run(['replay', bad, '--json'])
      assert.equal(json.status, EXIT.file)
      assert.equal((JSON.parse(json.stdout) as {error: {code: string}}).error.code, 'EFTYPE')
    })

    it('draws a progress bar on a terminal\'s stderr for a long replay, and none into a pipe', async function () {
      this.timeout(60_000)
      const file = await gen('zipf', 20000, 100000)
      const piped = await ok(['replay', file, '--json'])
      assert.equal(piped.stderr, '')
      const screen = await inPty(['replay', file], {MPOOL_RUNTIME_DIR: box.runtime})
      assert.equal(screen.exitCode, 0, screen.raw)
      assert.match(screen.raw, /replaying .* \d+\/30 replays/)
      assert.ok(screen.raw.includes(ESC), 'colour on a terminal')
      assert.match(screen.raw, /hit ratio against cache size/)
    })
  })

  describe('replay --steps and --diverge', () => {
    const TEXTBOOK = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1]
    function textbook(): string {
      const file = box.path('textbook.trace')
      fs.writeFileSync(file, `# mpool trace v1\n${TEXTBOOK.join('\n')}\n`)
      return file
    }

    it('prints the answer key: a row per access with the victim, its reason, the frames and the state', async () => {
      const file = textbook()
      const {stdout} = await ok(['replay', file, '--policy', 'lru', '--maxcache', '3', '--steps'])
      const lines = stdout.split('\n')
      assert.deepEqual(lines.slice(0, 8), [
        'lru with 3 frames: 12 misses (page faults) and 8 hits in 20 accesses',
        'step  page  result  victim  frames  state',
        '   1     7  miss         -  7 . .   recency 7',
        '   2     0  miss         -  7 0 .   recency 7 0',
        '   3     1  miss         -  7 0 1   recency 7 0 1',
        '   4     2  miss         7  2 0 1   recency 0 1 2',
        '                    └ lru: least recently used, last used at step 1',
        '   5     0  hit          -  2 0 1   recency 1 2 0',
      ])
      // one row per access, and one reason line per eviction (12 misses, 3 into free frames)
      assert.equal(lines.filter((l) => /^ +\d+ +\d+ +(hit|miss) /.test(l)).length, 20)
      assert.equal(lines.filter((l) => l.includes('└ lru: ')).length, 9)
    })

    it('gives in --json exactly what the stepper gives, for each policy asked, OPT too when named', async () => {
      const file = textbook()
      const r = await ok(['replay', file, '--policy', 'fifo,lru,opt', '--maxcache', '3', '--steps', '--json'])
      const results = JSON.parse(r.stdout) as StepsResult[]
      assert.deepEqual(results.map((x) => [x.policy, x.misses]), [['fifo', 15], ['lru', 12], ['opt', 9]])
      assert.deepEqual(results, ['fifo', 'lru', 'opt'].map((s) => JSON.parse(JSON.stringify(stepsOf(Uint32Array.from(TEXTBOOK), s as Series, 3)))))
    })

    it('lists the steps where one policy hits and another misses', async () => {
      const file = textbook()
      const {stdout} = await ok(['replay', file, '--policy', 'lru,arc,opt', '--maxcache', '3', '--diverge'])
      assert.equal(
        stdout,
        [
          `${file}: lru, arc and opt with 3 frames: one hits where another misses at 4 of 20 steps`,
          'step  page  hit      miss',
          '   9     2  opt      lru,arc',
          '  10     3  opt      lru,arc',
          '  16     0  opt      lru,arc',
          '  17     1  lru,opt  arc',
          '',
        ].join('\n'),
      )
      const json = JSON.parse((await ok(['replay', file, '--policy', 'lru,arc,opt', '--maxcache', '3', '--diverge', '--json'])).stdout) as unknown
      assert.deepEqual(json, {policies: ['lru', 'arc', 'opt'], maxcache: 3, accesses: 20, steps: divergences(Uint32Array.from(TEXTBOOK), ['lru', 'arc', 'opt'], 3)})
    })

    it('refuses --steps and --diverge without one cache size, --diverge with one policy, and both at once', async () => {
      const file = textbook()
      await sweep([
        [['replay', file, '--steps'], EXIT.usage, /--steps replays at one cache size: give it as --maxcache N/],
        [['replay', file, '--steps', '--maxcache', '3,4'], EXIT.usage, /--steps replays at one cache size/],
        [['replay', file, '--diverge', '--policy', 'lru', '--maxcache', '3'], EXIT.usage, /--diverge compares two or more policies: name them as --policy lru,arc/],
        [['replay', file, '--diverge', '--steps', '--maxcache', '3'], EXIT.usage, /cannot also be provided/],
      ])
    })
  })

  /**
   * THE test of recording: a shell session on a real pool server, recorded with --record,
   * replays to the very hits and misses the session's own stats counted. The gets were chosen
   * so that every policy scores differently with 4 frames, so a session that ran another policy
   * than asked, or a trace out of order, cannot pass. The expected hits are not written down:
   * they are what each policy's plain reference model (test/helpers/reference-policies.ts)
   * scores on the same accesses.
   */
  describe('a recorded shell session', () => {
    const NEW_PAGES = 6
    const GETS = [2, 1, 3, 4, 5, 1, 4, 1, 0]
    const ACCESSES = [...Array.from({length: NEW_PAGES}, (_, i) => i), ...GETS]
    const EXPECTED_HITS = Object.fromEntries(POLICY_NAMES.map((p) => [p, modelReplay(p, ACCESSES, 4).hits])) as Record<PolicyName, number>

    it('has gets that tell every policy apart with 4 frames, and the simulator agrees with each reference model', () => {
      assert.equal(new Set(Object.values(EXPECTED_HITS)).size, POLICY_NAMES.length, JSON.stringify(EXPECTED_HITS))
      for (const policy of POLICY_NAMES) assert.equal(replay(Uint32Array.from(ACCESSES), policy, 4).hits, EXPECTED_HITS[policy], policy)
    })

    async function session(policy: PolicyName): Promise<void> {
      const key = `rec-${policy.replace('-', '')}`
      const file = box.path(`${key}.db`)
      const trace = box.path(`${key}.trace`)
      const k = ['--key', key]
      await ok(['open', file, '--create', '--pagesize', '512', '--maxcache', '4', '--policy', policy, '--record', trace, ...k])
      const dirty: boolean[] = []
      for (let i = 0; i < NEW_PAGES; i++) {
        assert.equal((await ok(['new', ...k])).stdout, `${i}\n`)
        dirty.push(i % 2 === 0)
        await ok(['put', String(i), ...(i % 2 === 0 ? ['--dirty'] : []), ...k])
      }
      for (const [i, pgno] of GETS.entries()) {
        await ok(['get', String(pgno), ...k])
        dirty.push(i % 3 === 0)
        await ok(['put', String(pgno), ...(i % 3 === 0 ? ['--dirty'] : []), ...k])
      }
      const stats = JSON.parse((await ok(['stats', '--json', ...k])).stdout) as {policy: string; cachehit: number; cachemiss: number; pagenew: number; pinned: number}
      await ok(['close', ...k])
      assert.equal(stats.policy, policy)
      assert.equal(stats.pinned, 0)

      // the trace holds every access, in order, with the dirty mark of each put
      const recorded = readTrace(trace)
      assert.deepEqual([...recorded.pgnos], [...Array.from({length: NEW_PAGES}, (_, i) => i), ...GETS])
      assert.deepEqual([...recorded.dirty], dirty.map(Number))

      const results = JSON.parse((await ok(['replay', trace, '--maxcache', '4', '--policy', policy, '--json'])).stdout) as ReplayResult[]
      const ours = results.find((r) => r.policy === policy)!
      assert.equal(ours.hits, stats.cachehit, `${policy}: replay hits = the session's cachehit`)
      assert.equal(ours.misses, stats.cachemiss + stats.pagenew, `${policy}: replay misses = the session's cachemiss + pagenew`)
      assert.equal(ours.hits, EXPECTED_HITS[policy])
      assert.equal(results.find((r) => r.policy === 'opt')!.accesses, NEW_PAGES + GETS.length)
    }

    it('replays to the hits and misses the session counted, under lru and under arc', async function () {
      this.timeout(120_000)
      // two pools, two keys, two sessions side by side: each is a sequence of shell commands
      await Promise.all([session('lru'), session('arc')])
    })
  })
})

/** inPty -- run `mpool ARGS` in a real pseudo-terminal (stdout and stderr both the terminal) until it exits. */
function inPty(args: string[], env: Record<string, string>): Promise<{raw: string; exitCode: number}> {
  const childEnv: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && name !== 'NO_COLOR' && name !== 'FORCE_COLOR') childEnv[name] = value
  const child = pty.spawn(process.execPath, [BIN, ...args], {name: 'xterm-256color', cols: 100, rows: 40, env: {...childEnv, TERM: 'xterm-256color', CI: 'false', ...env}})
  let raw = ''
  child.onData((data) => (raw += data))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`mpool ${args.join(' ')} did not finish in a pty within 30 s`))
    }, 30_000)
    child.onExit(({exitCode}) => {
      clearTimeout(timer)
      resolve({raw, exitCode})
    })
  })
}
