/**
 * key -- the name a shared pool goes by.
 *
 * A key names a socket and an info file in the runtime directory, so it is checked against a
 * strict pattern and is never a path: 1 to 64 characters of letters, digits, `.`, `_` and `-`,
 * not starting with `.` or `-` (no hidden files, nothing that reads as an option). A key that
 * does not match is refused, never repaired; deriveKey repairs a file name into a key for the
 * common `mpool open demo.db` with no --key.
 */
import path from 'node:path'
import {MPoolError} from '../pool/index.js'

/** The longest key: keeps `<dir>/<key>.sock` well inside a Unix socket's path limit. */
export const MAX_KEY_LENGTH = 64

const KEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/

/** What a key may contain, for error messages. */
export const KEY_RULE = `a key is 1 to ${MAX_KEY_LENGTH} letters, digits, '.', '_' or '-', not starting with '.' or '-'`

/** isValidKey -- whether `key` is a key (see KEY_RULE). */
export function isValidKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_PATTERN.test(key)
}

/**
 * validateKey -- returns `key` if it is a valid key.
 *
 * @throws MPoolError EINVAL naming the key and saying what a key may contain.
 */
export function validateKey(key: unknown): string {
  if (isValidKey(key)) return key
  const shown = typeof key === 'string' ? JSON.stringify(key.length > 80 ? `${key.slice(0, 77)}...` : key) : String(key)
  throw new MPoolError('EINVAL', `${shown} is not a valid pool key: ${KEY_RULE}`)
}

/**
 * deriveKey -- a key made from a file name: the base name without its extension, every character
 * a key may not hold turned into `_`, leading `.`, `-` and `_` dropped, cut to 64 characters.
 * `demo.db` → `demo`, `/data/my pages.bin` → `my_pages`, `.hidden.db` → `hidden`; a name with
 * nothing left (e.g. `...`) gives `pool`.
 */
export function deriveKey(file: string): string {
  const {name} = path.parse(path.basename(file))
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, MAX_KEY_LENGTH)
  return cleaned.length > 0 ? cleaned : 'pool'
}
