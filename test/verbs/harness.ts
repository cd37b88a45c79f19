/*
 * harness -- what every verb test shares: a fresh 4-page file of 64-byte pages under a private
 * LocalPool (maxcache 2, events on) for each test, and `rejects`, which runs a line that must
 * fail and checks its one-line message.
 */
import assert from 'node:assert/strict'
import {LocalPool} from '../../src/session/local.js'
import {runVerbLine} from '../../src/verbs/index.js'
import {TmpDir} from '../helpers/tmp.js'

export const PAGESIZE = 64

/** verbHarness -- call inside a describe: the pool and file of the running test, and rejects. */
export function verbHarness(prefix: string): {pool: () => LocalPool; file: () => string; tmp: TmpDir; rejects: (line: string, pattern: RegExp) => Promise<Error>} {
  const tmp = new TmpDir(prefix)
  let file: string
  let pool: LocalPool
  beforeEach(() => {
    file = tmp.pageFile(PAGESIZE, 4).file
    pool = LocalPool.open(file, {pagesize: PAGESIZE, maxcache: 2, explain: true})
  })
  afterEach(async () => {
    if (!pool.closed) await pool.close()
  })
  after(() => tmp.cleanup())
  return {
    pool: () => pool,
    tmp,
    file: () => file,
    async rejects(line: string, pattern: RegExp): Promise<Error> {
      let caught: Error | undefined
      await runVerbLine(pool, line).catch((err: Error) => (caught = err))
      assert.ok(caught !== undefined, `${line} should fail`)
      assert.match(caught.message, pattern)
      assert.ok(!caught.message.includes('\n'), `one line: ${caught.message}`)
      return caught
    },
  }
}
