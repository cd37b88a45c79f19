// bundle-light -- dist/cli/light.js and everything it loads (the verbs, the session client, the
// engine's constants) as one file, dist/cli/light.bundle.js, which bin/run.js loads.
//
// Why: a verb's start-up is mostly Node's module loader; one file instead of ~45 saves about a
// third of what a verb costs beyond a bare `node -e 0` (README, "Speed"). chalk stays outside,
// loaded only when colour is wanted. Run by `npm run build` after tsc, and by the tests'
// buildOnce (test/helpers/cli.ts), so the bundle is never older than dist/.
//
// import.meta.url: only session/spawn.js uses it (to find serve-main.js beside itself), so in
// the bundle it is defined as spawn.js's own URL; any other bundled module that uses it fails
// the build, because there it would mean the wrong place.
import {build} from 'esbuild'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const result = await build({
  entryPoints: [path.join(root, 'dist/cli/light.js')],
  outfile: path.join(root, 'dist/cli/light.bundle.js'),
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
