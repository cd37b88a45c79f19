/**
 * layers -- each layer imports only from the layers below it (docs/architecture.md).
 *
 * The ranks are the architecture's table: a file may import its own folder and any folder of a
 * lower rank, never one of the same or a higher rank. The engine and the formats have stricter
 * rules of their own: the engine needs nothing but node's own modules, and a format is pure (no * file system, no process), so that both can be read and tested alone.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src')

/** rank of each top-level folder of src/ (and of src/index.ts, the library's front). */
const RANK: Record<string, number> = {
  common: 0,
  pool: 0,
  formats: 1,
  workload: 2,
  session: 3,
  render: 4,
  verbs: 5,
  replay: 5,
  ui: 6,
  cli: 6,
  commands: 7,
  'index.ts': 8,
}

interface Import {
  file: string
  specifier: string
}

function sourceFiles(): string[] {
  return fs
    .readdirSync(SRC, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, 'utf8')
  const found: Import[] = []
  for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)) {
    found.push({file, specifier: (match[1] ?? match[2])!})
  }
  return found
}

/** layerOf -- the top-level folder of src/ a path lies in (or 'index.ts'). */
function layerOf(absolute: string): string {
  return path.relative(SRC, absolute).split(path.sep)[0]!
}

const files = sourceFiles()

describe('the layers', () => {
  it('know every folder of src/', () => {
    const unknown = [...new Set(files.map(layerOf))].filter((layer) => !(layer in RANK))
    assert.deepEqual(unknown, [], 'give each new folder a rank here and a row in docs/architecture.md')
  })

  it('import only from their own folder or a layer below', () => {
    const wrong: string[] = []
    for (const file of files) {
      const from = layerOf(file)
      for (const {specifier} of importsOf(file)) {
        if (!specifier.startsWith('.')) continue
        const to = layerOf(path.resolve(path.dirname(file), specifier))
        if (to === from) continue
        if (!(RANK[to]! < RANK[from]!)) wrong.push(`${path.relative(SRC, file)} imports ${specifier} (${from} may not import ${to})`)
      }
    }
    assert.deepEqual(wrong, [])
  })

  it('keep the engine on node alone, and the formats pure', () => {
    const wrong: string[] = []
    for (const file of files) {
      const layer = layerOf(file)
      for (const {specifier} of importsOf(file)) {
        if (layer === 'pool' && !specifier.startsWith('.') && !specifier.startsWith('node:')) wrong.push(`${path.relative(SRC, file)} imports ${specifier}`)
        if (layer === 'formats' && !specifier.startsWith('.') && !['node:buffer', 'node:util'].includes(specifier)) wrong.push(`${path.relative(SRC, file)} imports ${specifier}`)
      }
    }
    assert.deepEqual(wrong, [])
  })

  it('reach the engine through its front door, src/pool/index.js, from above', () => {
    const deep: string[] = []
    for (const file of files) {
      if (layerOf(file) === 'pool') continue
      for (const {specifier} of importsOf(file)) {
        if (!specifier.startsWith('.')) continue
        const target = path.relative(SRC, path.resolve(path.dirname(file), specifier))
        if (target.startsWith(`pool${path.sep}`) && target !== path.join('pool', 'index.js')) deep.push(`${path.relative(SRC, file)} imports ${specifier}`)
      }
    }
    assert.deepEqual(deep, [])
  })
})
