/**
 * load -- one format's decoders by its name, loaded on their own: what a verb needs to decode or
 * map the pool's file, without the other formats' code. The shell's light bundle makes each
 * format a file of its own (scripts/bundle-light.mjs), so a decode of a SQLite page loads no
 * PostgreSQL or Berkeley DB decoder (loading the whole registry's bundle, with its code cache,
 * took about 0.4 ms more than the SQLite decoders' alone).
 *
 * Policy: this is the registry's lazy face, not a second registry: it loads the very modules
 * index.ts registers, and a test checks that every name of FORMAT_NAMES loads here as the
 * registry's format of that name, so a format added to index.ts and not here fails it.
 */
import type {PageFormat} from './types.js'

/** loadFormat -- the format called `name` (its module loaded on first use), or undefined for a name no format has. */
export async function loadFormat(name: string): Promise<PageFormat | undefined> {
  switch (name) {
    case 'sqlite':
      return (await import('./sqlite/index.js')).sqlite
    case 'berkeleydb':
      return (await import('./berkeleydb/index.js')).berkeleydb
    case 'postgresql':
      return (await import('./postgresql/index.js')).postgresql
    default:
      return undefined
  }
}
