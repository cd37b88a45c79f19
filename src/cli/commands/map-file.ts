/**
 * map-file -- the shell's `map`: the map verb (src/verbs/map.ts) over a pool, plus --file, the
 * map of any file read straight from the disk with no pool open.
 *
 * Policy: with --file the file is read once in page order, in large blocks, at the page size its
 * header gives, each block handed to the format's mapper as it is read (page-file.ts
 * withPageBlocks; a format without a mapper reads through page-file.ts's stream instead);
 * --pagesize overrides the size (with a warning if it contradicts the file) and goes with --file
 * only, as for dump.
 */
import {usageError} from '../../common/exit-status.js'
import {MAX_PAGESIZE} from '../../pool/index.js'
import type {PageMap} from '../../formats/index.js'
import {mapJson} from '../../render/map-json.js'
import {mapVerb as verb} from '../../verbs/map.js'
import {formatFrom, loadFormats, mapPages} from '../../verbs/formats.js'
import {stringFlag} from '../../verbs/spec.js'
import {wholeFlag} from '../../verbs/verb.js'
import {withPageBlocks, withPageStream} from '../page-file.js'
import {defineCommand} from '../shell.js'
import {fileFormat} from '../file-format.js'

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
    return withPageBlocks(file, choice.pagesize, (pages) => {
      explain(pages.npages)
      return format.mapper!(pages.npages, info)
    })
  },
  render: (result, options) => verb.render(result, options),
  json: (result, explain) => mapJson(result, explain),
})
