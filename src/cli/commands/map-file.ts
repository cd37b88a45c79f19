/**
 * map-file -- the shell's `map`: the map verb (src/verbs/map.ts) over a pool, plus --file, the
 * map of any file read straight from the disk with no pool open.
 *
 * Policy: with --file the file is read once in page order, in large blocks, at the page size its
 * header gives, each block handed to the format's mapper as it is read (page-file.ts
 * withPageBlocks; a format without a mapper reads through page-file.ts's stream instead);
 * --pagesize overrides the size (with a warning if it contradicts the file) and goes with --file
 * only, as for dump. A large file is read and summarised by two threads (block-helper.ts), when
 * the built helper thread's script is there (it is not when running from the sources).
 */
import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {usageError} from '../../common/exit-status.js'
import {MAX_PAGESIZE} from '../../pool/index.js'
import type {PageMap} from '../../formats/index.js'
import {mapJson} from '../../render/map-json.js'
import {mapVerb as verb} from '../../verbs/map.js'
import {formatFrom, loadFormats, mapPages} from '../../verbs/formats.js'
import {stringFlag} from '../../verbs/spec.js'
import {wholeFlag} from '../../verbs/verb.js'
import {type PageFileInfo, withPageBlocks, withPageStream} from '../page-file.js'
import {type BlockHelper, HELP_FROM_BYTES, startHelper} from '../block-helper.js'
import {defineCommand} from '../shell.js'
import {fileFormat} from '../file-format.js'
import type {Shell} from '../shell.js'

export const mapCommand = defineCommand({
  name: verb.name,
  summary: verb.summary,
  description: `${verb.description} With --file F: the map of any file, read from the disk with no pool open.`,
  examples: verb.examples,
  args: verb.args,
  flags: {
    ...verb.flags,
    file: stringFlag({description: 'map this file, read directly, with no pool open', helpValue: 'FILE'}),
    pagesize: wholeFlag({description: "with --file: the page size in bytes [default: the file format's]", min: 1, max: MAX_PAGESIZE}),
  },
  onPool: true,
  label: (parsed) => verb.label(parsed),
  async run(shell, parsed): Promise<PageMap> {
    const {flags} = parsed
    const file = flags.file
    if (file === undefined) {
      if (flags.pagesize !== undefined) throw usageError('--pagesize goes with --file; a pool has its own pagesize')
      return verb.run(await shell.pool(), parsed)
    }
    if (flags.key !== undefined) throw usageError('--file reads the file directly: --key has no pool to choose')
    const helper = helperFor(shell, file)
    try {
      const choice = await fileFormat(file, flags.pagesize, 'map')
      const registry = await loadFormats()
      const explain = (npages: number) => shell.explainWithoutPool(`map: read ${npages} pages of ${choice.pagesize} bytes from ${file}; no pool involved`, [`read ${npages} pages from ${file}`])
      const info = choice.format
      const format = info === null ? undefined : registry.formatOf(info)
      if (info === null || format?.mapper === undefined) {
        return withPageStream(file, choice.pagesize, (stream) => {
          // refused only once the file is open, so that a missing file is named as missing
          const known = formatFrom(registry, choice.format, file, 'map')
          explain(stream.info.npages)
          return mapPages(known.info, known.format, stream.read, stream.info.npages)
        })
      }
      const pages = (found: PageFileInfo) => {
        explain(found.npages)
        return format.mapper!(found.npages, info)
      }
      return await withPageBlocks(file, choice.pagesize, pages, helper === null ? null : {thread: helper, format: info.format})
    } finally {
      helper?.stop()
    }
  },
  render: (result, options) => verb.render(result, options),
  json: (result, explain) => mapJson(result, explain),
})

/** The helper thread's built script (scripts/bundle-light.mjs), relative to the package. */
const HELPER_SCRIPT = 'dist/cli/light-map-helper.cjs'

/**
 * helperFor -- a helper thread for map --file of `file`, started now, before the format is
 * known, so that it boots meanwhile (block-helper.ts): only for a file that is large enough,
 * and when the package has the helper's script (it does not, run from the sources).
 */
function helperFor(shell: Shell, file: string): BlockHelper | null {
  if (shell.root === undefined) return null
  const script = join(shell.root, HELPER_SCRIPT)
  let size: number
  try {
    size = statSync(file).size
  } catch {
    return null // the read that follows names what is wrong with the file
  }
  return size >= HELP_FROM_BYTES && existsSync(script) ? startHelper(script) : null
}
