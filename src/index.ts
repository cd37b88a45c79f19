/** The package's library entry: `import {MPool, MPOOL_DIRTY, MPoolError} from 'mpool'`. */
export * from './pool/index.js'
