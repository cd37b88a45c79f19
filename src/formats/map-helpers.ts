/**
 * map-helpers -- the helper-thread side of each format whose mapper can share its blocks
 * (PageMapper.share), by format name.
 *
 * A registry of its own, apart from FORMATS (index.ts): a helper thread loads this module and
 * what it names only, so that it starts in a few milliseconds instead of compiling every format
 * first; its start is the price of its help (src/cli/block-helper.ts).
 */
import {summaryHelper} from './sqlite/summary.js'
import type {FormatName, MapHelper} from './types.js'

export const MAP_HELPERS: Partial<Record<FormatName, (shared: unknown) => MapHelper>> = {
  sqlite: summaryHelper,
}
