// import-trace -- `node --import ./import-trace.mjs ...` appends a line `esm URL` or `cjs URL` for every module the
// process loads to the file named by $MPOOL_IMPORT_TRACE (tests check what a command loads): each
// ES module as it is resolved, and, as the process exits, each CommonJS module in require.cache
// (where node's require and src/cli/bundle-loader.ts enter what they load).
import fs from 'node:fs'
import {createRequire, register} from 'node:module'
import {pathToFileURL} from 'node:url'

const file = process.env.MPOOL_IMPORT_TRACE
register(new URL('./import-trace-hooks.mjs', import.meta.url), {data: {file}})
if (file) {
  const cache = createRequire(import.meta.url).cache
  process.on('exit', () => {
    const urls = Object.keys(cache).map((name) => `cjs ${pathToFileURL(name).href}`)
    if (urls.length > 0) fs.appendFileSync(file, `${urls.join('\n')}\n`)
  })
}
