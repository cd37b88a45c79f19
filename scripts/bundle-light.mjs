// bundle-light -- dist/cli/light.js and everything it loads (the verbs, the session client, the
// engine's constants) as dist/cli/light.bundle.js, which bin/run.js loads; the page formats'
// registry and decoders (dist/formats) as a bundle of their own, dist/cli/light-formats.js,
// which the main bundle imports only when a format is needed (--decode, map, a file's detection).
//
// Why: a verb's start-up is mostly Node's module loader; one file instead of ~45 saves about a
// third of what a verb costs beyond a bare `node -e 0` (README, "Speed"). The decoders were a
// third of that one file (92 of 268 KB) that every verb parsed and few use. Not esbuild's
// `splitting`: it cut the graph into ~28 chunks, and a verb loading 25 small files was no
// faster than one big one (measured with bench/cli.ts). chalk stays outside, loaded only when
// colour is wanted. Run by `npm run build` after tsc, and by the tests' buildOnce
// (test/helpers/cli.ts), so the bundle is never older than dist/.
//
// Help: oclif's own help (@oclif/plugin-help's renderer, as `mpool help COMMAND` prints it) of
// each light command is rendered here, once, into dist/cli/help.json, for the 80 columns and no
// colour oclif uses when stdout is not a terminal; src/cli/light.ts prints it for `-h`/`--help`
// into a pipe, without loading oclif (as oclif's manifest spares it loading every command).
// On a terminal oclif renders help live, at the terminal's width and in colour.
//
// import.meta.url: only session/spawn.js uses it (to find serve-main.js beside itself), so in
// the bundle it is defined as spawn.js's own URL; any other bundled module that uses it fails
// the build, because there it would mean the wrong place.
import {Config, loadHelpClass} from '@oclif/core'
import {build} from 'esbuild'
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outdir = path.join(root, 'dist/cli')
for (const old of readdirSync(outdir)) if (/^light-.*\.js$/.test(old) || old === 'light.bundle.js') rmSync(path.join(outdir, old))
// The format registry is imported dynamically only (verbs/formats.ts loadFormats, cli/file-format.ts):
// that import is left out of the main bundle and pointed at its own bundle, light-formats.js.
const lazyFormats = {
  name: 'lazy-formats',
  setup(b) {
    b.onResolve({filter: /formats\/index\.js$/}, (args) => (args.kind === 'dynamic-import' ? {path: './light-formats.js', external: true} : undefined))
  },
}
await build({
  entryPoints: [path.join(root, 'dist/formats/index.js')],
  outfile: path.join(outdir, 'light-formats.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
})
const result = await build({
  entryPoints: [path.join(root, 'dist/cli/light.js')],
  outfile: path.join(outdir, 'light.bundle.js'),
  plugins: [lazyFormats],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['chalk'],
  define: {'import.meta.url': '__mpoolSpawnUrl'},
  banner: {js: "const __mpoolSpawnUrl = new URL('../session/spawn.js', import.meta.url).href;"},
  metafile: true,
  logLevel: 'warning',
})
const misplaced = Object.keys(result.metafile.inputs).filter((file) => !file.endsWith('dist/session/spawn.js') && /import\.meta/.test(readFileSync(path.resolve(root, file), 'utf8')))
if (misplaced.length > 0) {
  process.stderr.write(`bundle-light: ${misplaced.join(', ')} use import.meta, which the bundle defines as session/spawn.js's URL: make them take their location another way\n`)
  process.exit(1)
}

// Rendered as oclif renders it off a terminal: 80 columns, no colour.
process.env.OCLIF_COLUMNS = '80'
process.env.NO_COLOR = '1'
const config = await Config.load({root})
const Help = await loadHelpClass(config)
const {SHELL_COMMANDS} = await import(path.join(root, 'dist/cli/commands/index.js'))
const texts = {}
for (const id of Object.keys(SHELL_COMMANDS)) {
  const lines = []
  const help = new Help(config, {stripAnsi: true})
  help.log = (...args) => lines.push(args.join(' '))
  const command = config.findCommand(id)
  if (command === undefined) throw new Error(`bundle-light: oclif knows no command ${id}`)
  await help.showCommandHelp(command)
  texts[id] = `${lines.join('\n')}\n`
}
writeFileSync(path.join(root, 'dist/cli/help.json'), `${JSON.stringify(texts)}\n`)
