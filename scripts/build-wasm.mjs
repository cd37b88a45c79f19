// build-wasm -- each AssemblyScript module (src/**/NAME.as.ts, which may import the shared files
// of a src/**/assembly/ folder) compiled to WebAssembly and written beside it as NAME.wasm.ts, a
// module whose one export is the bytes in base64, so that tsc, tsx and the bundles all carry the
// module with no file to find at run time. Run first by `npm run build`. The .wasm.ts files are
// build output (.gitignore), never committed.
//
// Options: -O3 (speed); --runtime stub (the sources allocate by hand and never free, so no
// collector); --noAssert (their bounds are checked by their own code, as the JavaScript they
// replace did); a shared memory of up to 4 GiB (its views never detach when it grows, so a block
// can be read into on node's thread pool while the module runs: sqlite/map.as.ts; summary.ts
// refuses a file too large for the 4 GiB before the memory grows).
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const asc = path.join(root, 'node_modules', '.bin', 'asc')
const sources = readdirSync(path.join(root, 'src'), {recursive: true}).filter((f) => f.endsWith('.as.ts'))
const work = mkdtempSync(path.join(tmpdir(), 'mpool-wasm-'))
try {
  for (const source of sources) {
    const from = path.join(root, 'src', source)
    const wasm = path.join(work, `${path.basename(source, '.as.ts')}.wasm`)
    execFileSync(asc, [from, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'threads', '--sharedMemory', '--maximumMemory', '65536', '-o', wasm], {stdio: 'inherit'})
    const name = `${path.basename(source, '.as.ts').replace(/\W/g, '_').toUpperCase()}_WASM`
    const text = `// Made by scripts/build-wasm.mjs from ${path.basename(source)}: do not edit, do not commit.\nexport const ${name} = '${readFileSync(wasm).toString('base64')}'\n`
    writeFileSync(from.replace(/\.as\.ts$/, '.wasm.ts'), text)
  }
} finally {
  rmSync(work, {recursive: true, force: true})
}
