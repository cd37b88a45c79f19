// The loader hooks of import-trace.mjs: record each resolved URL, change nothing.
import fs from 'node:fs'

let out

export async function initialize(data) {
  out = data.file
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  if (out) fs.appendFileSync(out, `esm ${resolved.url}\n`)
  return resolved
}
