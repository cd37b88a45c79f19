/**
 * help-cache -- a command's help exactly as oclif printed it, kept for the light entry to print again.
 *
 * oclif renders help (its wording, its layout, its colours); loading it to do so costs three
 * times a bare `node -e 0`. So the help class oclif uses (help.ts, package.json oclif.helpClass)
 * saves the text it printed, and a later `mpool VERB --help` under the same conditions prints
 * that text (light.ts) without loading oclif. The build seeds the cache for help into a pipe
 * (scripts/bundle-light.mjs runs each verb's --help once); any other width, colour or theme is
 * rendered by oclif on its first run and served from the cache after.
 *
 * Policy, each in a sentence:
 *  - A text is served only under the key it was printed under, which names everything oclif's
 *    help output depends on: the command; the width oclif wraps at (OCLIF_COLUMNS, else the
 *    terminal's, else 80: @oclif/core's screen.js); whether oclif colours help here and how
 *    (supports-color for stdout and stderr, then ansis's own level, asked of the very modules
 *    @oclif/core loads); the user's theme file (its text) and MPOOL_DISABLE_THEME; and the
 *    size and mtime of package.json, the manifest, the light bundle (a rebuild) and @oclif/core's
 *    package.json (an upgrade). Anything else is a miss, and oclif renders it.
 *  - The help class saves only where its own view of the key agrees with what oclif used (its
 *    width, its config directory) and only for oclif's own options, so a text is never filed
 *    under a key it was not printed under.
 *  - One file per command, width and colour level (`help.COMMAND.WIDTH.cLEVEL.cache`): the key
 *    on its first line, the text after it. It lives beside the code caches in dist/cli; where
 *    that cannot be written (a read-only install), in the per-user cache directory
 *    ($MPOOL_CACHE_DIR, else $XDG_CACHE_HOME/mpool, else ~/.cache/mpool).
 *  - A file is written whole or not at all (common/atomic-write.ts); nothing about the
 *    cache ever fails a command: an unreadable or unwritable cache is a miss.
 */
import {mkdirSync, readFileSync, statSync} from 'node:fs'
import {createRequire} from 'node:module'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {writeFileAtomic} from '../common/atomic-write.js'

/** Everything a command's help text depends on; two equal keys give the same text. */
export interface HelpKey {
  command: string
  width: number
  /** supports-color's level for stdout and stderr, then what ansis makes of a hex colour */
  colour: string
  theme: string | null
  disableTheme: string | null
  /** size:mtime of each file the help is built from */
  stamps: string[]
}

/** helpWidth -- the width oclif's help wraps at, computed as @oclif/core's screen.js does. */
export function helpWidth(): number {
  const columns = Number.parseInt(process.env.OCLIF_COLUMNS ?? '', 10)
  if (columns) return columns
  const out = process.stdout
  if (!out.isTTY) return 80
  const width = out.getWindowSize()[0]
  return width < 1 ? 80 : Math.max(width, 40)
}

/** configDir -- where oclif looks for the user's theme.json (config.configDir for bin mpool on Linux). */
export function configDir(): string {
  return process.env.MPOOL_CONFIG_DIR || join(process.env.XDG_CONFIG_HOME || join(process.env.HOME || homedir(), '.config'), 'mpool')
}

/** userCacheDir -- the per-user place for the cache when dist/ cannot be written. */
export function userCacheDir(): string {
  return process.env.MPOOL_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache'), 'mpool')
}

/** stamp -- a file's size and mtime, or `-` when it is missing. */
function stamp(file: string): string {
  try {
    const stat = statSync(file)
    return `${stat.size}:${stat.mtimeMs}`
  } catch {
    return '-'
  }
}

/** readText -- a file's text, or null when it cannot be read. */
function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

/**
 * colourLevels -- how oclif's colour libraries answer in this process: `none` where oclif's
 * colorize() colours nothing (supports-color says no for stdout or stderr), else their levels
 * and what ansis makes of a hex colour (its own level: 16, 256 or 16 million colours).
 */
function colourLevels(oclifMain: string): string {
  const oclifRequire = createRequire(oclifMain)
  const supports = oclifRequire('supports-color') as {stdout: false | {level: number}; stderr: false | {level: number}}
  if (supports.stdout === false || supports.stderr === false) return 'none'
  const ansis = oclifRequire('ansis') as {hex: (colour: string) => (text: string) => string}
  return `${supports.stdout.level}${supports.stderr.level}${JSON.stringify(ansis.hex('#102030')('x'))}`
}

/** helpKey -- the key of `command`'s help in this process, for the package whose root is `root`. */
export function helpKey(root: string, command: string): HelpKey {
  const oclifMain = createRequire(join(root, 'package.json')).resolve('@oclif/core')
  const stamped = [join(root, 'package.json'), join(root, 'oclif.manifest.json'), join(root, 'dist', 'cli', 'light.bundle.cjs'), join(dirname(oclifMain), '..', 'package.json')]
  return {
    command,
    width: helpWidth(),
    colour: colourLevels(oclifMain),
    theme: readText(join(configDir(), 'theme.json')),
    disableTheme: process.env.MPOOL_DISABLE_THEME || null,
    stamps: stamped.map(stamp),
  }
}

/** The places a help cache may live, in the order they are tried. */
function cacheDirs(root: string): string[] {
  return [join(root, 'dist', 'cli'), userCacheDir()]
}

/** cacheName -- the file that holds the help under `key` (its colour shortened to the level ansis uses). */
function cacheName(key: HelpKey): string {
  const hex = key.colour.slice(2)
  const level = key.colour === 'none' ? 0 : hex === '"x"' ? 0 : hex.includes('38;2;') ? 3 : hex.includes('38;5;') ? 2 : 1
  return `help.${key.command}.${key.width}.c${level}.cache`
}

/** cachedHelp -- the text saved under `key`, or null (none, or saved under another key). */
export function cachedHelp(root: string, key: HelpKey): string | null {
  const header = JSON.stringify(key)
  for (const dir of cacheDirs(root)) {
    const text = readText(join(dir, cacheName(key)))
    if (text === null) continue
    const newline = text.indexOf('\n')
    if (newline >= 0 && text.slice(0, newline) === header) return text.slice(newline + 1)
  }
  return null
}

/** saveHelp -- keep `text` under `key`, in the first place that can be written; false if none could. */
export function saveHelp(root: string, key: HelpKey, text: string, dirs: readonly string[] = cacheDirs(root)): boolean {
  for (const dir of dirs) {
    try {
      mkdirSync(dir, {recursive: true, mode: 0o700})
      writeFileAtomic(join(dir, cacheName(key)), `${JSON.stringify(key)}\n${text}`, {mode: 0o644})
      return true
    } catch {
      // this place cannot be written (nothing was left in it): try the next
    }
  }
  return false
}
