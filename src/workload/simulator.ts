/**
 * replay -- run a trace through a replacement policy, or through Belady's OPT, and count hits.
 *
 * The simulator is MPool's get() with the file taken away: it drives the engine's own miss
 * path (FrameMap in src/pool/frame-map.ts: the real page table, free frames and Replacer),
 * exactly as the pool does on a get:
 *
 *   hit   lookup(pgno) finds f; touch(f)
 *   miss  install(claim(pgno, pins), pgno): a free frame while any is left, else the victim
 *
 * Nothing is ever pinned between accesses (every get is followed by its put), so pins stay
 * all zero and the pool never grows. Dirty flags change no decision of any policy here and
 * are ignored.
 *
 * OPT (Belady 1966; Mattson et al. 1970) evicts the page whose next use lies furthest in the
 * future, or one never used again: no policy that cannot see the future has more hits. One
 * backward pass gives each access the index of the next access to the same page (or
 * n + i if none), then a max-heap of those indices picks the victim in O(log n). Entries are
 * deleted lazily: a hit pushes the page's new next-use and leaves the old one behind. An
 * old entry's index is <= now while every live entry's is > now, so a stale entry can never
 * rise above a live one: the top of the heap is always live and nothing is ever popped in
 * vain. A never-again index n + i decodes to its page as pgnos[i]; a finite index j as
 * pgnos[j], so the heap holds bare integers.
 */
import {type FrameHolder, FrameMap, isPolicyName, MPoolError, NO_FRAME, POLICIES, POLICY_NAMES, type PolicyName} from '../pool/index.js'
import type {Trace} from './trace.js'

/** A series of a replay: a policy, or Belady's OPT (which needs the future, so only a replay has it). */
export type Series = PolicyName | 'opt'

/** What a replay counted. */
export interface ReplayResult {
  policy: Series
  maxcache: number
  hits: number
  misses: number
  accesses: number
  /** hits / accesses (0 for an empty trace) */
  hitRatio: number
}

/** A trace, or just its page numbers. */
export type ReplayInput = Trace | Uint32Array

function pgnosOf(trace: ReplayInput): Uint32Array {
  return trace instanceof Uint32Array ? trace : trace.pgnos
}

function checkMaxcache(maxcache: number): void {
  if (!Number.isInteger(maxcache) || maxcache < 1) {
    throw new MPoolError('EINVAL', `maxcache must be a positive integer, got ${maxcache}`)
  }
}

function result(policy: PolicyName | 'opt', maxcache: number, hits: number, accesses: number): ReplayResult {
  return {policy, maxcache, hits, misses: accesses - hits, accesses, hitRatio: accesses === 0 ? 0 : hits / accesses}
}

/**
 * SimulatedFrames -- the frame holder of a replay: frames without bytes. Nothing is pinned
 * between accesses, so a victim always exists and the pool never grows; an eviction writes
 * nothing, since no file is there.
 */
class SimulatedFrames implements FrameHolder {
  added(): void {}
  evict(): void {}
  full(incoming: number): number {
    throw new Error(`the replacer gave no victim for page ${incoming} with nothing pinned`)
  }
}

/** replay -- the hits and misses of `policy` on `trace` with `maxcache` frames. */
export function replay(trace: ReplayInput, policy: PolicyName, maxcache: number): ReplayResult {
  checkMaxcache(maxcache)
  if (!isPolicyName(policy)) throw new MPoolError('EINVAL', `unknown policy ${String(policy)}; choose one of ${POLICY_NAMES.join(', ')}`)
  const factory = POLICIES[policy]
  const pgnos = pgnosOf(trace)
  // No replay uses more frames than it has accesses: a huge maxcache costs only what is used.
  const frames = Math.max(1, Math.min(maxcache, pgnos.length))
  const map = new FrameMap(factory(frames, maxcache), frames, new SimulatedFrames())
  const pins = new Int32Array(frames) // all zero: every get is put back before the next
  let hits = 0
  for (let i = 0; i < pgnos.length; i++) {
    const pgno = pgnos[i]
    const hit = map.lookup(pgno)
    if (hit !== NO_FRAME) {
      map.touch(hit)
      hits++
      continue
    }
    map.install(map.claim(pgno, pins), pgno)
  }
  return result(policy, maxcache, hits, pgnos.length)
}

/** replayOpt -- the hits of Belady's OPT on `trace` with `maxcache` frames: an upper bound for every policy. */
export function replayOpt(trace: ReplayInput, maxcache: number): ReplayResult {
  checkMaxcache(maxcache)
  const pgnos = pgnosOf(trace)
  const n = pgnos.length
  // pages renumbered 0..m-1 in order of first use, so the rest is typed arrays
  const ids = new Int32Array(n)
  const idOf = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    let id = idOf.get(pgnos[i])
    if (id === undefined) {
      id = idOf.size
      idOf.set(pgnos[i], id)
    }
    ids[i] = id
  }
  const m = idOf.size
  // nextUse[i]: index of the next access to the page of access i, or n + i if there is none
  const nextUse = new Int32Array(n)
  const seen = new Int32Array(m).fill(-1)
  for (let i = n - 1; i >= 0; i--) {
    const later = seen[ids[i]]
    nextUse[i] = later === -1 ? n + i : later
    seen[ids[i]] = i
  }
  const cached = new Uint8Array(m)
  const heap = new Int32Array(n) // max-heap of next-use indices, one push per access
  let size = 0
  let resident = 0
  let hits = 0
  for (let i = 0; i < n; i++) {
    const id = ids[i]
    if (cached[id] === 1) {
      hits++
    } else if (resident < maxcache) {
      cached[id] = 1
      resident++
    } else {
      // the top is live (see the header): its page is the one used furthest ahead
      const top = heap[0]
      cached[ids[top < n ? top : top - n]] = 0
      size = heapPop(heap, size)
      cached[id] = 1
    }
    size = heapPush(heap, size, nextUse[i])
  }
  return result('opt', maxcache, hits, n)
}

function heapPush(heap: Int32Array, size: number, key: number): number {
  let i = size
  while (i > 0) {
    const parent = (i - 1) >> 1
    if (heap[parent] >= key) break
    heap[i] = heap[parent]
    i = parent
  }
  heap[i] = key
  return size + 1
}

function heapPop(heap: Int32Array, size: number): number {
  const last = heap[--size]
  let i = 0
  for (;;) {
    let child = 2 * i + 1
    if (child >= size) break
    if (child + 1 < size && heap[child + 1] > heap[child]) child++
    if (heap[child] <= last) break
    heap[i] = heap[child]
    i = child
  }
  heap[i] = last
  return size
}

/** Called after each replay of a table: how many are done of how many, and the last result. */
export type ReplayProgress = (done: number, total: number, last: ReplayResult) => void

/**
 * replayAll -- every policy and OPT at every size: rows ordered by size, then policies in the
 * order given, OPT last in each size. `run` replays one policy (the plain simulator unless told,
 * e.g. replay --readahead's engine run); OPT is always the simulator's.
 */
export function replayAll(
  trace: ReplayInput,
  policies: readonly PolicyName[],
  sizes: readonly number[],
  onProgress?: ReplayProgress,
  run: (trace: ReplayInput, policy: PolicyName, maxcache: number) => ReplayResult = replay,
): ReplayResult[] {
  for (const size of sizes) checkMaxcache(size)
  const total = sizes.length * (policies.length + 1)
  const rows: ReplayResult[] = []
  for (const size of sizes) {
    for (const policy of policies) {
      rows.push(run(trace, policy, size))
      onProgress?.(rows.length, total, rows[rows.length - 1])
    }
    rows.push(replayOpt(trace, size))
    onProgress?.(rows.length, total, rows[rows.length - 1])
  }
  return rows
}
