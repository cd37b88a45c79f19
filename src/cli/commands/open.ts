/**
 * open -- `mpool open FILE`: start the pool server for a file (or join the one already open)
 * and return.
 *
 * Policy: the file is opened by the pool server, whose open errors (missing without --create,
 * a directory, not a regular file) come back as this command's one line, with no server left
 * behind. Joining an open key with FILE checks that FILE is the key's own file (refused, naming
 * both, if not); with --key and no FILE it joins whatever the key holds, as mpool_open ignores
 * the fd. Without --key the key
 * is made from the file name (demo.db -> demo) and shown. Joining without --pagesize or
 * --maxcache takes the open pool's own: a default must not be refused as "another pagesize",
 * nor raise the pool's maxcache behind the user's back.
 */
import path from 'node:path'
import {DEFAULT_PAGESIZE, DEFAULT_POLICY, MAX_MAXCACHE, MAX_PAGESIZE, MAX_READAHEAD, POLICY_NAMES, type PolicyName} from '../../pool/index.js'
import type {PoolTuning} from '../../session/handle.js'
import {booleanFlag, stringArg, stringFlag} from '../../verbs/spec.js'
import {wholeFlag} from '../../verbs/verb.js'
import {usageError} from '../../common/exit-status.js'
import {defineCommand, keyFlag} from '../shell.js'
import {fileFormat} from '../file-format.js'

/** The pagesize and maxcache `open` uses when not told. */
export const OPEN_DEFAULTS = {pagesize: DEFAULT_PAGESIZE, maxcache: 64} as const

export interface OpenResult extends PoolTuning {
  key: string
  file: string
  pagesize: number
  npages: number
  maxcache: number
  policy: string
  hardLimit: boolean
  /** bytes of a partial last page, never read */
  trailing: number
  /** true: a pool with this key was already open and this command joined it */
  joined: boolean
  /** the file's page format (sqlite, berkeleydb, postgresql), or null for a plain page file */
  format: string | null
  /** where the page size came from: "the SQLite header", "--pagesize", "the default", "the open pool" */
  pagesizeFrom: string
}

export const openCommand = defineCommand({
  name: 'open',
  summary: 'Open a pool over a file (starts its server, or joins it); prints the key.',
  description:
    'mpool_open: starts a pool server for FILE in the background (or joins the pool already open under the key) and returns. ' +
    'Later commands find the pool by --key, $MPOOL_KEY, or as the only pool open. The pool stays open until `mpool close`. ' +
    "A SQLite, Berkeley DB or PostgreSQL file is recognised and opened at its own page size (the output says where it came from); " +
    'a --pagesize that contradicts the file is obeyed with a warning, as a plain page file. ' +
    `Defaults: --pagesize ${OPEN_DEFAULTS.pagesize} for a plain page file, --maxcache ${OPEN_DEFAULTS.maxcache}, --policy ${DEFAULT_POLICY}. ` +
    'Joining with a larger --maxcache raises it (the man page rule); another --pagesize is refused; ' +
    "without them, a join keeps the open pool's own.",
  examples: [
    '<%= config.bin %> open demo.db --create',
    '<%= config.bin %> open demo.db --pagesize 512 --maxcache 4 --policy clock',
    '<%= config.bin %> open /data/test.db --key test --hard-limit',
    '<%= config.bin %> open big.db --readahead 16 --write-behind',
  ],
  args: {
    file: stringArg({description: 'the file of pages (made by --create if missing); leave it out with --key to join the pool open under that key'}),
  },
  flags: {
    create: booleanFlag({description: 'make FILE (empty) if it does not exist'}),
    force: booleanFlag({description: 'let --record replace a trace file that exists (it is never followed if a symlink)'}),
    'hard-limit': booleanFlag({description: 'when every frame is pinned, fail with EBUSY instead of growing past maxcache'}),
    journal: booleanFlag({description: 'crash-safe sync: each sync writes its pages to FILE.mpool-journal and flushes it before writing in place'}),
    key: keyFlag('the key to open the pool under (default: made from the file name, demo.db -> demo)'),
    maxcache: wholeFlag({description: `most pages to cache [default: ${OPEN_DEFAULTS.maxcache}]`, min: 1, max: MAX_MAXCACHE}),
    pagesize: wholeFlag({description: `bytes a page [default: the file format's (SQLite, Berkeley DB, PostgreSQL), else ${OPEN_DEFAULTS.pagesize}]`, min: 1, max: MAX_PAGESIZE}),
    policy: stringFlag({description: `replacement policy: ${POLICY_NAMES.join(', ')} [default: ${DEFAULT_POLICY}]`, helpValue: 'NAME', options: [...POLICY_NAMES]}),
    readahead: wholeFlag({description: `read-ahead: on an ascending run of misses, read up to N pages in one read (0: off) [default: 0]`, min: 0, max: MAX_READAHEAD, helpValue: 'N'}),
    record: stringFlag({description: 'record every access of the pool to this trace file', helpValue: 'FILE'}),
    'write-behind': booleanFlag({description: 'write a dirty victim together with its cold dirty neighbours in one write'}),
  },
  onPool: false,
  async run(_shell, {args, flags}): Promise<OpenResult> {
    if (args.file === undefined && flags.key === undefined) throw usageError('missing FILE: the file of pages to open; or give --key KEY alone to join the pool open under that key')
    // No FILE: join whatever the key holds (mpool_open's "the fd is ignored").
    const file = args.file === undefined ? undefined : path.resolve(args.file)
    const {deriveKey} = await import('../../session/key.js')
    const {listPools, openPool} = await import('../../session/pools.js')
    const key = flags.key ?? deriveKey(file!) // a --key was checked against the key rule as the line was read
    const open = flags.pagesize === undefined || flags.maxcache === undefined ? (await listPools()).find((p) => p.key === key) : undefined
    const policy = flags.policy as PolicyName | undefined // the parser checked it against the options
    // A new pool opens at the page size the file's format says (or --pagesize, warned about if
    // it contradicts the file); joining without --pagesize keeps the open pool's own.
    const choice = file === undefined || (open !== undefined && flags.pagesize === undefined) ? null : await fileFormat(file, flags.pagesize, 'open')
    const {info, joined} = await openPool({
      key,
      ...(file === undefined ? {} : {file}),
      pagesize: choice?.pagesize ?? flags.pagesize ?? open?.pagesize ?? OPEN_DEFAULTS.pagesize,
      format: choice?.format ?? null,
      maxcache: flags.maxcache ?? open?.maxcache ?? OPEN_DEFAULTS.maxcache,
      create: flags.create,
      hardLimit: flags['hard-limit'],
      ...(flags.readahead === undefined ? {} : {readahead: flags.readahead}),
      ...(flags['write-behind'] ? {writeBehind: true} : {}),
      ...(flags.journal ? {journal: true} : {}),
      ...(policy === undefined ? {} : {policy}),
      ...(flags.record === undefined ? {} : {record: path.resolve(flags.record)}),
      ...(flags.force ? {force: true} : {}),
    })
    return {
      key: info.key ?? key,
      file: info.file ?? file ?? '',
      pagesize: info.pagesize,
      npages: info.npages,
      maxcache: info.maxcache,
      policy: info.policy,
      hardLimit: info.hardLimit,
      ...(info.readahead === undefined ? {} : {readahead: info.readahead}),
      ...(info.writeBehind === true ? {writeBehind: true as const} : {}),
      ...(info.journal === true ? {journal: true as const} : {}),
      ...(info.recovered === undefined || joined ? {} : {recovered: info.recovered}),
      trailing: info.trailing,
      joined,
      format: info.format?.format ?? null,
      pagesizeFrom: flags.pagesize !== undefined ? '--pagesize' : joined ? 'the open pool' : (choice?.source ?? 'the default'),
    }
  },
  render: (result) => renderOpen(result),
})

/** renderOpen -- what `open` tells people: joined or opened, then the pool's settings. */
export function renderOpen(r: OpenResult): string {
  const rows: Array<[string, string]> = [
    ['key', r.key],
    ['file', r.file],
    ['format', r.format === null ? 'none (a plain page file)' : r.format],
    ['pagesize', r.pagesizeFrom === '--pagesize' ? String(r.pagesize) : `${r.pagesize} (from ${r.pagesizeFrom})`],
    ['npages', `${r.npages}${r.trailing > 0 ? ` (+${r.trailing} trailing bytes, never read)` : ''}`],
    ['maxcache', String(r.maxcache)],
    ['policy', [r.policy, r.hardLimit ? 'hard limit' : '', r.readahead === undefined ? '' : `readahead ${r.readahead}`, r.writeBehind === true ? 'write-behind' : '', r.journal === true ? 'journal' : ''].filter((s) => s !== '').join(', ')],
  ]
  const head = r.joined ? `joined the pool already open as ${r.key}` : `opened pool ${r.key}`
  return [...(r.recovered === undefined ? [] : [r.recovered]), head, ...rows.map(([k, v]) => `${k.padEnd(8)}  ${v}`)].join('\n')
}
