/**
 * summary -- every page of a SQLite file summarised in one pass, in page order: what the map
 * needs of a page if it is a b-tree page (type, cells, payload, unused, children, overflow cells)
 * and its first four bytes (an overflow page's next pointer). The map then walks the structures
 * over these summaries (Summaries.walk) without reading a page twice.
 *
 * Why one sequential pass: the map must see every page anyway, and a reader that is given pages
 * in order can read the file in large blocks; the tree walk's own order would make it seek. A
 * Summariser takes a block of consecutive pages as it is (addPages: one buffer, the pages
 * `pagesize` apart) and keeps nothing of it, so the caller may reuse the buffer for the next
 * block. A reader that reads into the summariser's own blocks (blockFor) gives it the pages with
 * no copy at all.
 *
 * The pass and the walk are WebAssembly (map.as.ts, compiled by `npm run build` into
 * map.wasm.ts): they run at full speed from the first page, where the same loops in JavaScript
 * spent their first blocks in V8's interpreter. This module is their JavaScript face: it feeds
 * the blocks in, and gives the map (map.ts) the walk and the map's columns as typed arrays over
 * the module's memory.
 *
 * Policy: a page whose bytes do not add up as a well-formed b-tree page (a pointer or cell past
 * the end, a freeblock out of order, or cells + freeblocks + gaps not covering the usable size
 * exactly, which is how overlapping cells show) is marked not clean, and the map parses that page
 * again in full (btree.ts) to name its problems.
 */

import type {PageReader} from '../types.js'
import {MAP_WASM} from './map.wasm.js'

/** The map's columns, indexed by SQLite page number (index 0 unused, and one spare at the end): the walk fills them; the map fills the rest. */
export interface SummaryLines {
  kind: Uint8Array
  owner: Int32Array
  cells: Int32Array
  free: Int32Array
  payload: Int32Array
}

/** What the walk asks of the map: the words for what went wrong, and the full parse of a page that did not add up. */
export interface WalkHooks {
  /** the claim of b-tree page `page` (from cell `cell` of `parent`) for `owner` is refused: past the end, or claimed already */
  refused(page: number, parent: number, cell: number, owner: number): void
  /** page `page` did not add up: parse it, name its problems, and push its children and claim its chains (Summaries.push, .chain) */
  parsed(page: number, owner: number): void
  /** the claim of overflow page `next`, of the chain of cell `cell` of `page`, is refused: claimed already */
  chainRefused(next: number, page: number, cell: number): void
  /** that chain ends short (why 0: after `a` of `b` pages), points past the end (1: to page `a`) or loops back (2: to page `a`) */
  chainBroken(why: number, page: number, cell: number, a: number, b: number): void
}

/** The summaries of every page of a file, and the walk over them. */
export interface Summaries {
  npages: number
  lines: SummaryLines
  /** kinds -- the kind codes the walk writes: of each b-tree page type byte, of a page reached and not yet read, of an overflow page */
  kinds(ofType: Uint8Array, unknown: number, overflow: number): void
  /** walk -- claim the b-tree rooted at `root` for owner code `owner`, with its overflow chains, into lines */
  walk(root: number, owner: number, hooks: WalkHooks): void
  /** push -- from hooks.parsed: a child page to visit, reached from cell `cell` (-2: the right-most pointer) of `parent` */
  push(page: number, parent: number, cell: number): void
  /** chain -- from hooks.parsed: claim the overflow chain of a cell (payload P, `local` bytes of it on the page) */
  chain(owner: number, page: number, cell: number, first: number, P: number, local: number): void
}

/** What map.as.ts exports. */
interface SummaryExports {
  memory: WebAssembly.Memory
  bytesPerPage(): number
  start(npages: number, usable: number): void
  newBlock(bytes: number): number
  addPages(block: number, first: number, count: number, pagesize: number, length: number): void
  finish(): void
  walkKinds(unknown: number, overflow: number): void
  tree(root: number, owner: number): void
  push(page: number, parent: number, cell: number): void
  chain(owner: number, page: number, cell: number, first: number, P: number, local: number): void
  lineKindPtr(): number
  lineOwnerPtr(): number
  lineCellsPtr(): number
  lineFreePtr(): number
  linePayloadPtr(): number
  kindOfTypePtr(): number
}

let compiled: WebAssembly.Module | undefined

/** A block of the module's memory: where it starts, how many bytes it holds, and the view last handed out over it. */
interface Block {
  at: number
  bytes: number
  view: Uint8Array | null
}

/** The module's memory at most (build-wasm.mjs: 65536 pages of 64 KiB), and what the blocks and growing lists of a large file are left. */
const MEMORY_LIMIT = 2 ** 32
const MEMORY_RESERVE = 2 ** 28

/** tooLarge -- the error of a file too large to map in this memory: EFBIG, the file's exit status (6), not a bug. */
function tooLarge(what: string): Error {
  return Object.assign(new RangeError(`too large to map: ${what}; dump PGNO --decode still decodes its pages one at a time`), {code: 'EFBIG'})
}

/** The reader's slots (blockFor): four, so that three can be read into while one is summarised (withPageBlocks); the copies' block comes after them. */
export const READER_SLOTS = 4
const COPIES = READER_SLOTS

/** The bytes of the block that pages from elsewhere are copied into: the largest page (a larger page's usable bytes, U <= 65536, fit). */
const COPY_BLOCK = 1 << 16

/** Summariser -- pages 1..npages given in order, a block at a time (addPages), summarised as they come. */
export class Summariser {
  /** the next page addPages expects */
  private next = 1
  private readonly wasm: SummaryExports
  /** the blocks a reader reads into (blockFor), by slot; the last is for copies */
  private readonly blocks: Array<Block | undefined> = []
  /** the hooks of the walk in progress */
  private hooks: WalkHooks | null = null

  constructor(
    readonly npages: number,
    usable: number,
  ) {
    compiled ??= new WebAssembly.Module(Buffer.from(MAP_WASM, 'base64'))
    // the walk's calls out go to the hooks of the walk in progress
    const walk = {
      refused: (page, parent, cell, owner) => this.hooks!.refused(page, parent, cell, owner),
      parsed: (page, owner) => this.hooks!.parsed(page, owner),
      chainRefused: (next, page, cell) => this.hooks!.chainRefused(next, page, cell),
      chainBroken: (why, page, cell, a, b) => this.hooks!.chainBroken(why, page, cell, a, b),
    } satisfies WalkHooks
    this.wasm = new WebAssembly.Instance(compiled, {walk}).exports as unknown as SummaryExports
    // refused before the memory grows to its limit (which takes seconds), not after
    const most = Math.floor((MEMORY_LIMIT - MEMORY_RESERVE) / this.wasm.bytesPerPage())
    if (npages > most) throw tooLarge(`${npages} pages, and a map holds at most ${most}`)
    this.call(() => this.wasm.start(npages, usable), `the summaries of ${npages} pages`)
  }

  /**
   * blockFor -- block `slot` of the summariser's own memory, `bytes` long: read pages into it and
   * pass this very view to addPages, and nothing is copied. A reader may fill some slots while
   * another is summarised; each view stays good until the next blockFor of its slot.
   */
  blockFor(bytes: number, slot = 0): Uint8Array {
    if (!(slot >= 0 && slot < READER_SLOTS)) throw new RangeError(`summary: block slot ${slot}; there are ${READER_SLOTS}`)
    const block = this.block(slot, bytes)
    block.view = new Uint8Array(this.wasm.memory.buffer, block.at, bytes)
    return block.view
  }

  /**
   * addPages -- summarise `count` pages that lie `pagesize` apart in `bytes` from offset 0, the
   * first being SQLite page `first`, which must be the page after the last one added. A page
   * shorter than the usable size (the last bytes of `bytes`) is summarised as far as it goes.
   * `bytes` is a view from blockFor, summarised where it is, or any bytes, copied in a block at
   * a time.
   */
  addPages(bytes: Uint8Array, first: number, count: number, pagesize: number): void {
    if (first !== this.next) throw new RangeError(`summary: page ${first} given after page ${this.next - 1}; pages must come in order`)
    const own = this.blocks.find((b) => b?.view === bytes)
    if (own !== undefined) {
      this.add(own.at, first, count, pagesize, bytes.length)
    } else {
      // A block holds one page at least, or of a larger page its first 64 KiB, which hold all
      // of its usable bytes.
      const perBlock = Math.max(1, Math.floor(COPY_BLOCK / pagesize))
      for (let k = 0; k < count; k += perBlock) {
        const n = Math.min(perBlock, count - k)
        const part = bytes.subarray(k * pagesize, k * pagesize + Math.min(n * pagesize, COPY_BLOCK))
        const copy = this.block(COPIES, COPY_BLOCK)
        new Uint8Array(this.wasm.memory.buffer, copy.at, part.length).set(part)
        this.add(copy.at, first + k, n, pagesize, part.length)
      }
    }
    this.next = first + count
  }

  /** block -- slot `slot`, made (or made anew, larger) to hold `bytes`. */
  private block(slot: number, bytes: number): Block {
    let block = this.blocks[slot]
    if (block === undefined || block.bytes < bytes) {
      const at = this.call(() => this.wasm.newBlock(bytes), `a block of ${bytes} bytes`)
      block = {at, bytes, view: null}
      this.blocks[slot] = block
    }
    return block
  }

  private add(at: number, first: number, count: number, pagesize: number, length: number): void {
    this.call(() => this.wasm.addPages(at, first, count, pagesize, length), `the cells of pages ${first} to ${first + count - 1}`)
  }

  /** call -- `fn`, the module's one failure (its memory cannot grow: a trap) said as what it had no room for. */
  private call<T>(fn: () => T, what: string): T {
    try {
      return fn()
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) throw tooLarge(`no memory for ${what}`)
      throw err
    }
  }

  /** done -- the summaries of pages 1..npages (all must have been added), and the walk over them. */
  done(): Summaries {
    if (this.next !== this.npages + 1) throw new RangeError(`summary: ${this.next - 1} of ${this.npages} pages given`)
    const w = this.wasm
    w.finish()
    // A shared memory's views stay good when it grows, so these serve the whole walk.
    const {buffer} = w.memory
    const n = this.npages + 2
    const lines: SummaryLines = {
      kind: new Uint8Array(buffer, w.lineKindPtr(), n),
      owner: new Int32Array(buffer, w.lineOwnerPtr(), n),
      cells: new Int32Array(buffer, w.lineCellsPtr(), n),
      free: new Int32Array(buffer, w.lineFreePtr(), n),
      payload: new Int32Array(buffer, w.linePayloadPtr(), n),
    }
    return {
      npages: this.npages,
      lines,
      kinds: (ofType, unknown, overflow) => {
        new Uint8Array(buffer, w.kindOfTypePtr(), 256).set(ofType.subarray(0, 256))
        w.walkKinds(unknown, overflow)
      },
      walk: (root, owner, hooks) => {
        this.hooks = hooks
        try {
          this.call(() => w.tree(root, owner), `the walk of the b-tree at page ${root}`)
        } finally {
          this.hooks = null
        }
      },
      push: (page, parent, cell) => this.call(() => w.push(page, parent, cell), 'the walk'),
      chain: (owner, page, cell, first, P, local) => w.chain(owner, page, cell, first, P, local),
    }
  }
}

/** summarise -- read pages 1..npages in order through `read` (mpool pgno page - 1) and summarise each. */
export function summarise(read: PageReader, npages: number, usable: number): Summaries {
  const summariser = new Summariser(npages, usable)
  for (let page = 1; page <= npages; page++) {
    const buf = read(page - 1)
    summariser.addPages(buf, page, 1, buf.length)
  }
  return summariser.done()
}
