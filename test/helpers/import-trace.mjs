// import-trace -- `node --import ./import-trace.mjs ...` appends the URL of every ES module the
// process resolves to the file named by $MPOOL_IMPORT_TRACE (tests check what a command loads).
import {register} from 'node:module'

register(new URL('./import-trace-hooks.mjs', import.meta.url), {data: {file: process.env.MPOOL_IMPORT_TRACE}})
