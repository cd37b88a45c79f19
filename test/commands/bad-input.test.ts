import assert from 'node:assert/strict'
import {execFileSync, spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {EXIT} from '../../src/common/exit-status.js'
import {connectPool, type RemotePool} from '../../src/session/index.js'
import {BIN, buildOnce, CliSandbox, ROOT} from '../helpers/cli.js'

const PAGESIZE = 512

/** One bad command line: what it is, the exit status it must give and what its one line must say. */
interface Case {
  args: string[]
  exit: number
  says: RegExp
  env?: Record<string, string>
  /** the JSON error code, where a script must be able to tell this case from another of its exit status */
  code?: string
}

describe('bad input to every verb', function () {
  this.timeout(120_000)
  const box = new CliSandbox('mpool-bad-')
  const file = box.path('sweep.db')
  /** pastEnd -- exactly the one line any verb gives for a page past the end of sweep.db (4 pages), over the pool or read with --file. */
  const pastEnd = (verb: string, pgno: number): RegExp =>
    new RegExp(`^${`mpool ${verb}: page ${pgno} is past the end of ${file}: it has 4 pages of ${PAGESIZE} bytes (0 to 3); nothing was touched`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`)
  /** a file no pool holds (sweep.db is held by the pool sweep, and one file is one pool) */
  const other = box.path('other.db')
  /** a file of someone's that --record and --output must not clobber, and a symlink planted to it */
  const keep = box.path('keep.txt')
  const planted = box.path('planted.trace')
  const missing = box.path('missing.db')
  const dir = box.path('a-directory')
  const fifo = box.path('a-fifo')
  const big = box.path('big.bin')
  const sq = box.path('s1k.db') // a SQLite database of 1 KiB pages, made by sqlite3 in before()
  const huge = box.path('huge.db') // s1k.db made 100 GiB long, sparse: 104,857,600 pages, more than a map holds
  let pool: RemotePool
  let savedRuntime: string | undefined

  before(async () => {
    buildOnce()
    fs.writeFileSync(file, Buffer.alloc(4 * PAGESIZE, 0x5a))
    fs.writeFileSync(other, Buffer.alloc(PAGESIZE))
    fs.writeFileSync(keep, 'precious\n')
    fs.symlinkSync(keep, planted)
    fs.mkdirSync(dir)
    execFileSync('mkfifo', [fifo])
    fs.symlinkSync(box.path('loop'), box.path('loop'))
    fs.writeFileSync(big, Buffer.alloc(PAGESIZE + 1))
    execFileSync('sqlite3', [sq], {input: 'PRAGMA page_size=1024; CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 2);'})
    fs.copyFileSync(sq, huge)
    fs.truncateSync(huge, 100 * 2 ** 30)
    const opened = await box.run(['open', file, '--pagesize', String(PAGESIZE), '--maxcache', '2', '--key', 'sweep'])
    assert.equal(opened.status, 0, opened.stderr)
    assert.equal((await box.run(['get', '1'])).status, 0, 'page 1 is pinned for the put and delete cases')
    // This process looks at the pool directly (stats change nothing) instead of running `mpool stats` after every case.
    savedRuntime = process.env.MPOOL_RUNTIME_DIR
    process.env.MPOOL_RUNTIME_DIR = box.runtime
    pool = await connectPool({key: 'sweep'})
  })

  after(async () => {
    await pool?.detach()
    if (savedRuntime === undefined) delete process.env.MPOOL_RUNTIME_DIR
    else process.env.MPOOL_RUNTIME_DIR = savedRuntime
    await box.cleanup()
    assert.deepEqual(box.serverPids(), [])
  })

  const cases: Case[] = [
    // usage: exit 2
    {args: ['get'], exit: EXIT.usage, says: /^mpool get: missing PGNO/},
    {args: ['get', 'seven'], exit: EXIT.usage, says: /page number must be a whole number from 0 to 4294967295/},
    {args: ['get', '-1'], exit: EXIT.usage, says: /not "-1"|0 or more, not -1/},
    {args: ['get', '1.5'], exit: EXIT.usage, says: /not "1\.5"/},
    {args: ['get', '99999999999'], exit: EXIT.usage, says: /not "99999999999"/},
    {args: ['get', '1', '2'], exit: EXIT.usage, says: /^mpool get: unexpected argument "2": get takes \[PGNO\]; see mpool get --help$/},
    {args: ['get', '1', '--bogus'], exit: EXIT.usage, says: /^mpool get: unknown flag --bogus: get takes --format, --decode, --page, --offset, --length, --raw, --explain, --key, --timeout, --json$/},
    {args: ['get', '1', '--format', 'xxd'], exit: EXIT.usage, says: /^mpool get: --format must be one of hexy, hexdump, not "xxd"$/},
    {args: ['dump', '0', '--format', 'hex'], exit: EXIT.usage, says: /^mpool dump: --format must be one of hexy, hexdump, not "hex"$/},
    {args: ['get', '1', '--raw', '--json'], exit: EXIT.usage, says: /--raw and --json both want stdout/},
    {args: ['get', '3-1'], exit: EXIT.usage, says: /^mpool get: a page range runs from low to high: "3-1" ends before it starts; give 1-3$/},
    {args: ['dump', '1-'], exit: EXIT.usage, says: /^mpool dump: a page range is A-B \(e\.g\. 3-7, both included\), not "1-"$/},
    {args: ['dump', '1-2-3'], exit: EXIT.usage, says: /^mpool dump: a page range is A-B/},
    {args: ['get', '1-x'], exit: EXIT.usage, says: /^mpool get: a page range's last page must be a whole number from 0 to 4294967295 \(decimal or 0x hex\), not "x"$/},
    {args: ['get', '0-4'], exit: EXIT.refused, says: pastEnd('get', 4)},
    {args: ['dump', '0-9', '--file', file, '--pagesize', String(PAGESIZE)], exit: EXIT.refused, says: pastEnd('dump', 9)},
    {args: ['dump', '0', '--offset', 'ten'], exit: EXIT.usage, says: /^mpool dump: --offset must be a whole number/},
    {args: ['dump', '0', '--length', '0'], exit: EXIT.usage, says: /^mpool dump: --length must be a whole number from 1 to/},
    {args: ['dump', '0', '--offset', '512'], exit: EXIT.refused, says: /^mpool dump: --offset 512 is past the end of the page \(pagesize 512, offsets 0 to 511\)$/},
    {args: ['get', '0', '--offset', '500', '--length', '13'], exit: EXIT.refused, says: /^mpool get: --offset 500 --length 13 runs past the end of the page \(pagesize 512\): at most --length 12 from there$/},
    {args: ['dump', '0', '--offset', '4', '--diff'], exit: EXIT.usage, says: /^mpool dump: --offset and --length show a window of the bytes; --diff works on whole pages: choose one$/},
    {args: ['put'], exit: EXIT.usage, says: /^mpool put: missing PGNO/},
    {args: ['put', '1', '--hex', 'abc'], exit: EXIT.usage, says: /odd number of digits \(3\)/},
    {args: ['put', '1', '--hex', '0xzz'], exit: EXIT.usage, says: /--hex takes hex digits .* not "z"/},
    {args: ['put', '1', '--text', 'a', '--hex', '00'], exit: EXIT.usage, says: /^mpool put: --text and --hex cannot go together: give one of them$/},
    {args: ['put', '1', '--fill', '256'], exit: EXIT.usage, says: /--fill must be a whole number from 0 to 255/},
    {args: ['put', '1', '--offset', 'ten', '--text', 'x'], exit: EXIT.usage, says: /--offset must be a whole number/},
    {args: ['put', '1', '--offset', '4'], exit: EXIT.usage, says: /--offset says where to write/},
    {args: ['delete'], exit: EXIT.usage, says: /^mpool delete: missing PGNO/},
    {args: ['sync', 'now'], exit: EXIT.usage, says: /^mpool sync: unexpected argument "now": sync takes none/},
    {args: ['get', '1', '--rwa'], exit: EXIT.usage, says: /^mpool get: unknown flag --rwa: .* \(did you mean --raw\?\)$/},
    {args: ['put', '1', '--text', 'a', '--text', 'b'], exit: EXIT.usage, says: /^mpool put: --text is given twice: give it once$/},
    {args: ['put', '1', '--offset'], exit: EXIT.usage, says: /^mpool put: --offset needs a value: --offset N$/},
    {args: ['put', '1', '--dirty=yes'], exit: EXIT.usage, says: /^mpool put: --dirty takes no value/},
    {args: ['stats', '--verbose'], exit: EXIT.usage, says: /^mpool stats: unknown flag --verbose: stats takes --explain, --key, --timeout, --json$/},
    {args: ['close', '3'], exit: EXIT.usage, says: /unexpected argument "3"/},
    {args: ['new', '5'], exit: EXIT.usage, says: /unexpected argument "5"/},
    {args: ['dump', '--diff'], exit: EXIT.usage, says: /--diff compares one page with the file/},
    {args: ['dump', '0', '--pagesize', '512'], exit: EXIT.usage, says: /--pagesize goes with --file/},
    {args: ['dump', '0', '--file', file, '--pagesize', '0'], exit: EXIT.usage, says: /--pagesize must be a whole number from 1/},
    {args: ['get', '--page', '1'], exit: EXIT.usage, says: /^mpool get: --page 1 names a page in the file's own format, and this is a plain page file; give PGNO instead$/},
    {args: ['get', '1', '--page', '2'], exit: EXIT.usage, says: /^mpool get: give PGNO or --page, not both \(PGNO 1, --page 2\)$/},
    {args: ['get', '1', '--raw', '--decode'], exit: EXIT.usage, says: /^mpool get: --raw writes the bytes as they are and --decode says what they mean: choose one$/},
    {args: ['dump', '--decode'], exit: EXIT.usage, says: /^mpool dump: --decode shows one page: give a page number/},
    {args: ['dump', '--page', '0', '--file', sq], exit: EXIT.usage, says: /^mpool dump: --page 0: SQLite pages count from 1 \(SQLite page 1 is pgno 0\)$/},
    {args: ['dump', '--page', 'x', '--file', sq], exit: EXIT.usage, says: /^mpool dump: --page must be a whole number from 0 to/},
    {args: ['map', '--pagesize', '1024'], exit: EXIT.usage, says: /^mpool map: --pagesize goes with --file; a pool has its own pagesize$/},
    {args: ['get', '1', '--key', '../etc/passwd'], exit: EXIT.usage, says: /"\.\.\/etc\/passwd" is not a valid pool key/},
    {args: ['get', '1', '--key', '/tmp/sweep'], exit: EXIT.usage, says: /is not a valid pool key/},
    {args: ['get', '1'], env: {MPOOL_KEY: 'a/b'}, exit: EXIT.usage, says: /"a\/b" is not a valid pool key/},
    {args: ['open'], exit: EXIT.usage, says: /^mpool open: missing FILE/},
    {args: ['open', file, '--pagesize', '0'], exit: EXIT.usage, says: /--pagesize must be a whole number from 1 to 2097152/},
    {args: ['open', file, '--maxcache', '-5'], exit: EXIT.usage, says: /^mpool open: --maxcache must be a whole number from 1 to \d+ \(decimal or 0x hex\), not "-5"$/},
    {args: ['open', file, '--policy', 'lfu2'], exit: EXIT.usage, says: /^mpool open: --policy must be one of lru, .*, not "lfu2"$/},
    {args: ['open', file, '--key', '.hidden'], exit: EXIT.usage, says: /is not a valid pool key/},
    // no such pool: exit 3
    {args: ['get', '1', '--key', 'nokey'], exit: EXIT.noPool, says: /no pool with key nokey is open/, code: 'ENOPOOL'},
    {args: ['stats'], env: {MPOOL_KEY: 'nokey'}, exit: EXIT.noPool, says: /no pool with key nokey is open/, code: 'ENOPOOL'},
    // refused by the pool: exit 4
    {args: ['get', '4'], exit: EXIT.refused, says: pastEnd('get', 4)},
    {args: ['get', '4294967295'], exit: EXIT.refused, says: pastEnd('get', 4294967295)},
    {args: ['put', '2'], exit: EXIT.refused, says: /not pinned/},
    {args: ['put', '2', '--text', 'x'], exit: EXIT.refused, says: /not pinned/},
    {args: ['put', '1', '--text', 'xy', '--offset', '511'], exit: EXIT.refused, says: /cannot write 2 bytes at offset 511: page 1 has 512 bytes/},
    {args: ['put', '1', '--text', 'x', '--offset', '4096'], exit: EXIT.refused, says: /cannot write 1 byte at offset 4096: page 1 has 512 bytes/},
    {args: ['put', '1', '--fill', '0', '--offset', '512'], exit: EXIT.refused, says: /--offset 512 is past the end of the page/},
    {args: ['put', '1', '--from', big], exit: EXIT.refused, says: /has 513 bytes, more than a page can hold \(512\)/},
    {args: ['delete', '2'], exit: EXIT.refused, says: /not pinned|not cached/},
    {args: ['dump', '9'], exit: EXIT.refused, says: pastEnd('dump', 9)},
    {args: ['dump', '--page', '3', '--file', sq], exit: EXIT.refused, says: /^mpool dump: --page 3 is past the end: the file has 2 SQLite pages \(1 to 2\)$/},
    {args: ['dump', '9', '--file', file, '--pagesize', '512'], exit: EXIT.refused, says: pastEnd('dump', 9)},
    // the file: exit 6
    {args: ['open', missing], exit: EXIT.file, says: /missing\.db does not exist; pass --create to make it/, code: 'ENOENT'},
    {args: ['open', dir], exit: EXIT.file, says: /is a directory/},
    {args: ['open', fifo], exit: EXIT.file, says: /is not a regular file/},
    {args: ['open', box.path('no/such/dir/x.db'), '--create'], exit: EXIT.file, says: /its folder does not exist/},
    {args: ['open', other, '--key', 'rec', '--record', keep], exit: EXIT.file, says: /^mpool open: cannot record to \S+keep\.txt: it exists, and a recording never writes over a file; give --force to replace it; give --record the path of a new trace file$/, code: 'EEXIST'},
    {args: ['open', other, '--key', 'rec', '--record', planted], exit: EXIT.file, says: /^mpool open: cannot record to \S+planted\.trace: it exists, and a recording never writes over a file/},
    {args: ['trace', 'gen', 'seq', '--pages', '4', '--output', keep], exit: EXIT.file, says: /^mpool trace gen: cannot write trace \S+keep\.txt: it exists; give --force to replace it, or name a new file$/},
    {args: ['open', other, '--key', 'rec', '--record', dir], exit: EXIT.file, says: /^mpool open: cannot record to .*a-directory: it is a directory; give --record the path of a new trace file$/},
    {args: ['open', other, '--key', 'rec', '--record', box.path('no/such/dir/x.trace')], exit: EXIT.file, says: /^mpool open: cannot record to .*x\.trace: its folder does not exist; give --record/},
    {args: ['put', '1', '--from', missing], exit: EXIT.file, says: /--from .*missing\.db: no such file/},
    {args: ['put', '1', '--from', dir], exit: EXIT.file, says: /--from .* is a directory/},
    {args: ['put', '1', '--from', fifo], exit: EXIT.file, says: /--from .* is not a regular file/},
    // a path through a regular file (ENOTDIR) or a symlink loop (ELOOP) is the file's fault, like EACCES: 6, not 7
    {args: ['put', '1', '--from', `${file}/inside`], exit: EXIT.file, says: /^mpool put: --from \S+sweep\.db\/inside: ENOTDIR/, code: 'ENOTDIR'},
    {args: ['put', '1', '--from', box.path('loop')], exit: EXIT.file, says: /^mpool put: --from \S+loop: ELOOP/, code: 'ELOOP'},
    {args: ['replay', fifo], exit: EXIT.file, says: /^mpool replay: cannot read trace \S+a-fifo: it is not a regular file \(a pipe, socket or device\); give a trace file$/},
    {args: ['dump', '0', '--file', missing], exit: EXIT.file, says: /missing\.db does not exist/},
    {args: ['dump', '0', '--file', dir], exit: EXIT.file, says: /is a directory/},
    {args: ['dump', '0', '--file', fifo], exit: EXIT.file, says: /is not a regular file/},
    {args: ['get', '1', '--decode'], exit: EXIT.file, says: /^mpool get: \S*sweep\.db is a plain page file, in no format mpool knows \(SQLite, Berkeley DB, PostgreSQL\); --decode needs one$/, code: 'EFTYPE'},
    {args: ['map'], exit: EXIT.file, says: /^mpool map: \S*sweep\.db is a plain page file, in no format mpool knows .*; map needs one$/, code: 'EFTYPE'},
    {args: ['map', '--file', file], exit: EXIT.file, says: /sweep\.db is a plain page file, .*; map needs one$/},
    {args: ['dump', '0', '--file', file, '--decode', '--pagesize', '512'], exit: EXIT.file, says: /sweep\.db is a plain page file, .*; --decode needs one$/},
    {args: ['map', '--file', missing], exit: EXIT.file, says: /missing\.db does not exist/},
    // refused before it reads a page or grows its memory
    {args: ['map', '--file', huge], exit: EXIT.file, says: /^mpool map: too large to map: 104857600 pages, and a map holds at most \d+; dump PGNO --decode still decodes its pages one at a time$/, code: 'EFBIG'},
  ]

  it('gives each bad command line its documented exit status and exactly one line on stderr, and changes nothing', async () => {
    const bytes = fs.readFileSync(file)
    const stats = await pool.stats()
    const frames = await pool.frames()
    // Each case once as given; with --json added, the first two cases of each exit status.
    const runs: Array<{c: Case; args: string[]}> = []
    for (const c of cases) {
      runs.push({c, args: c.args})
      if (!c.args.includes('--json') && cases.filter((o) => o.exit === c.exit).indexOf(c) <= 1) runs.push({c, args: [...c.args, '--json']})
    }
    const failures: string[] = []
    // Two at a time (the machine has two cores); the file and the pool are checked after each pair.
    for (let i = 0; i < runs.length; i += 2) {
      const batch = runs.slice(i, i + 2)
      const results = await Promise.all(batch.map(({c, args}) => box.run(args, c.env === undefined ? {} : {env: c.env})))
      batch.forEach(({c, args}, k) => {
        const r = results[k]
        const where = `mpool ${args.join(' ')}`
        const lines = r.stderr.split('\n')
        if (r.status !== c.exit) failures.push(`${where}: exit ${r.status}, wanted ${c.exit} (${r.stderr.trim()})`)
        if (lines.length !== 2 || lines[1] !== '') failures.push(`${where}: ${lines.length - 1} lines on stderr: ${JSON.stringify(r.stderr)}`)
        if (!c.says.test(lines[0])) failures.push(`${where}: stderr ${JSON.stringify(lines[0])} does not match ${c.says}`)
        if (/^\s+at /m.test(r.stderr + r.stdout)) failures.push(`${where}: a stack trace`)
        if (args.includes('--json')) {
          let doc: {error?: {code?: unknown; exit?: unknown; message?: unknown}} = {}
          try {
            doc = JSON.parse(r.stdout)
          } catch {
            failures.push(`${where}: stdout is not one JSON document: ${JSON.stringify(r.stdout)}`)
          }
          if (typeof doc.error?.code !== 'string' || doc.error.exit !== c.exit || typeof doc.error.message !== 'string') failures.push(`${where}: JSON error ${JSON.stringify(doc)}`)
          else if (c.code !== undefined && doc.error.code !== c.code) failures.push(`${where}: JSON code ${doc.error.code}, wanted ${c.code}`)
        } else if (r.stdout !== '') {
          failures.push(`${where}: wrote to stdout: ${JSON.stringify(r.stdout)}`)
        }
      })
      const which = batch.map(({args}) => `mpool ${args.join(' ')}`).join(' or ')
      if (!fs.readFileSync(file).equals(bytes)) failures.push(`${which}: changed the file`)
      if (fs.readFileSync(keep, 'utf8') !== 'precious\n') failures.push(`${which}: clobbered keep.txt`)
      assert.deepEqual(await pool.stats(), stats, `${which} changed the pool's stats`)
      assert.deepEqual(await pool.frames(), frames, `${which} changed the cache`)
    }
    assert.deepEqual(failures, [])
  })

  it('reads put --from - to its end from a slow pipe and from one bigger than a pipe holds', async () => {
    const shell = (line: string) =>
      new Promise<{status: number | null; stderr: string}>((resolve) => {
        const child = spawn('sh', ['-c', line], {cwd: box.dir, env: {...process.env, MPOOL_RUNTIME_DIR: box.runtime, MPOOL_LOCK_DIR: box.path('locks'), NO_COLOR: '1'}, stdio: ['ignore', 'ignore', 'pipe']})
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        child.on('close', (status) => resolve({status, stderr}))
      })
    const mpool = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`
    assert.equal((await box.run(['get', '2', '--key', 'sweep'])).status, 0)
    // the slow writer is the input under test (the case of issue 9), not a wait for anything
    const slow = await shell(`(sleep 0.5; printf xyz) | ${mpool} put 2 --from - --key sweep`)
    assert.deepEqual(slow, {status: 0, stderr: ''})
    assert.deepEqual((await pool.peek(2)).bytes.subarray(0, 3), Buffer.from('xyz'))
    assert.equal((await box.run(['get', '2', '--key', 'sweep'])).status, 0)
    const big = await shell(`head -c 50000000 /dev/zero | ${mpool} put 2 --from - --key sweep`)
    assert.deepEqual(big, {status: EXIT.refused, stderr: `mpool put: --from - has more than ${PAGESIZE} bytes, more than a page can hold; nothing was written\n`})
    assert.equal((await box.run(['put', '2', '--key', 'sweep'])).status, 0, 'the refused put left the pin')
  })

  it('clips echoed input, so a bad 1 MB line is one short error line, in the shell and in a piped REPL', async () => {
    const huge = 'x'.repeat(1_000_000)
    const get = await box.run(['get', huge.slice(0, 100_000), '--key', 'sweep'])
    assert.equal(get.status, EXIT.usage)
    assert.equal(get.stderr, `mpool get: the page number must be a whole number from 0 to 4294967295 (decimal or 0x hex), not "${'x'.repeat(159)}...(100002 characters)\n`)
    const repl = await box.run(['repl', other, '--pagesize', String(PAGESIZE)], {input: `get ${huge}\n`})
    const lines = repl.stderr.split('\n').filter((line) => line !== '')
    assert.equal(lines.length, 1, repl.stderr.slice(0, 300))
    assert.ok(lines[0]!.length < 400, `one short line, not ${lines[0]!.length} characters`)
    assert.match(lines[0]!, /\.\.\.\(1000002 characters\)$/)
  })

  it('writes an error to a pipe whole, past the pipe buffer, before the process exits', async () => {
    const output = pathToFileURL(path.join(ROOT, 'src', 'cli', 'output.ts')).href
    const script = `const {writeErr} = await import(${JSON.stringify(output)}); writeErr('e'.repeat(300000)); process.exit(3)`
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe']})
    let bytes = 0
    child.stderr.on('data', (chunk: Buffer) => (bytes += chunk.length))
    const status = await new Promise((resolve) => child.on('close', resolve))
    assert.deepEqual({status, bytes}, {status: 3, bytes: 300001})
  })

  it('turns an unknown command into one line and exit 2, and one JSON document with --json', async () => {
    const r = await box.run(['frobnicate'])
    assert.equal(r.status, EXIT.usage)
    assert.match(r.stderr, /^mpool: unknown command "frobnicate"; the commands are autocomplete, close, delete, dump, get, help, ls, map, new, open, put, .*\n$/)
    const typo = await box.run(['gte', '0'])
    assert.equal(typo.status, EXIT.usage)
    assert.equal(typo.stderr, 'mpool: unknown command "gte": did you mean get? (see mpool --help)\n')
    const j = await box.run(['sync', 'now', '--json'])
    assert.equal(j.status, EXIT.usage)
    assert.deepEqual(JSON.parse(j.stdout), {error: {code: 'EUSAGE', exit: EXIT.usage, message: 'unexpected argument "now": sync takes none; see mpool sync --help'}})
  })
})
