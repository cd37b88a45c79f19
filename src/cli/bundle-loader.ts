/**
 * bundle-loader -- load one of the shell's CommonJS bundles (dist/cli/*.cjs) with V8's code cache.
 *
 * A verb's start-up beyond a bare `node -e 0` was mostly Node compiling the bundle and then,
 * function by function, the parts of it the verb ran. Node 20 has no module.enableCompileCache,
 * so this does what it does, for our bundles only: the bundle is compiled as a vm Script with
 * the bytecode V8 serialized after an earlier run of the same command, and runs as `require`
 * would run it, with its own `require`, `module` and `__dirname`.
 *
 * Policy, each in a sentence:
 *  - Each command has a cache of its own beside each bundle, `FILE.COMMAND.v8-cache`, holding
 *    the code that command ran: one cache for every command would make each command deserialize
 *    the code of all the others (measured: `get` paid more with it than with its own).
 *  - A cache is used only for the bundle it was made from: its header names the bundle's size
 *    and mtime (as Python's .pyc does), Node's version and the architecture; V8 itself refuses
 *    data from another V8 or other flags (`cachedDataRejected`). Anything else is compiled afresh.
 *  - A cache is written as the process exits, when it was missing, stale or refused and the
 *    caller said the command is one of its own (keepCache): a mistyped word makes no file. So a
 *    command pays for its cache once, on its first run.
 *  - It is written whole or not at all (common/atomic-write.ts); a directory that
 *    cannot be written (a read-only install) leaves the bundle uncached, never failing a command.
 *  - A bundle's `require` of a sibling bundle (`./NAME.cjs`) loads it here too, cached the same
 *    way for the same command; any other name (node's own modules) goes to node's require.
 *  - Each bundle is entered in require.cache under its path, as require would, so that it is
 *    loaded once and tools that list loaded modules see it.
 *
 * This file is bundled on its own (dist/cli/bundle-loader.cjs, scripts/bundle-light.mjs) and
 * must stay small: it runs before anything else, on every command.
 */
// Named imports only: for a default import the CommonJS bundle copies every property of the module.
import {readFileSync, statSync, type Stats} from 'node:fs'
import {createRequire, Module} from 'node:module'
import {dirname, join} from 'node:path'
import {Script} from 'node:vm'
import {writeFileAtomic} from '../common/atomic-write.js'

/** What a cache file says about the bundle it was made from, on its first line. */
interface CacheHeader {
  size: number
  mtimeMs: number
  node: string
  arch: string
}

/** What became of a bundle's cache when it was loaded: V8 used it, or there was none, or it was made for another bundle (or Node), or V8 refused it. */
export type CacheStatus = 'used' | 'missing' | 'stale' | 'refused'

/** A bundle loaded in this process, for the exit hook. */
interface Loaded {
  file: string
  cacheFile: string
  script: Script
  header: CacheHeader
  status: CacheStatus
}

const loaded: Loaded[] = []
let exitHookSet = false
/** the command whose caches this process reads (loadBundle's `command`) */
let command = ''
/** keepCache was called: write the caches that need it at exit */
let keep = false

/** cacheFileOf -- where the cache of `file` for `command` lives. */
export function cacheFileOf(file: string, forCommand: string): string {
  return `${file}.${forCommand}.v8-cache`
}

/** keepCache -- the command was one of ours: at exit, write each cache that was missing, stale or refused. */
export function keepCache(): void {
  keep = true
}

/** readCache -- the cache at `cacheFile` if its header matches `stat`; else why not. */
function readCache(cacheFile: string, stat: Stats): {data: Buffer} | 'missing' | 'stale' {
  let bytes: Buffer
  try {
    bytes = readFileSync(cacheFile)
  } catch {
    return 'missing'
  }
  const newline = bytes.indexOf(10)
  if (newline < 0) return 'stale'
  try {
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as CacheHeader
    const fits = header.size === stat.size && header.mtimeMs === stat.mtimeMs && header.node === process.version && header.arch === process.arch
    return fits ? {data: bytes.subarray(newline + 1)} : 'stale'
  } catch {
    return 'stale'
  }
}

/** cacheStatus -- what became of the cache of `file`, loaded in this process (undefined: not loaded here). */
export function cacheStatus(file: string): CacheStatus | undefined {
  return loaded.find((entry) => entry.file === file)?.status
}

/** writeCaches -- at exit, the code V8 compiled for each bundle whose cache needs it, each file whole. */
function writeCaches(): void {
  if (!keep) return
  for (const entry of loaded) {
    if (entry.status === 'used') continue
    try {
      const data = entry.script.createCachedData()
      writeFileAtomic(entry.cacheFile, Buffer.concat([Buffer.from(`${JSON.stringify(entry.header)}\n`), data]), {mode: 0o644})
    } catch {
      // a directory that cannot be written: the bundle stays uncached, and nothing was left behind
    }
  }
}

/**
 * loadBundle -- the exports of the CommonJS bundle `file`, run once per process (require.cache),
 * with the code cache of `forCommand` (a word naming what the process runs: the first bundle's
 * sets it for its siblings).
 */
export function loadBundle(file: string, forCommand?: string): unknown {
  if (forCommand !== undefined) command = forCommand
  const nodeRequire = createRequire(file)
  const cached = nodeRequire.cache[file]
  if (cached !== undefined) return cached.exports
  const source = readFileSync(file, 'utf8')
  const stat = statSync(file)
  // A command word is made safe for a file name: it names a cache, never a path.
  const cacheFile = cacheFileOf(file, /^[a-z][a-z0-9-]{0,31}$/.test(command) ? command : 'other')
  const previous = readCache(cacheFile, stat)
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`
  const script = new Script(wrapper, {filename: file, ...(typeof previous === 'string' ? {} : {cachedData: previous.data})})
  const status: CacheStatus = typeof previous === 'string' ? previous : script.cachedDataRejected === true ? 'refused' : 'used'
  loaded.push({file, cacheFile, script, header: {size: stat.size, mtimeMs: stat.mtimeMs, node: process.version, arch: process.arch}, status})
  if (!exitHookSet) {
    exitHookSet = true
    process.once('exit', writeCaches)
  }

  const dir = dirname(file)
  const bundleRequire = Object.assign((id: string): unknown => (/^\.\/[\w.-]+\.cjs$/.test(id) ? loadBundle(join(dir, id)) : nodeRequire(id)), {
    resolve: nodeRequire.resolve,
    cache: nodeRequire.cache,
    main: nodeRequire.main,
    extensions: nodeRequire.extensions,
  })
  const module = new Module(file)
  module.filename = file
  module.loaded = false
  nodeRequire.cache[file] = module
  try {
    ;(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, bundleRequire, module, file, dir)
  } catch (err) {
    delete nodeRequire.cache[file]
    throw err
  }
  module.loaded = true
  return module.exports
}
