/*
 * postgres -- a real, throw-away PostgreSQL server for tests: initdb -k (data checksums on) into a
 * temporary directory, listening only on a Unix socket in that directory (listen_addresses='',
 * so no TCP at all), queried with psql, stopped and removed by stop() whatever happened.
 *
 * Policy, each in a sentence:
 *  - PostgreSQL refuses to run as root and CI runs as root, so when the test runs as root every
 *    PostgreSQL binary runs as the `postgres` user Debian's package makes (runuser), in a
 *    directory that user owns; run as anyone else, the binaries run as that user.
 *  - The binaries are PostgreSQL 15's, as .ci/run installs them (POSTGRES_BIN overrides); a
 *    missing binary is a failed test, never a skipped one.
 *  - Call stop() in an `after` hook: it stops the server with pg_ctl (immediate mode; nothing in
 *    a test cluster needs to survive) and removes the directory, and never throws.
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin'
const RUN_AS = 'postgres'

function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', RUN_AS, '--', command, ...args]] : [command, args]
}

export class PostgresServer {
  readonly dir: string
  readonly data: string
  private running = false

  private constructor(dir: string) {
    this.dir = dir
    this.data = path.join(dir, 'data')
  }

  /**
   * start -- a new cluster with data checksums, started and ready; its socket is in `dir`.
   * `settings` are more server settings (`-c name=value`), such as wal_level.
   */
  static start(settings: Record<string, string | number> = {}): PostgresServer {
    const server = new PostgresServer(fs.mkdtempSync(path.join(os.tmpdir(), 'mpool-pg-')))
    try {
      if (process.getuid?.() === 0) execFileSync('chown', [RUN_AS, server.dir])
      server.pg('initdb', ['-k', '-N', '-A', 'trust', '-U', 'postgres', '-D', server.data])
      const extra = Object.entries(settings).map(([name, value]) => ` -c ${name}=${value}`).join('')
      const options = `-c listen_addresses='' -k ${server.dir} -c fsync=off -c full_page_writes=off${extra}`
      server.pg('pg_ctl', ['-D', server.data, '-o', options, '-l', path.join(server.dir, 'log'), '-w', '-t', '30', 'start'])
      server.running = true
    } catch (error) {
      server.stop()
      throw error
    }
    return server
  }

  private pg(program: string, args: string[], input?: string): string {
    const [command, argv] = asServerUser(path.join(BIN, program), args)
    return execFileSync(command, argv, {encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], cwd: this.dir, timeout: 60_000, maxBuffer: 256 * 1024 * 1024})
  }

  /** sql -- run `statements` with psql (stop at the first error); the unaligned, tuples-only output. */
  sql(statements: string): string {
    return this.pg('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', this.dir, '-U', 'postgres', '-d', 'postgres'], statements).trim()
  }

  /** json -- the rows of `query` as JSON objects (json_agg), [] for none. */
  json<T = Record<string, unknown>>(query: string): T[] {
    const out = this.sql(`SELECT coalesce(json_agg(q), '[]') FROM (${query}) q;`)
    return JSON.parse(out) as T[]
  }

  /** relationFile -- the absolute path of a relation's first segment file. */
  relationFile(relation: string): string {
    return path.join(this.data, this.sql(`SELECT pg_relation_filepath('${relation}');`))
  }

  /** stop -- stop the server and remove its directory; never throws. */
  stop(): void {
    if (this.running) {
      try {
        this.pg('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop'])
      } catch {
        // the server is gone already: nothing to stop
      }
      this.running = false
    }
    fs.rmSync(this.dir, {recursive: true, force: true})
  }
}
