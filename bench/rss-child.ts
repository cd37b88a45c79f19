/*
 * rss-child -- one memory measurement in a process of its own, so the peak is this case's alone.
 *
 *   node --import tsx bench/rss-child.ts ours|baseline FILE PAGES
 *
 * `ours` opens a pool with maxcache PAGES over FILE and gets and puts every page, so all are
 * cached; `baseline` reads the same pages into one Buffer of PAGES × 4 KiB, the bytes alone.
 * Prints {"maxRssKiB": N} (process.resourceUsage().maxRSS) on stdout.
 */
import fs from 'node:fs'
import {MPool} from '../src/pool/index.js'
import {PAGESIZE} from './lib.js'

const [mode, file, pagesArg] = process.argv.slice(2)
const pages = Number(pagesArg)
if ((mode !== 'ours' && mode !== 'baseline') || file === undefined || !Number.isInteger(pages) || pages < 1) {
  process.stderr.write('usage: rss-child.ts ours|baseline FILE PAGES\n')
  process.exit(2)
}
const fd = fs.openSync(file, 'r')
let keep: unknown
if (mode === 'ours') {
  const pool = MPool.open(null, fd, PAGESIZE, pages)
  for (let pgno = 0; pgno < pages; pgno++) pool.put(pool.get(pgno))
  if (pool.stats().cached !== pages) throw new Error('not every page is cached')
  keep = pool
} else {
  const bytes = Buffer.alloc(pages * PAGESIZE)
  for (let pgno = 0; pgno < pages; pgno++) fs.readSync(fd, bytes, pgno * PAGESIZE, PAGESIZE, pgno * PAGESIZE)
  keep = bytes
}
process.stdout.write(`${JSON.stringify({maxRssKiB: process.resourceUsage().maxRSS, kept: keep !== undefined})}\n`)
fs.closeSync(fd)
