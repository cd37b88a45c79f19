#!/usr/bin/env -S node --import tsx --no-warnings
// dev -- mpool run from src/ through tsx and oclif, for development. An .mjs file: bin/ holds
// CommonJS (bin/package.json), for bin/run.js's start-up. oclif is given the project's root,
// since the nearest package.json to this file is bin/'s own.
import {execute} from '@oclif/core'

await execute({development: true, dir: new URL('..', import.meta.url).pathname})
