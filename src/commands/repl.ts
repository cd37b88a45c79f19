/**
 * mpool repl -- the pool drawn live: frames, pins, dirty pages, the hex of a page, what each
 * call did; and the shell's verbs typed at a prompt.
 *
 * Which pool, in order:
 *  - --key K, or $MPOOL_KEY, naming an open pool: attach to it (FILE, if given, must be its file).
 *    An explicit --key that is not open is an error; a $MPOOL_KEY that is not open is ignored
 *    when FILE is given.
 *  - FILE whose derived key (demo.db → demo) is open on that same file: attach to it.
 *  - FILE otherwise: a private pool over FILE inside this process, closed on quit (nothing is
 *    written: sync first to keep changes).
 *  - no FILE: the only pool open, as every other command finds it.
 * An attached pool is left open on quit (detached), unless `close` was typed.
 *
 * With stdin and stdout a terminal the screen is drawn with Ink; otherwise the lines of stdin
 * are run in order and their text printed plain (`mpool repl data.db < script.txt`). Ink and
 * React are imported here, lazily, and only for the screen: a script never loads them.
 */
import fs from 'node:fs'
import path from 'node:path'
import {Args, Flags} from '@oclif/core'
import {keyFlag, ShellCommand, wholeFlag} from '../cli/base.js'
import {EXIT, ShellError, usageError} from '../common/exit-status.js'
import {fileFormat} from '../cli/file-format.js'
import {writeErr, writeOut} from '../cli/output.js'
import {DEFAULT_PAGESIZE, MAX_MAXCACHE, MAX_PAGESIZE, POLICY_NAMES, type CloseReport, type PolicyName} from '../pool/index.js'
import type {PoolHandle} from '../session/handle.js'
import {closeVerb} from '../verbs/close.js'

/** comparedPolicies -- the 2 to 4 policies of --compare, each a policy name, none twice. */
function comparedPolicies(list: string): PolicyName[] {
  const names = list.split(',').map((n) => n.trim()).filter((n) => n !== '')
  for (const name of names) {
    if (name === 'opt') throw usageError('--compare takes policies a pool can run; OPT is drawn beside them as the ceiling already')
    if (!(POLICY_NAMES as readonly string[]).includes(name)) throw usageError(`--compare: no policy ${JSON.stringify(name)}; choose 2 to 4 of ${POLICY_NAMES.join(', ')}`)
  }
  if (new Set(names).size !== names.length) throw usageError(`--compare names a policy twice (${list}); name each once`)
  if (names.length < 2 || names.length > 4) throw usageError(`--compare takes 2 to 4 policies, not ${names.length}; e.g. --compare lru,arc`)
  return names as PolicyName[]
}

/** The pool the REPL works on, and how it got it. */
interface Opened {
  pool: PoolHandle
  /** the key when attached to a shared pool; null for a private pool */
  attachedKey: string | null
}

export default class Repl extends ShellCommand {
  static override args = {
    // ignoreStdin: oclif would otherwise take a piped script as the FILE argument
    file: Args.string({description: 'the file of pages: a private pool over it, or the shared pool open on it', required: false, ignoreStdin: true}),
  }

  static override description =
    'An interactive REPL that draws the pool as you use it: a header (file, pagesize, npages, frames used, overcommit, policy and its state), ' +
    'the frames as cells in eviction order with pins, dirty marks and the next victim, the counters, the hex of the page touched last ' +
    '(bytes changed since it was read highlighted), and what each call did in plain words. It speaks the same verbs as the shell ' +
    '(new, get, put, delete, sync, stats, dump, close) plus help and quit. Attached to a shared pool (--key, $MPOOL_KEY, or FILE open ' +
    'under its derived key) it follows every change any process makes. With stdin not a terminal it runs the lines of stdin as a ' +
    'script and prints plain results: a failing line stops it (exit status of that error, message prefixed with the line number) ' +
    'unless --keep-going. With --trace it plays a trace live instead: every access on the grid (hit or miss, the victim, ' +
    'its write-back) and told with the policy\'s reason for its victim; --compare draws 2 to 4 policies in lockstep beside OPT\'s ceiling.'

  static override enableJsonFlag = false

  static override examples = [
    '<%= config.bin %> repl data.db --maxcache 4',
    '<%= config.bin %> repl new.db --create --pagesize 512 --policy clock',
    '<%= config.bin %> open data.db --key demo && <%= config.bin %> repl --key demo',
    '<%= config.bin %> repl data.db < script.txt',
    "printf 'get 1\\nput 1 --text hi\\nsync\\n' | <%= config.bin %> repl data.db",
    '<%= config.bin %> repl data.db --trace lookups.trace --policy clock --maxcache 16',
    '<%= config.bin %> repl --trace lookups.trace --compare lru,lru-k,arc --maxcache 16',
    "printf 'get 1\\nput 1\\n' | <%= config.bin %> repl data.db --json | jq -c .",
  ]

  static override flags = {
    create: Flags.boolean({description: 'make FILE if it is missing (private pool)', default: false}),
    key: keyFlag('attach to the shared pool with this key (default: $MPOOL_KEY, else FILE\'s key if open)'),
    json: Flags.boolean({description: "script mode: print one JSON document per line (each verb's --json result, or {line, error}), for jq", default: false, exclusive: ['quiet']}),
    'keep-going': Flags.boolean({description: 'script mode: run every line even after one fails (exit non-zero at the end)', default: false}),
    maxcache: wholeFlag({name: 'maxcache', description: 'pages to cache (private pool, or live play)', min: 1, max: MAX_MAXCACHE, default: 8}),
    pagesize: wholeFlag({name: 'pagesize', description: `bytes a page (private pool) [default: the file format's (SQLite, Berkeley DB, PostgreSQL), else ${DEFAULT_PAGESIZE}]`, min: 1, max: MAX_PAGESIZE}),
    policy: Flags.string({description: 'replacement policy (private pool, or the policy --trace plays)', options: [...POLICY_NAMES], default: 'lru'}),
    trace: Flags.string({description: 'play this trace live instead of driving a pool: space steps, Enter plays/pauses, + and - change the speed, r restarts', helpValue: 'TRACE'}),
    compare: Flags.string({description: 'with --trace: 2 to 4 policies side by side in lockstep, comma-separated (n jumps to the next step where they disagree)', helpValue: 'lru,arc'}),
    quiet: Flags.boolean({description: 'script mode: print nothing but errors', default: false, exclusive: ['json']}),
  }

  static override summary = 'Draw the pool live and drive it with the shell\'s verbs; or run a script from stdin.'

  async run(): Promise<void> {
    const screen = process.stdin.isTTY === true && process.stdout.isTTY === true
    // Ink and React take most of the start-up: load them while the pool opens. Production React
    // (unless NODE_ENV says otherwise) loads and runs faster and prints no development warnings.
    let loading: Promise<typeof import('../ui/run.js')> | null = null
    if (screen) {
      process.env.NODE_ENV ??= 'production'
      loading = import('../ui/run.js')
      loading.catch(() => {}) // a failure is reported where it is awaited
    }
    const {args, flags} = await this.parse(Repl)
    if (screen && (flags.json || flags.quiet)) throw usageError('--json and --quiet are for scripts: feed the lines on stdin (mpool repl FILE --json < script)')
    if (flags.trace !== undefined || flags.compare !== undefined) return this.play(args.file, flags, loading)
    const opened = await this.openPool(args.file, flags)
    if (loading !== null) await this.screen(opened, loading)
    else await this.script(opened, flags['keep-going'], flags.json ? 'json' : flags.quiet ? 'quiet' : 'text')
  }

  /** screen -- the Ink app until quit; then close or detach the pool and say what happened. */
  private async screen({pool, attachedKey}: Opened, loading: Promise<typeof import('../ui/run.js')>): Promise<void> {
    const {paletteFor} = await import('../cli/output.js')
    let end
    try {
      const [{runScreen}, palette] = await Promise.all([loading, paletteFor(process.stdout)])
      end = await runScreen(pool, {attachedKey, palette})
    } catch (err) {
      await this.leave(pool, attachedKey)
      throw err
    }
    if (end.how === 'closed') writeOut(closeVerb.render({key: attachedKey, ...end.report}, {color: null}))
    else if (end.how === 'gone') {
      // The server died: nothing lives on to detach from, and nothing may say it does.
      throw new ShellError('ECONNRESET', EXIT.noPool, `pool ${attachedKey} is gone: ${end.message.replace(/; open the pool again$/, '')}; what it held in memory is lost, open the file again`)
    } else if (end.how === 'closed-elsewhere') writeOut(`pool ${attachedKey} was closed by another process: ${closeVerb.render({key: attachedKey, ...end.report}, {color: null})}`)
    else {
      const report = await this.leave(pool, attachedKey)
      if (report !== null) writeOut(closeVerb.render({key: null, ...report}, {color: null}))
      else writeOut(`detached from pool ${attachedKey}: it stays open (mpool close --key ${attachedKey} ends it)`)
    }
  }

  /** play -- a trace stepped live through one policy or several (--compare), on the screen only. */
  private async play(file: string | undefined, flags: {trace?: string; compare?: string; policy: string; maxcache: number}, loading: Promise<typeof import('../ui/run.js')> | null): Promise<void> {
    if (flags.trace === undefined) throw usageError('--compare plays a trace: give it with --trace TRACE, e.g. mpool repl --trace T --compare lru,arc')
    const policies = flags.compare === undefined ? [flags.policy as PolicyName] : comparedPolicies(flags.compare)
    if (loading === null) {
      throw usageError(`--trace plays live on a terminal; for the same numbers as text run \`mpool replay ${flags.trace} --policy ${policies.join(',')} --maxcache ${flags.maxcache}\``)
    }
    const [{loadTrace, fileError}, {colorLevel}] = await Promise.all([import('../workload/trace-files.js'), import('../cli/output.js')])
    const trace = loadTrace(flags.trace)
    if (trace.pgnos.length === 0) throw new ShellError('EFTYPE', EXIT.file, `trace ${flags.trace} has no accesses: nothing to play`)
    if (file !== undefined) {
      try {
        fs.statSync(file)
      } catch (err) {
        throw fileError(err, 'read', file)
      }
    }
    const {runPlay} = await loading
    const colour = (await colorLevel(process.stdout)) > 0
    await runPlay({trace, traceName: path.basename(flags.trace), fileName: file === undefined ? null : path.basename(file), policies, maxcache: flags.maxcache, colour})
  }

  /** script -- stdin's lines through the verbs, plain text out; exit status of the first failure. */
  private async script({pool, attachedKey}: Opened, keepGoing: boolean, output: 'text' | 'json' | 'quiet'): Promise<void> {
    const {runScript} = await import('../ui/script.js')
    // Every get copies a page (4 KiB at the default pagesize) two or three times; Node takes copies
    // under half its pool size from a shared slab, and gives each larger one an ArrayBuffer of its
    // own for the collector to track. A 64 KiB pool keeps pages of up to 32 KiB on slabs.
    Buffer.poolSize = 64 << 10
    const {drainOf} = await import('../ui/batched-writer.js')
    const report = await runScript(pool, process.stdin, {keepGoing, output, out: (t) => process.stdout.write(t), drained: () => drainOf(process.stdout), err: (t) => process.stderr.write(t)})
    if (!report.closed) {
      const dropped = await this.leave(pool, attachedKey)
      if (dropped !== null && (dropped.dirty.length > 0 || dropped.pinned.length > 0)) {
        const hint = dropped.dirty.length > 0 ? ' (sync in the script to keep changes)' : ''
        writeErr(`mpool repl: at the end of the script, ${closeVerb.render({key: null, ...dropped}, {color: null}).replace('the pool', 'the private pool')}${hint}`)
      }
    }
    if (report.exit !== 0) this.exit(report.exit)
  }

  /** leave -- close a private pool (returning what it dropped) or detach from a shared one (null). */
  private async leave(pool: PoolHandle, attachedKey: string | null): Promise<CloseReport | null> {
    if (attachedKey !== null) {
      await pool.detach().catch(() => {})
      return null
    }
    return pool.close()
  }

  /** openPool -- attach to an open pool or open a private one (see the header for the order). */
  private async openPool(file: string | undefined, flags: {key?: string; create: boolean; pagesize?: number; maxcache: number; policy: string}): Promise<Opened> {
    const session = await import('../session/index.js')
    const holder = {pid: process.pid, command: 'mpool repl'}
    const envKey = process.env.MPOOL_KEY === '' ? undefined : process.env.MPOOL_KEY
    const attach = async (key: string | undefined): Promise<Opened> => {
      const pool = await session.connectPool({...(key === undefined ? {} : {key}), explain: true, holder})
      return {pool, attachedKey: pool.key}
    }
    const sameFile = async (opened: Opened): Promise<boolean> => {
      if (file === undefined) return true
      const info = await opened.pool.info()
      return info.file === null || info.file === path.resolve(file)
    }
    const named = flags.key ?? envKey
    const listed = named !== undefined || file !== undefined ? await session.listPools() : []
    if (named !== undefined) {
      if (listed.some((p) => p.key === named)) {
        const opened = await this.noPool(attach(named))
        if (!(await sameFile(opened))) {
          const other = (await opened.pool.info()).file
          await opened.pool.detach()
          throw usageError(`pool ${named} is open on ${other}, not on ${path.resolve(file!)}; leave out FILE to attach to it, or use another key`)
        }
        return opened
      }
      if (flags.key !== undefined || file === undefined) {
        throw new ShellError('ENOPOOL', EXIT.noPool, `no pool ${JSON.stringify(named)} is open; open it with \`mpool open FILE --key ${named}\`${file === undefined ? '' : ', or leave out --key for a private pool over FILE'}`)
      }
    }
    if (file === undefined) return this.noPool(attach(undefined))
    const derived = session.deriveKey(file)
    if (listed.some((p) => p.key === derived && p.file === path.resolve(file))) return this.noPool(attach(derived))
    // A private pool opens at the page size the file's format says, as `mpool open` does.
    const choice = await fileFormat(file, flags.pagesize, 'repl')
    const pool = session.LocalPool.open(file, {pagesize: choice.pagesize, format: choice.format, maxcache: flags.maxcache, create: flags.create, explain: true, policy: flags.policy as PolicyName})
    pool.holder = holder
    return {pool, attachedKey: null}
  }

  /** noPool -- a failed attach is exit 3, as for every command on a pool. */
  private async noPool(attaching: Promise<Opened>): Promise<Opened> {
    try {
      return await attaching
    } catch (err) {
      const {describeError} = await import('../common/exit-status.js')
      const d = describeError(err)
      throw new ShellError(d.code, d.exit === EXIT.internal || d.exit === EXIT.file ? EXIT.noPool : d.exit, d.message, {cause: err})
    }
  }
}
