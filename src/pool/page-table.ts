/**
 * page-table -- page number -> frame, the lookup every get makes.
 *
 * A chained hash table of frame indices, as BSD mpool's hash queues and SQLite's pcache1
 * apHash: each bucket holds the first frame of its chain, each frame the next one.
 *
 *     heads:  [ f | -1 | f | f | -1 | ... ]          bucket -> first frame, -1 if none
 *     links:  [ key0 next0 | key1 next1 | ... ]      frame -> its page's key, the next frame
 *                                                    in the same bucket (-1 at the end,
 *                                                    -2 when the frame is not in the table)
 *
 * Policy, each in a sentence:
 *  - A key is the page number's 32 bits (pgno | 0: page numbers go up to 2^32 - 1).
 *  - 64 consecutive page numbers go to 64 consecutive buckets (a quarter of a kilobyte), and
 *    each run of 64 to a place chosen by Fibonacci hashing: a scan through the file walks
 *    the table in order, jumping once every 64 pages (the CPU's prefetcher follows it, and
 *    a large pool costs no more a hit than a small one), and no stride makes chains long.
 *  - There are at least four times as many buckets as frames: a chain holds a quarter of a
 *    frame on average, so a miss mostly ends at an empty bucket, a hit at the first frame, and
 *    the branches that walk a chain are predictable (twice as many collisions cost a tenth
 *    more on a random miss).
 *  - Adding and removing are O(1) on a short chain, allocate nothing and never rehash: only
 *    a growing frame count does, which happens when the pool grows.
 * A Map did this job first; this does it in a quarter of the time and in 24 bytes a frame,
 * with nothing for the garbage collector, so large pools stay within the CPU's caches.
 */

const NONE = -1
const ABSENT = -2
const MIN_BUCKETS = 16
/** 2^32 / phi: every bit of a key moves the top bits of the product. */
const FIBONACCI = 0x9e3779b9 | 0
/** log2 of the page numbers that go to consecutive buckets */
const RUN_BITS = 6

export class PageTable {
  /** bucket -> the first frame in its chain, NONE if empty */
  private heads: Int32Array
  /** links[2f] is frame f's key, links[2f + 1] the next frame in its bucket (NONE: last; ABSENT: f is not in the table) */
  private links: Int32Array
  /** 32 - log2(buckets): the hash keeps the top bits of the product */
  private shift: number
  private mask: number
  /** entries (cached pages) in the table */
  size = 0

  /** A table for `frames` frames (it grows by itself when a larger frame index is added). */
  constructor(frames = MIN_BUCKETS) {
    this.links = new Int32Array(2 * Math.max(frames, 1)).fill(ABSENT)
    const buckets = bucketsFor(frames)
    this.heads = new Int32Array(buckets).fill(NONE)
    this.mask = buckets - 1
    this.shift = 32 - Math.log2(buckets)
  }

  /* get -- the frame holding page `pgno`, or -1 if it is not cached. */
  get(pgno: number): number {
    const key = pgno | 0
    const links = this.links
    let frame = this.heads[this.bucket(key)]
    while (frame !== NONE && links[2 * frame] !== key) frame = links[2 * frame + 1]
    return frame
  }

  /* add -- page `pgno` now lives in `frame`. The caller knows the page is not in the table yet and the frame is empty. */
  add(pgno: number, frame: number): void {
    if (2 * frame >= this.links.length) this.growFrames(frame + 1)
    const key = pgno | 0
    const bucket = this.bucket(key)
    this.links[2 * frame] = key
    this.links[2 * frame + 1] = this.heads[bucket]
    this.heads[bucket] = frame
    this.size++
  }

  /* remove -- frame `frame` no longer holds its page (a no-op for a frame not in the table, or -1). */
  remove(frame: number): void {
    const links = this.links
    if (frame < 0 || 2 * frame >= links.length || links[2 * frame + 1] === ABSENT) return
    const bucket = this.bucket(links[2 * frame])
    if (this.heads[bucket] === frame) this.heads[bucket] = links[2 * frame + 1]
    else this.unchain(this.heads[bucket], frame)
    links[2 * frame + 1] = ABSENT
    this.size--
  }

  /* unchain -- take `frame` out of the chain that starts at `first` (it is not the first). */
  private unchain(first: number, frame: number): void {
    const links = this.links
    let at = first
    while (links[2 * at + 1] !== frame) at = links[2 * at + 1]
    links[2 * at + 1] = links[2 * frame + 1]
  }

  private bucket(key: number): number {
    return ((Math.imul(key >>> RUN_BITS, FIBONACCI) >>> this.shift) + (key & ((1 << RUN_BITS) - 1))) & this.mask
  }

  /* growFrames -- room for `frames` frames, and buckets enough to keep chains short; every chain is rebuilt. */
  private growFrames(frames: number): void {
    const capacity = Math.max(frames, this.links.length) // doubles the frame room at least
    const old = this.links
    this.links = new Int32Array(2 * capacity).fill(ABSENT)
    this.links.set(old)
    const buckets = bucketsFor(capacity)
    if (buckets === this.heads.length) return
    this.heads = new Int32Array(buckets).fill(NONE)
    this.mask = buckets - 1
    this.shift = 32 - Math.log2(buckets)
    for (let frame = 0; 2 * frame < old.length; frame++) {
      if (old[2 * frame + 1] === ABSENT) continue
      const bucket = this.bucket(old[2 * frame])
      this.links[2 * frame + 1] = this.heads[bucket]
      this.heads[bucket] = frame
    }
  }
}

/* bucketsFor -- a power of two, at least four times the frames (and at least MIN_BUCKETS). */
function bucketsFor(frames: number): number {
  let buckets = MIN_BUCKETS
  while (buckets < 4 * frames) buckets *= 2
  return buckets
}
