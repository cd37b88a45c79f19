/**
 * formats -- the registry of page formats, and the entry points the layers above use.
 *
 * Policy: a format is registered here once, in detection order (strict magic first); everything
 * above src/formats reaches a format through this module only (`detectFormat`, `formatNamed`),
 * never by importing a format's own files, so that adding a format is one line here (and one
 * case in load.ts, the registry's lazy face for a verb that needs one format: a test checks both).
 */

import {detectWith} from './detect.js'
import {berkeleydb} from './berkeleydb/index.js'
import {postgresql} from './postgresql/index.js'
import {sqlite} from './sqlite/index.js'
import type {FormatInfo, PageFormat} from './types.js'

export * from './types.js'
export {DETECT_HEAD_BYTES} from './detect.js'
export {choosePagesize, formatTitle, type PagesizeChoice} from './choose.js'
export {diffDecoded, itemLabel, type FieldChange} from './diff.js'
export {FORMAT_NAMES} from './names.js'

/** Every format mpool knows, in the order detection tries them. */
export const FORMATS: readonly PageFormat[] = [sqlite, berkeleydb, postgresql]

/** detectFormat -- the format of a file from its first bytes, size and base name (if known), or null for a plain page file. */
export function detectFormat(head: Buffer, fileSize: number, name?: string): FormatInfo | null {
  return detectWith(FORMATS, head, fileSize, name)
}

/** formatNamed -- the registered format called `name`, or undefined. */
export function formatNamed(name: string): PageFormat | undefined {
  return FORMATS.find((format) => format.name === name)
}

/** formatOf -- the registered format a detection result belongs to. */
export function formatOf(info: FormatInfo): PageFormat | undefined {
  return formatNamed(info.format)
}
