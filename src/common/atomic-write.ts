/**
 * atomic-write -- a file replaced whole or not at all: written under a temporary name beside it,
 * then renamed over it (the shell's caches and the completion script it teaches).
 *
 * Policy, each in a sentence:
 *  - The temporary file is FILE.PID.tmp in FILE's own directory: a rename is atomic only within
 *    one file system, and two processes writing the same FILE at once never share a temporary.
 *  - A failed write or rename removes the temporary file (if it was made) and throws the error,
 *    so neither a partly written FILE nor a temporary file is ever left behind.
 *  - No fsync: what is written here is rebuilt if a crash loses it, and a flush at the exit of a
 *    command that shells run in loops would cost more than the cache saves.
 *
 * Named imports only: this is bundled into dist/cli/bundle-loader.cjs, which runs before
 * anything else on every command (a default import copies every property of node:fs).
 */
import {renameSync, rmSync, writeFileSync} from 'node:fs'

/**
 * writeFileAtomic -- FILE's content replaced by `data`, whole; `mode` for a FILE it makes.
 * @throws the write's or the rename's error (ENOENT, EACCES, EISDIR, ENOSPC...), with nothing left behind.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: {mode?: number} = {}): void {
  const temp = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temp, data, options)
    renameSync(temp, file)
  } catch (err) {
    try {
      rmSync(temp, {force: true})
    } catch {
      // it was never made, or its directory cannot be written either: nothing to remove
    }
    throw err
  }
}
