// bundle-light -- the shell's CommonJS bundles, which bin/run.js loads through
// dist/cli/bundle-loader.cjs (src/cli/bundle-loader.ts: V8's code cache, beside each bundle):
//   light.bundle.cjs   dist/cli/light.js and everything it loads (the verbs, the session client,
//                      the engine's constants, hexy);
//   light-formats.cjs  the page formats' registry and decoders (dist/formats), required only
//                      when the registry is needed (map --file, a file's detection);
//   light-format-NAME.cjs  one format's decoders (dist/formats/NAME), required by the registry's
//                      lazy face (dist/formats/load.js) when a verb decodes or maps the pool's
//                      file: a SQLite decode loads no other format's code;
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
// Help: the help cache (src/cli/help-cache.ts: oclif's own text of a command's help, saved by
// its help class under the conditions it was printed under) is seeded here for help into a
// pipe (80 columns, no colour); src/cli/light.ts prints a cached text for `-h`/`--help` without
// loading oclif. Other widths and colours are rendered by oclif on their first run, then cached.
//
// import.meta.url: only session/spawn.js uses it (to find serve-main.js beside itself), so in
// the bundle it is defined as spawn.js's own URL (computed when first asked for); any other
// bundled module that uses it fails the build, because there it would mean the wrong place.
import {build} from 'esbuild'
import {execFile} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {FORMAT_NAMES} from '../dist/formats/names.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outdir = path.join(root, 'dist/cli')
for (const old of readdirSync(outdir)) if (/^light[.-].*\.(c?js|v8-cache)$/.test(old) || /^bundle-loader\.cjs/.test(old) || /^help\..*\.cache$/.test(old)) rmSync(path.join(outdir, old))

const common = {bundle: true, platform: 'node', format: 'cjs', target: 'node20', supported: {'dynamic-import': false}, logLevel: 'warning', metafile: true}
// The lazily loaded parts: their dynamic imports are left out of the main bundle and pointed at
// their own bundles, which src/cli/bundle-loader.ts loads when the bundle requires them.
const lazyParts = {
  name: 'lazy-parts',
  setup(b) {
    b.onResolve({filter: /formats\/index\.js$/}, (args) => (args.kind === 'dynamic-import' ? {path: './light-formats.cjs', external: true} : undefined))
    b.onResolve({filter: /^\.\/\w+\/index\.js$/}, (args) => (args.kind === 'dynamic-import' && args.importer.endsWith('/formats/load.js') ? {path: `./light-format-${args.path.split('/')[1]}.cjs`, external: true} : undefined))
    b.onResolve({filter: /^chalk$/}, (args) => (args.kind === 'dynamic-import' ? {path: './light-chalk.cjs', external: true} : undefined))
  },
}
const builds = [
  build({...common, entryPoints: [path.join(root, 'dist/cli/bundle-loader.js')], outfile: path.join(outdir, 'bundle-loader.cjs')}),
  build({...common, entryPoints: [path.join(root, 'dist/formats/index.js')], outfile: path.join(outdir, 'light-formats.cjs')}),
  build({...common, entryPoints: [fileURLToPath(import.meta.resolve('chalk'))], outfile: path.join(outdir, 'light-chalk.cjs')}),
  ...FORMAT_NAMES.map((name) => build({...common, entryPoints: [path.join(root, `dist/formats/${name}/index.js`)], outfile: path.join(outdir, `light-format-${name}.cjs`)})),
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
const main = results[results.length - 1]
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

// The help cache, seeded for help into a pipe: each light command's --help run once through the
// real binary, off a terminal, with no colour and no user theme (an empty config directory), so
// oclif renders it and its help class (src/cli/help.ts) saves it under that key beside the
// bundles. A user's `mpool get --help | less` then matches it; anything else is rendered by oclif
// on its first run and saved then (src/cli/help-cache.ts).
const {SHELL_COMMANDS} = await import(path.join(root, 'dist/cli/commands/index.js'))
const configDir = mkdtempSync(path.join(tmpdir(), 'mpool-build-config-'))
const env = {...process.env, MPOOL_CONFIG_DIR: configDir}
for (const name of ['OCLIF_COLUMNS', 'FORCE_COLOR', 'NO_COLOR', 'MPOOL_DISABLE_THEME', 'MPOOL_CACHE_DIR']) delete env[name]
const seed = (id) =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(root, 'bin/run.js'), id, '--help'], {env}, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`bundle-light: mpool ${id} --help failed: ${stderr.trim() || error.message}`))
      else resolve(stdout)
    })
  })
try {
  const ids = Object.keys(SHELL_COMMANDS)
  for (let i = 0; i < ids.length; i += 2) await Promise.all(ids.slice(i, i + 2).map(seed))
} finally {
  rmSync(configDir, {recursive: true, force: true})
}
const seeded = readdirSync(outdir).filter((name) => /^help\..*\.80\.c0\.cache$/.test(name))
if (seeded.length !== Object.keys(SHELL_COMMANDS).length) {
  process.stderr.write(`bundle-light: the help cache has ${seeded.length} of ${Object.keys(SHELL_COMMANDS).length} commands' help into a pipe\n`)
  process.exit(1)
}
