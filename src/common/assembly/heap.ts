/**
 * heap -- the memory of a WebAssembly module of ours (an AssemblyScript `*.as.ts`), laid out by a
 * bump allocator from __heap_base: each module allocates its columns, blocks and growing lists
 * here and frees nothing, because an instance lives for one command's pass over one file and is
 * dropped whole. (AssemblyScript's own runtime, with its collector, is left out: --runtime stub.)
 */

let top: usize = 0

/** resetHeap -- start the layout again from __heap_base (a module's `start`). */
export function resetHeap(): void {
  top = __heap_base
}

/** alloc -- `bytes` of fresh memory, 8-aligned, the memory grown to hold them; a trap (unreachable) when it cannot grow. */
export function alloc(bytes: usize): usize {
  const at = (top + 7) & ~(<usize>7)
  top = at + bytes
  const need = <i32>((top + 0xffff) >>> 16)
  const have = memory.size()
  if (need > have && memory.grow(need - have) < 0) unreachable()
  return at
}
