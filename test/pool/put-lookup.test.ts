/*
 * How put(page) finds a page's frame from the Buffer alone (the last page got, else the tag the
 * pool put on it), and that nothing but a Buffer this pool handed out is ever taken for one.
 */
import assert from 'node:assert/strict'
import {MPool, MPOOL_DIRTY, MPoolError} from '../../src/pool/index.js'
import {TmpDir} from '../helpers/tmp.js'

const PAGESIZE = 512

function rejects(fn: () => void, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof MPoolError && err.code === 'EINVAL' && pattern.test(err.message))
}

describe('put(page) by Buffer', () => {
  let tmp: TmpDir
  beforeEach(() => {
    tmp = new TmpDir()
  })
  afterEach(() => tmp.cleanup())

  function pool(npages = 8, maxcache = 4): MPool {
    return MPool.open(null, tmp.pageFile(PAGESIZE, npages).fd, PAGESIZE, maxcache)
  }

  it('refuses what is not a page, on a pool with no frame yet and after a get', () => {
    const p = pool()
    const strangers: unknown[] = [undefined, null, {}, 'page', Buffer.alloc(PAGESIZE), new Uint8Array(PAGESIZE)]
    for (const stranger of strangers) rejects(() => p.put(stranger as Buffer), /not a page this pool handed out/)
    const page = p.get(3)
    for (const stranger of strangers) rejects(() => p.put(stranger as Buffer), /not a page this pool handed out/)
    rejects(() => p.put(page.subarray(0)), /not a page this pool handed out/)
    rejects(() => p.put(Buffer.from(page)), /not a page this pool handed out/)
    assert.equal(p.stats().pinned, 1, 'the page got is still pinned')
    p.put(page)
    assert.equal(p.stats().pinned, 0)
  })

  it('finds pages put back in any order, not only the one got last', () => {
    const p = pool()
    const pages = [0, 1, 2, 3].map((pgno) => p.get(pgno))
    p.put(pages[1], MPOOL_DIRTY)
    p.put(pages[3])
    p.put(pages[0])
    p.put(pages[2], MPOOL_DIRTY)
    assert.deepEqual(
      p.frames().map((f) => [f.pgno, f.pins, f.dirty]),
      [
        [0, 0, false],
        [1, 0, true],
        [2, 0, true],
        [3, 0, false],
      ],
    )
  })

  it('refuses a second put of the page got last once its pin is back', () => {
    const p = pool()
    const page = p.get(5)
    p.put(page)
    rejects(() => p.put(page), /page 5: it is not pinned/)
  })

  it('does not take the page of another pool for its own, even in the same frame', () => {
    const a = pool()
    const b = pool()
    const pageA = a.get(0)
    const pageB = b.get(0)
    rejects(() => a.put(pageB), /not a page this pool handed out/)
    rejects(() => b.put(pageA), /not a page this pool handed out/)
    assert.equal(b.stats().pinned, 1)
    b.put(pageB)
    a.put(pageA)
    assert.equal(a.stats().pinned + b.stats().pinned, 0)
  })

  it('refuses a Buffer whose page has left the cache', () => {
    const p = pool(8, 1)
    const page = p.get(0)
    p.put(page)
    p.delete(p.get(0))
    rejects(() => p.put(page), /not a page this pool handed out \(or its page has left the cache\)/)
  })
})
