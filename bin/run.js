#!/usr/bin/env node
// run -- the mpool command. CommonJS (bin/package.json says so): Node's ES module loader costs
// about 10 ms to start, more than a verb's own work, and shells run verbs in loops.
//
// Verb lines (get, put, dump, open, ...) run from their plain definitions without loading
// oclif: dist/cli/light.bundle.cjs, loaded with V8's code cache by dist/cli/bundle-loader.cjs
// (src/cli/bundle-loader.ts; the bundles are made by scripts/bundle-light.mjs), and so does a
// verb's --help that oclif printed before under the same conditions (src/cli/help-cache.ts);
// other help, version, completion and the rest go through oclif.
'use strict'
const path = require('node:path')
const {keepCache, loadBundle} = require('../dist/cli/bundle-loader.cjs')

const dist = path.join(__dirname, '..', 'dist', 'cli')
const argv = process.argv.slice(2)
// Each command's code cache holds what it runs; its --help runs other code, so it has its own.
const asksHelp = argv.some((word) => word === '-h' || word === '--help')
const {runLight} = loadBundle(path.join(dist, 'light.bundle.cjs'), `${argv[0] ?? ''}${asksHelp ? '-help' : ''}`)
runLight(argv, {root: path.join(__dirname, '..')}).then(async (done) => {
  if (done) keepCache() // a verb of ours: its code cache is written, on its first run
  else await require('@oclif/core').execute({dir: path.join(__dirname, '..')})
})
