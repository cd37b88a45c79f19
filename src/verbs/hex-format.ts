/**
 * hex-format -- the `--format` flag of the verbs that show page bytes (get, dump): which of the
 * hex renderer's two layouts to print.
 *
 * Policy: hexy's rows are the default (the layout the project's user asked for); `hexdump` is
 * exactly `hexdump -C`, for people who diff or grep against it. The flag only changes text for
 * people: `--json` carries the bytes as hex either way.
 */
import {HEX_LAYOUTS, type HexLayout} from '../render/hex.js'
import {stringFlag} from './spec.js'

export const formatFlag = stringFlag({description: 'hex layout: hexy (the default) or hexdump (exactly `hexdump -C`)', helpValue: 'LAYOUT', options: HEX_LAYOUTS})

/** hexLayoutOf -- the layout parsed flags ask for (the parser has checked it is one of HEX_LAYOUTS). */
export function hexLayoutOf(flags: Readonly<Record<string, unknown>> | undefined): HexLayout {
  return flags?.format === 'hexdump' ? 'hexdump' : 'hexy'
}
