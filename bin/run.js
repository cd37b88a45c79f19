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
// V8's optimizing compiler (TurboFan) starts late for the verbs on a pool's pages (not map, nor
// what oclif runs: the REPL, replay): a function is optimized only after 32 times V8's usual
// budget of work (--interrupt-budget). Such a verb's work is mostly a page or a few, done in well
// under 100 ms, too soon for optimized code to pay back its compiling, which runs on another
// thread (on 2 cores, taking the CPU the command needs) and is waited for at exit; but a range
// can be thousands of pages, and off altogether (--no-opt) the optimizer made `dump 0-1999 --file`
// of the bench database 2.0 s instead of 1.0 s and `dump 0-299 --file --decode` 13 s instead of
// 2.7 s. Late, `get --decode` of a full SQLite leaf measured a median of 79 ms beside 82 ms with
// it off and 88 ms at V8's usual budget (hyperfine -r 30, a plain get 77 ms), and those ranges
// run as fast as at the usual budget. map's work grows with the file: it keeps the usual budget.
// Set before any bundle loads: a code cache is V8's for the flags it was made under, so each
// command's cache is made and used under the same ones. (test/cli/light.test.ts keeps this list
// to SHELL_COMMANDS but map.)
const OPTIMIZED_LATE = ['open', 'ls', 'new', 'get', 'put', 'delete', 'sync', 'stats', 'dump', 'close']
if (OPTIMIZED_LATE.includes(argv[0])) require('node:v8').setFlagsFromString('--interrupt-budget=4194304')
// Each command's code cache holds what it runs; its --help runs other code, so it has its own.
const asksHelp = argv.some((word) => word === '-h' || word === '--help')
const {runLight} = loadBundle(path.join(dist, 'light.bundle.cjs'), `${argv[0] ?? ''}${asksHelp ? '-help' : ''}`)
runLight(argv, {root: path.join(__dirname, '..')}).then(async (done) => {
  if (done) keepCache() // a verb of ours: its code cache is written, on its first run
  else await require('@oclif/core').execute({dir: path.join(__dirname, '..')})
})
