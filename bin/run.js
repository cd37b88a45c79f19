#!/usr/bin/env node
// Verb lines (get, put, dump, open, ...) run from their plain definitions without loading
// oclif (dist/cli/light.bundle.js: one file, and light-formats.js when a format is needed; see
// scripts/bundle-light.mjs), and so does a verb's
// --help into a pipe (dist/cli/help.json, rendered by oclif at build time); help on a terminal,
// version, completion and the rest go through oclif.
import {runLight} from '../dist/cli/light.bundle.js'

if (!(await runLight(process.argv.slice(2), {helpFile: new URL('../dist/cli/help.json', import.meta.url)}))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
