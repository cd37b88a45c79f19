// bundle-light -- the shell's CommonJS bundles, which bin/run.js loads through
// dist/cli/bundle-loader.cjs (src/cli/bundle-loader.ts: V8's code cache, beside each bundle):
//   light.bundle.cjs   dist/cli/light.js and everything it loads (the verbs, the session client,
//                      the engine's constants, hexy);
//   light-formats.cjs  the page formats' registry and decoders (dist/formats), required only
//                      when a format is needed (--decode, map, a file's detection);
//   light-chalk.cjs    chalk, required only when colour is wanted.
//
// Why: a verb's start-up is mostly Node's module loader and V8's compiler. One file instead of
// ~45 saves about a third of what a verb costs beyond a bare `node -e 0`; CommonJS, not ES
// modules, because Node's ES module loader costs about 10 ms to start and cannot take a code
// cache in Node 20, and the code cache saves most of the compiling (README, "Speed"). So no
// bundle keeps an `import()`: esbuild turns each into a require (checked below), and the two
// lazily loaded parts are `./NAME.cjs` siblings, which the loader also loads with a cache. Not
// esbuild's `splitting`: it cut the graph into ~28 chunks, and a verb loading 25 small files was
// no faster than one big one (measured with bench/cli.ts). Run by `npm run build` after tsc,
// and by the tests' buildOnce (test/helpers/cli.ts), so the bundles are never older than dist/.
//
// Help: oclif's own help (@oclif/plugin-help's renderer, as `mpool help COMMAND` prints it) of
// each light command is rendered here, once, into dist/cli/help.json, for the 80 columns and no
// colour oclif uses when stdout is not a terminal; src/cli/light.ts prints it for `-h`/`--help`
// into a pipe, without loading oclif (as oclif's manifest spares it loading every command).
// On a terminal oclif renders help live, at the terminal's width and in colour.
//
// import.meta.url: only session/spawn.js uses it (to find serve-main.js beside itself), so in
// the bundle it is defined as spawn.js's own URL (computed when first asked for); any other
// bundled module that uses it fails the build, because there it would mean the wrong place.
import {Config, loadHelpClass} from '@oclif/core'
import {build} from 'esbuild'
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outdir = path.join(root, 'dist/cli')
for (const old of readdirSync(outdir)) if (/^light[.-].*\.(c?js|v8-cache)$/.test(old) || /^bundle-loader\.cjs/.test(old)) rmSync(path.join(outdir, old))

const common = {bundle: true, platform: 'node', format: 'cjs', target: 'node20', supported: {'dynamic-import': false}, logLevel: 'warning', metafile: true}
// The lazily loaded parts: their dynamic imports are left out of the main bundle and pointed at
// their own bundles, which src/cli/bundle-loader.ts loads when the bundle requires them.
const lazyParts = {
  name: 'lazy-parts',
  setup(b) {
    b.onResolve({filter: /formats\/index\.js$/}, (args) => (args.kind === 'dynamic-import' ? {path: './light-formats.cjs', external: true} : undefined))
    b.onResolve({filter: /^chalk$/}, (args) => (args.kind === 'dynamic-import' ? {path: './light-chalk.cjs', external: true} : undefined))
  },
}
const builds = [
  build({...common, entryPoints: [path.join(root, 'dist/cli/bundle-loader.js')], outfile: path.join(outdir, 'bundle-loader.cjs')}),
  build({...common, entryPoints: [path.join(root, 'dist/formats/index.js')], outfile: path.join(outdir, 'light-formats.cjs')}),
  build({...common, entryPoints: [fileURLToPath(import.meta.resolve('chalk'))], outfile: path.join(outdir, 'light-chalk.cjs')}),
  build({
    ...common,
    entryPoints: [path.join(root, 'dist/cli/light.js')],
    outfile: path.join(outdir, 'light.bundle.cjs'),
    plugins: [lazyParts],
    define: {'import.meta.url': '__mpoolSpawn.url'},
    banner: {js: "const __mpoolSpawn = {get url() { return require('node:url').pathToFileURL(require('node:path').join(__dirname, '../session/spawn.js')).href } };"},
  }),
]
const results = await Promise.all(builds)
const main = results[3]
const misplaced = Object.keys(main.metafile.inputs).filter((file) => !file.endsWith('dist/session/spawn.js') && /import\.meta/.test(readFileSync(path.resolve(root, file), 'utf8')))
if (misplaced.length > 0) {
  process.stderr.write(`bundle-light: ${misplaced.join(', ')} use import.meta, which the bundle defines as session/spawn.js's URL: make them take their location another way\n`)
  process.exit(1)
}
for (const result of results) {
  for (const out of Object.keys(result.metafile.outputs)) {
    if (/\bimport\s*\(/.test(readFileSync(path.resolve(root, out), 'utf8'))) {
      process.stderr.write(`bundle-light: ${out} keeps an import(), which needs Node's ES module loader: make it a static import or a lazy part\n`)
      process.exit(1)
    }
  }
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
