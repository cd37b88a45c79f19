/**
 * names -- the documented format names, in detection order: for messages and flag choices, and
 * for the two faces of the registry (index.ts, every format at once; load.ts, one at a time).
 */
import type {FormatName} from './types.js'

/** The documented format names, for messages and flag choices. */
export const FORMAT_NAMES: readonly FormatName[] = ['sqlite', 'berkeleydb', 'postgresql']
