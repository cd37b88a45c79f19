/*
 * `mpool repl FILE < script`: the real binary with a script on stdin (not a terminal), so the
 * REPL runs the lines without Ink and prints what the shell prints.
 */
import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import {BIN, buildOnce, CliSandbox, ROOT} from '../helpers/cli.js'

const PAGESIZE = 512

describe('mpool repl with a script on stdin', function () {
  this.timeout(30_000)
  const box = new CliSandbox('mpool-ui-script-')
  let serial = 0

  before(() => buildOnce())
  after(() => box.cleanup())

  /** a fresh file of 8 pages, page n filled with n + 1 */
  function pageFile(): string {
    const file = box.path(`s${serial++}.db`)
    fs.writeFileSync(file, Buffer.concat(Array.from({length: 8}, (_, n) => Buffer.alloc(PAGESIZE, n + 1))))
    return file
  }

  const repl = (file: string, script: string, more: string[] = []) => box.run(['repl', file, '--pagesize', String(PAGESIZE), '--maxcache', '2', ...more], {input: script})

  it('runs the lines in order, skips comments and blank lines, and prints what the shell prints', async () => {
    const file = pageFile()
    const r = await repl(file, '# set up page 1\nget 1\n\nput 1 --text hi\n  # indented comment\nsync\n')
    assert.equal(r.stderr, '')
    assert.equal(r.status, 0)
    assert.equal(
      r.stdout,
      [
        'page 1 at offset 512 (0x200): frame 0, pins 1, clean',
        '00000200: 02 02 02 02 02 02 02 02 02 02 02 02 02 02 02 02    ................',
        '*',
        '00000400',
        'put page 1: wrote 2 bytes at page offset 0x0 = file offset 0x200, marked dirty, unpinned',
        'wrote 1 page',
        '',
      ].join('\n'),
    )
    const bytes = fs.readFileSync(file)
    assert.equal(bytes.subarray(512, 514).toString(), 'hi')
    assert.deepEqual(bytes.subarray(514, 1024), Buffer.alloc(510, 2))
    assert.deepEqual(bytes.subarray(0, 512), Buffer.alloc(512, 1), 'page 0 untouched')
  })

  it('prints the same text as the shell commands print for the same calls', async () => {
    const a = pageFile()
    const viaRepl = await repl(a, 'get 3\nput 3 --hex "de ad" --offset 4\nstats\ndump\n')
    assert.equal(viaRepl.status, 0, viaRepl.stderr)
    const b = pageFile()
    const key = `script${serial}`
    assert.equal((await box.run(['open', b, '--key', key, '--pagesize', String(PAGESIZE), '--maxcache', '2'])).status, 0)
    const parts: string[] = []
    for (const args of [['get', '3'], ['put', '3', '--hex', 'de ad', '--offset', '4'], ['stats'], ['dump']]) {
      const r = await box.run([...args, '--key', key])
      assert.equal(r.status, 0, r.stderr)
      parts.push(r.stdout)
    }
    await box.run(['close', '--key', key])
    // The shell's pool is shared, the REPL's private: only the pool's name may differ.
    const normal = (text: string) => text.replace(new RegExp(`pool ${key}|\\(pool ${key}\\)|${key}`, 'g'), 'POOL').replace(/private pool|\(private\)/g, 'POOL').replace(/s\d+\.db/g, 'FILE').replace(/\s+$/gm, '')
    assert.equal(normal(viaRepl.stdout), normal(parts.join('')))
  })

  it('stops at the first failing line with its number and the exit status of its error', async () => {
    const file = pageFile()
    const r = await repl(file, 'get 1\nput 1 --text changed\nget 99\nsync\n')
    assert.equal(r.status, 4, 'EINVAL from the pool: exit 4, as the shell')
    assert.ok(r.stderr.startsWith(`line 3: page 99 is past the end of ${file}: it has 8 pages of ${PAGESIZE} bytes (0 to 7); nothing was touched\n`), r.stderr)
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('line ')).length, 1, 'one line of error')
    assert.ok(!r.stdout.includes('wrote 1 page'), 'sync on line 4 never ran')
    assert.match(r.stderr, /dropped dirty page 1 .*sync in the script to keep changes/)
    assert.deepEqual(fs.readFileSync(file).subarray(512, 1024), Buffer.alloc(512, 2), 'nothing written: the page was dirty only in the cache')
  })

  it('calls a line that does not parse a usage error (exit 2)', async () => {
    const r = await repl(pageFile(), 'get 1\nfrobnicate 3\n')
    assert.equal(r.status, 2)
    assert.match(r.stderr, /^line 2: unknown verb "frobnicate"/)
  })

  it('runs every line with --keep-going and exits with the first failure', async () => {
    const file = pageFile()
    const r = await repl(file, 'get 99\nget 1\nput 1 --text ok\nput 1\nsync\n', ['--keep-going'])
    assert.equal(r.status, 4)
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('line '))
    assert.deepEqual(errors.map((l) => l.split(':')[0]), ['line 1', 'line 4'])
    assert.match(r.stdout, /wrote 1 page/)
    assert.equal(fs.readFileSync(file).subarray(512, 514).toString(), 'ok')
  })

  it('ends the pool at close: a verb line after it fails as pool gone (exit 3), even with --keep-going', async () => {
    const file = pageFile()
    for (const more of [[], ['--keep-going']]) {
      const r = await repl(file, 'get 1\nput 1 --text ok\nsync\nclose\n# a comment\nget 2\nget 3\n', more)
      assert.equal(r.status, 3, r.stderr)
      assert.equal(r.stderr, 'line 6: the pool was closed on line 4: close ends the pool, so no line after it can run\n')
      assert.match(r.stdout, /wrote 1 page\nclosed the pool: no dirty pages dropped; no pins held\n$/)
    }
    assert.equal(fs.readFileSync(file).subarray(512, 514).toString(), 'ok')
  })

  it('runs a long script to its end: no line is taken as a missing argument (dump with no page)', async () => {
    const file = pageFile()
    const filler = Array.from({length: 20_000}, (_, i) => `# line ${i + 3}: a comment long enough that the script needs many reads`)
    const r = await repl(file, ['get 1', 'dump', ...filler, 'put 1 --text end', 'sync', ''].join('\n'))
    assert.equal(r.status, 0, r.stderr.slice(0, 300))
    assert.match(r.stdout, /private pool: 1 of 2 frames in use/)
    assert.match(r.stdout, /wrote 1 page\n$/)
    assert.equal(fs.readFileSync(file).subarray(512, 515).toString(), 'end')
  })

  it('stops at quit and runs help', async () => {
    const r = await repl(pageFile(), 'help\nquit\nget 99\n')
    assert.equal(r.status, 0, r.stderr)
    assert.match(r.stdout, /^Verbs \(the same as the shell's/)
    assert.match(r.stdout, /put PGNO/)
  })

  it('never loads Ink or React', async () => {
    const trace = box.path('imports.txt')
    const r = await box.run(['repl', pageFile(), '--pagesize', String(PAGESIZE)], {
      input: 'get 1\n',
      env: {MPOOL_IMPORT_TRACE: trace, NODE_OPTIONS: `--import ${path.join(ROOT, 'test', 'helpers', 'import-trace.mjs')}`},
    })
    assert.equal(r.status, 0, r.stderr)
    const modules = fs.readFileSync(trace, 'utf8')
    assert.match(modules, /dist\/ui\/script\.js/, 'the tracer saw the script runner')
    assert.doesNotMatch(modules, /node_modules\/(ink|react)\//)
    assert.doesNotMatch(modules, /dist\/ui\/(app|run)\.js/)
  })

  it("attaches to the pool open on FILE under FILE's own key, and leaves it open", async () => {
    const file = pageFile()
    const key = path.basename(file, '.db')
    assert.equal((await box.run(['open', file, '--pagesize', String(PAGESIZE), '--maxcache', '2'])).status, 0)
    try {
      const r = await box.run(['repl', file], {input: 'get 2\nput 2 --text shared\n'})
      assert.equal(r.status, 0, r.stderr)
      assert.equal(r.stderr, '', 'nothing closed, nothing dropped')
      const cache = await box.run(['dump', '--key', key])
      assert.match(cache.stdout, new RegExp(`pool ${key}: 1 of 2 frames`))
      assert.match(cache.stdout, /\b2\s+0\s+dirty/)
      // through $MPOOL_KEY and with no FILE at all, the same pool
      const byEnv = await box.run(['repl'], {input: 'dump 2\n', env: {MPOOL_KEY: key}})
      assert.equal(byEnv.status, 0, byEnv.stderr)
      assert.match(byEnv.stdout, /^page 2 at offset 1024 \(0x400\): frame \d+, pins 0, dirty\n00000400: 73 68 61 72 65 64/)
    } finally {
      await box.run(['close', '--key', key])
    }
  })

  it('opens a private pool when the pool of that key is open on another file', async () => {
    const a = pageFile()
    const key = path.basename(a, '.db')
    const elsewhere = path.join(box.path('other'), path.basename(a))
    fs.mkdirSync(path.dirname(elsewhere), {recursive: true})
    fs.copyFileSync(a, elsewhere)
    assert.equal((await box.run(['open', elsewhere, '--pagesize', String(PAGESIZE)])).status, 0)
    try {
      const r = await box.run(['repl', a, '--pagesize', String(PAGESIZE)], {input: 'get 1\nput 1 --text mine\nsync\n'})
      assert.equal(r.status, 0, r.stderr)
      assert.equal(fs.readFileSync(a).subarray(512, 516).toString(), 'mine')
      assert.deepEqual(fs.readFileSync(elsewhere).subarray(512, 1024), Buffer.alloc(512, 2), 'the other file is untouched')
      assert.match((await box.run(['dump', '--key', key])).stdout, /0 of \d+ frames/)
    } finally {
      await box.run(['close', '--key', key])
    }
  })

  it('refuses a missing file, a bad flag and a key that is not open, in one line each', async () => {
    const missing = await box.run(['repl', box.path('nope.db')], {input: ''})
    assert.equal(missing.status, 6)
    assert.match(missing.stderr, /^mpool repl: .*nope\.db does not exist; pass --create to make it\n$/)
    const bad = await box.run(['repl', pageFile(), '--maxcache', '0'], {input: ''})
    assert.equal(bad.status, 2)
    assert.equal(bad.stderr.trim().split('\n').length, 1)
    const key = await box.run(['repl', pageFile(), '--key', 'nosuchpool'], {input: ''})
    assert.equal(key.status, 3)
    assert.match(key.stderr, /no pool "nosuchpool" is open/)
    const none = await box.run(['repl'], {input: ''})
    assert.equal(none.status, 3)
    assert.match(none.stderr, /^mpool repl: no pool is open; open one with `mpool open FILE`\n$/)
  })

  it('with --json prints one JSON document a line: each verb\'s --json result, or the failed line\'s error', async () => {
    const file = pageFile()
    const r = await repl(file, 'get 1\nput 1 --text hi\nput 5\nhelp quit\nstats\n', ['--json', '--keep-going'])
    assert.equal(r.status, 4)
    assert.equal(r.stderr.split('\n')[0], 'line 3: cannot put page 5: it is not in the cache, so it is not pinned; get it first')
    const docs = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    assert.equal(docs.length, 5)
    assert.deepEqual({...docs[0], hex: undefined}, {pgno: 1, offset: 512, pagesize: 512, cached: true, frame: 0, pins: 1, dirty: false, hex: undefined})
    assert.equal(docs[0].hex, '02'.repeat(512))
    assert.deepEqual(docs[1], {pgno: 1, dirtied: true, wrote: {offset: 0, fileOffset: 512, length: 2}})
    assert.deepEqual(docs[2], {line: 3, error: {code: 'EINVAL', exit: 4, message: 'cannot put page 5: it is not in the cache, so it is not pinned; get it first'}})
    assert.match(String(docs[3].help), /^quit\n\nLeave the REPL/)
    assert.equal((docs[4] as {pageput?: number}).pageput, 1)
  })

  it('with --json answers each line before it waits for the next: a program can send a line and wait for its answer', async () => {
    const file = pageFile()
    const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', MPOOL_RUNTIME_DIR: box.runtime}
    delete env.MPOOL_KEY
    const child = spawn(process.execPath, [BIN, 'repl', file, '--pagesize', String(PAGESIZE), '--json'], {env, stdio: ['pipe', 'pipe', 'inherit']})
    const exited = once(child, 'exit')
    const answers = readline.createInterface({input: child.stdout, crlfDelay: Infinity})[Symbol.asyncIterator]()
    const ask = async (line: string): Promise<Record<string, unknown>> => {
      child.stdin.write(`${line}\n`)
      const answer = await answers.next() // the script holds stdin open: only its own flush can bring this
      assert.equal(answer.done, false, `an answer to ${line}`)
      return JSON.parse(answer.value as string) as Record<string, unknown>
    }
    try {
      assert.equal((await ask('get 2')).pins, 1)
      assert.deepEqual(await ask('put 2'), {pgno: 2, dirtied: false, wrote: null})
      assert.equal((await ask('get 2')).hex, '03'.repeat(PAGESIZE))
      child.stdin.end('put 2\n')
      assert.deepEqual(JSON.parse((await answers.next()).value as string), {pgno: 2, dirtied: false, wrote: null})
      const [status] = await exited
      assert.equal(status, 0)
    } finally {
      if (child.exitCode === null) child.kill()
    }
  })

  it('with --quiet prints nothing but errors', async () => {
    const file = pageFile()
    const quiet = await repl(file, 'get 1\nput 1 --text hi\nsync\nstats\n', ['--quiet'])
    assert.equal(quiet.status, 0, quiet.stderr)
    assert.equal(quiet.stdout, '')
    assert.equal(quiet.stderr, '')
    assert.equal(fs.readFileSync(file).subarray(512, 514).toString(), 'hi', 'the lines ran')
    const failing = await repl(file, 'get 1\nput 2\n', ['--quiet'])
    assert.equal(failing.status, 4)
    assert.equal(failing.stdout, '')
    assert.match(failing.stderr, /^line 2: cannot put page 2: it is not in the cache, so it is not pinned/)
  })
})
