/**
 * session -- pools shared between processes: keyed pools hosted by a pool server on a Unix socket.
 *
 *   openPool     `mpool open`: start the server for a key, or join the one running
 *   connectPool  a RemotePool (a PoolHandle) on an open pool, by key, $MPOOL_KEY or as the only one
 *   listPools    the open pools with their occupancy; stale sockets are cleaned on the way
 *   runtimeDir   where the sockets live; validateKey / deriveKey for keys
 *
 * The commands and the REPL speak PoolHandle (handle.ts) to either a LocalPool (local.ts) or a
 * RemotePool (remote.ts); the wire format is in protocol.ts, the server in server.ts.
 */
export type {ConnectOptions, FrameView, OpenPoolOptions, PageWrite, PeekResult, PinHolder, PoolHandle, PoolInfo, PutOptions} from './handle.js'
export {pinHolder} from './handle.js'
export {LocalPool, type LocalOpenOptions} from './local.js'
export {deriveKey, KEY_RULE, validateKey} from './key.js'
export {runtimeDir} from './runtime.js'
export {clientTimeout, DEFAULT_TIMEOUT_MS, parseTimeout} from './deadline.js'
export {connectPool, listPools, openPool, type PoolListing} from './pools.js'
export {RemotePool} from './remote.js'
