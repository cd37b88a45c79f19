/**
 * detect -- which page format a file is in, from its first bytes and its size.
 *
 * Policy, each in a sentence:
 *  - Detection is one pure call over the first DETECT_HEAD_BYTES bytes of the file (or the whole
 *    file, if it is shorter), the file's size and, where known, its base name (a PostgreSQL
 *    segment file is numbered only by its name); the caller does the reading.
 *  - Each format's own detector is tried in the order it is given; the first that recognises the
 *    bytes wins, so a format whose magic is strict (SQLite's 16-byte string) goes before one whose
 *    test is a plausibility check (PostgreSQL's page header).
 *  - A detector that throws is a bug in that detector, not a property of the file: it is treated
 *    as "not this format", so one bad detector never stops a plain page file from opening.
 *  - Anything no detector recognises is a plain page file: `null`, and mpool works as it always
 *    has.
 */

import type {FormatInfo, PageFormat} from './types.js'

/** How many bytes of the file's start a detector is given (all the formats need at most this). */
export const DETECT_HEAD_BYTES = 512

/** detectWith -- the first of `formats` that recognises the file, or null for a plain page file. */
export function detectWith(formats: readonly PageFormat[], head: Buffer, fileSize: number, name?: string): FormatInfo | null {
  for (const format of formats) {
    let info: FormatInfo | null = null
    try {
      info = format.detect(head, fileSize, name)
    } catch {
      info = null
    }
    if (info !== null) return info
  }
  return null
}
