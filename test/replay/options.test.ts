import assert from 'node:assert/strict'
import fc from 'fast-check'
import {EXIT, ShellError} from '../../src/common/exit-status.js'
import {POLICY_NAMES} from '../../src/pool/policies/index.js'
import {defaultSizes, distinctPages, MAX_REPLAY_CACHE, parsePolicies, parseSizes} from '../../src/replay/options.js'

/** usage -- assert that `fn` throws a usage error (exit 2) whose one-line message matches `pattern`. */
function usage(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ShellError)
    assert.equal(err.exit, EXIT.usage)
    assert.match(err.message, pattern)
    assert.doesNotMatch(err.message, /\n/)
    return true
  })
}

describe('replay options', () => {
  describe('parseSizes', () => {
    it('reads a comma list, sorts it and drops a size given twice', () => {
      assert.deepEqual(parseSizes('16,4, 64,4'), [4, 16, 64])
      assert.deepEqual(parseSizes('1'), [1])
      assert.deepEqual(parseSizes(String(MAX_REPLAY_CACHE)), [MAX_REPLAY_CACHE])
    })

    it('refuses zero, negatives, words, fractions, blanks and sizes past the limit, naming the bad item', () => {
      usage(() => parseSizes('0'), /not "0"/)
      usage(() => parseSizes('-3'), /not "-3"/)
      usage(() => parseSizes('x'), /not "x"/)
      usage(() => parseSizes('4,2.5'), /not "2\.5"/)
      usage(() => parseSizes('4,,8'), /not ""/)
      usage(() => parseSizes('0x10'), /not "0x10"/)
      usage(() => parseSizes(String(MAX_REPLAY_CACHE + 1)), new RegExp(`not "${MAX_REPLAY_CACHE + 1}"`))
      usage(() => parseSizes(''), /at least one cache size/)
      usage(() => parseSizes(' , '), /at least one cache size/)
    })
  })

  describe('parsePolicies', () => {
    it('reads all as every policy, and a list in the order given, each once', () => {
      assert.deepEqual(parsePolicies('all'), POLICY_NAMES)
      assert.deepEqual(parsePolicies('arc,lru,arc'), ['arc', 'lru'])
      assert.deepEqual(parsePolicies(' lru-k '), ['lru-k'])
      assert.deepEqual(parsePolicies('lru,opt,fifo'), ['lru', 'opt', 'fifo'])
      assert.deepEqual(parsePolicies('opt'), ['opt'])
    })

    it('refuses an unknown policy, an empty list and all mixed with names', () => {
      usage(() => parsePolicies('lfu'), /unknown policy "lfu"; choose from lru, fifo, clock, lru-k, arc, opt or all/)
      usage(() => parsePolicies('lru,LRU'), /unknown policy "LRU"/)
      usage(() => parsePolicies(''), /needs a policy/)
      usage(() => parsePolicies('all,lru'), /"all" stands alone/)
      usage(() => parsePolicies('OPT'), /unknown policy "OPT"/)
    })
  })

  describe('defaultSizes', () => {
    it('spreads five sizes from 5% to 100% of the distinct pages', () => {
      assert.deepEqual(defaultSizes(1000), [50, 100, 200, 500, 1000])
      assert.deepEqual(defaultSizes(64), [3, 6, 13, 32, 64])
    })

    it('keeps each size at least 1 and each once for a tiny trace, and gives none for an empty one', () => {
      assert.deepEqual(defaultSizes(1), [1])
      assert.deepEqual(defaultSizes(4), [1, 2, 4])
      assert.deepEqual(defaultSizes(0), [])
    })

    it('never passes the largest cache a replay simulates', () => {
      assert.equal(Math.max(...defaultSizes(4_000_000_000)), MAX_REPLAY_CACHE)
    })
  })

  describe('distinctPages', () => {
    it('counts the pages a trace touches, dense or sparse, as a Set would', () => {
      const pgno = fc.oneof(fc.nat(50), fc.integer({min: 0, max: 0xffff_ffff}))
      fc.assert(
        fc.property(fc.array(pgno, {maxLength: 300}), (pages) => {
          assert.equal(distinctPages(Uint32Array.from(pages)), new Set(pages).size)
        }),
        {seed: 5, numRuns: 200},
      )
    })
  })
})
