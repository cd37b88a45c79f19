/*
 * policy-hit-child -- one `hit-POLICY` measurement of bench/policies.ts, alone in a fresh process.
 *
 * `node --import tsx bench/policy-hit-child.ts POLICY FILE PAGES` times (in CPU time) get+put on PAGES cached
 * pages of FILE under POLICY against the same loop under lru, and prints {ours, baseline} in
 * ns per get+put as one JSON line. A process of its own, because the pool's call into its
 * replacer gets slower for every replacer class the process has already seen: in one process
 * for all policies, the later ones would pay for the earlier ones.
 */
import fs from 'node:fs'
import {MPool} from '../src/pool/index.js'
import {isPolicyName} from '../src/pool/policies/index.js'
import type {PolicyName} from '../src/pool/replacer.js'
import {compare, PAGESIZE, randomPgnos} from './lib.js'

const OPS = 1 << 20 // get+put pairs per timed run

function openFilled(fd: number, pages: number, policy: PolicyName): MPool {
  const pool = MPool.open(null, fd, PAGESIZE, pages, {policy})
  for (let pgno = 0; pgno < pages; pgno++) pool.put(pool.get(pgno))
  return pool
}

function getPut(pool: MPool, order: Int32Array): void {
  for (let i = 0; i < order.length; i++) pool.put(pool.get(order[i]))
}

const [policy, file, pagesText] = process.argv.slice(2)
const pages = Number(pagesText)
if (policy === undefined || !isPolicyName(policy) || file === undefined || !Number.isInteger(pages) || pages < 1) {
  process.stderr.write('usage: policy-hit-child.ts POLICY FILE PAGES\n')
  process.exit(2)
}
const fd = fs.openSync(file, 'r')
const ours = openFilled(fd, pages, policy)
const lru = openFilled(fd, pages, 'lru')
const order = randomPgnos(OPS, pages, 1)
const t = compare({run: () => getPut(ours, order)}, {run: () => getPut(lru, order)}, {warmup: 3, reps: 9, clock: 'cpu'})
if (ours.stats().cachemiss !== pages || lru.stats().cachemiss !== pages) throw new Error(`hit-${policy}: a timed get missed`)
ours.close()
lru.close()
fs.closeSync(fd)
process.stdout.write(`${JSON.stringify({ours: t.ours / OPS, baseline: t.baseline / OPS})}\n`)
