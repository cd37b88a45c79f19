import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {ROOT} from '../helpers/cli.js'

interface ManifestFlag {
  type: string
  options?: string[]
}
interface ManifestCommand {
  id: string
  summary?: string
  description?: string
  flags: Record<string, ManifestFlag>
  args: Record<string, unknown>
}
interface CommandClass {
  summary?: string
  description?: string
  enableJsonFlag?: boolean
  flags?: Record<string, {type: string; options?: readonly string[]}>
  baseFlags?: Record<string, {type: string; options?: readonly string[]}>
  args?: Record<string, unknown>
}

/** Every command file under src/commands, as oclif names it: trace/gen.ts -> trace:gen. */
function commandFiles(): Map<string, string> {
  const dir = path.join(ROOT, 'src', 'commands')
  const out = new Map<string, string>()
  for (const entry of fs.readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name) || entry.name.endsWith('.d.ts')) continue
    const file = path.join(entry.parentPath, entry.name)
    const id = path.relative(dir, file).replace(/\.tsx?$/, '').replace(/\/index$/, '').split(path.sep).join(':')
    out.set(id, file)
  }
  return out
}

describe('oclif.manifest.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}

  it('has an entry for every command file and none for a command that is gone (regenerate: npm run build && npx oclif manifest)', () => {
    assert.deepEqual(Object.keys(manifest.commands).sort(), [...commandFiles().keys()].sort())
  })

  it("matches each command's flags, args, summary and description as the source has them now", async function () {
    this.timeout(30_000)
    const stale: string[] = []
    for (const [id, file] of commandFiles()) {
      const entry = manifest.commands[id]
      if (entry === undefined) continue // reported by the test above
      const command = (await import(file)).default as CommandClass
      const flags = {...command.baseFlags, ...command.flags}
      const names = new Set([...Object.keys(flags), ...(command.enableJsonFlag ? ['json'] : [])])
      if ([...names].sort().join() !== Object.keys(entry.flags).sort().join()) stale.push(`${id}: flags ${[...names].sort()} vs manifest ${Object.keys(entry.flags).sort()}`)
      for (const [name, flag] of Object.entries(flags)) {
        const listed = entry.flags[name]
        if (listed === undefined) continue
        if (listed.type !== flag.type) stale.push(`${id} --${name}: type ${flag.type} vs manifest ${listed.type}`)
        if ((flag.options ?? []).join() !== (listed.options ?? []).join()) stale.push(`${id} --${name}: options ${flag.options} vs manifest ${listed.options}`)
      }
      if (Object.keys(command.args ?? {}).join() !== Object.keys(entry.args).join()) stale.push(`${id}: args ${Object.keys(command.args ?? {})} vs manifest ${Object.keys(entry.args)}`)
      if ((command.summary ?? '') !== (entry.summary ?? '')) stale.push(`${id}: summary changed`)
      if ((command.description ?? '') !== (entry.description ?? '')) stale.push(`${id}: description changed`)
    }
    assert.deepEqual(stale, [], 'the manifest is stale: npm run build && npx oclif manifest')
  })
})
