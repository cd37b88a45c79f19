// The part of the WebAssembly JavaScript API that mpool uses (Node.js has it all; @types/node 20
// declares none of it, and lib "dom" would bring the browser's globals with it).
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array)
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>)
    readonly exports: Record<string, unknown>
  }
  class Memory {
    readonly buffer: ArrayBuffer
  }
  class RuntimeError extends Error {}
}
