/*
 * A SQLite pool through the real binary: every verb that names a page names it both ways
 * (`pgno 4 = SQLite page 5`) in its text, its --json and its errors, while `new` keeps its bare
 * pgno on stdout for scripts; --decode names each record value as the CREATE statement does,
 * over a pool and with --file; UTF-16 databases decode to the text sqlite3 returns.
 */
import assert from 'node:assert/strict'
import {buildOnce, CliSandbox} from '../helpers/cli.js'
import {sqlite3, sqliteJson} from '../helpers/sqlite3.js'

interface DecodedJson {
  pgno: number
  page: number
  kind: string
  items: Array<{index: number; fields: Array<{name: string; value: unknown; meaning?: string; region: string}>}>
}

/** The value fields of a decoded cell, by name: the payload region, less the local/overflow split. */
function values(item: DecodedJson['items'][number]): Record<string, unknown> {
  return Object.fromEntries(item.fields.filter((f) => f.region === 'payload' && f.name !== 'local payload').map((f) => [f.name, f.value]))
}

describe('a SQLite pool in the shell: pages named both ways, values by name', function () {
  this.timeout(120_000)
  const box = new CliSandbox('mpool-sqlite-pages-')
  const db = box.path('shop.db')
  const run = async (args: string[]) => box.run([...args, '--key', 'shop'])
  const json = async <T>(args: string[]): Promise<T> => {
    const r = await run([...args, '--json'])
    assert.equal(r.status, 0, r.stderr)
    return JSON.parse(r.stdout) as T
  }

  before(async () => {
    buildOnce()
    sqlite3(
      db,
      `PRAGMA page_size=1024; CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, "e-mail" TEXT);
       CREATE INDEX users_name ON users(name);
       WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 200) INSERT INTO users SELECT i, 'user ' || i, 'user' || i || '@example.org' FROM s;`,
    )
    const r = await box.run(['open', db, '--key', 'shop'])
    assert.equal(r.status, 0, r.stderr)
  })
  after(() => box.cleanup())

  it('names the page in put, new, delete and the cache dump, with the SQLite number in --json', async () => {
    const npages = sqliteJson<{page_count: number}>(db, 'PRAGMA page_count')[0]!.page_count
    assert.equal((await run(['get', '3'])).status, 0)
    const put = await run(['put', '3', '--hex', '00', '--offset', '1023'])
    assert.deepEqual([put.status, put.stdout], [0, 'put pgno 3 = SQLite page 4: wrote 1 byte at page offset 0x3ff = file offset 0xfff, marked dirty, unpinned\n'])
    const made = await run(['new'])
    assert.deepEqual([made.status, made.stdout, made.stderr], [0, `${npages}\n`, `mpool new: new page: pgno ${npages} = SQLite page ${npages + 1}\n`], 'stdout stays the bare pgno')
    const madeJson = await json<{pgno: number; format: string; page: number}>(['new'])
    assert.deepEqual([madeJson.pgno, madeJson.format, madeJson.page], [npages + 1, 'sqlite', npages + 2])
    const dropped = await run(['delete', String(npages + 1)])
    assert.deepEqual([dropped.status, dropped.stdout], [0, `dropped pgno ${npages + 1} = SQLite page ${npages + 2} without writing it\n`])
    assert.equal((await run(['get', '5'])).status, 0)
    const del = await json<{pgno: number; format: string; page: number}>(['delete', '5'])
    assert.deepEqual(del, {pgno: 5, dropped: false, format: 'sqlite', page: 6})
    const cache = await run(['dump'])
    assert.match(cache.stdout, /^frame +pgno +SQLite page +pins +state +next +held by$/m)
    assert.match(cache.stdout, /^ +\d+ +3 +4 +0 +dirty/m)
    const cacheJson = await json<{format: string; frames: Array<{pgno: number; page: number}>}>(['dump'])
    assert.equal(cacheJson.format, 'sqlite')
    assert.ok(cacheJson.frames.length >= 2 && cacheJson.frames.every((f) => f.page === f.pgno + 1))
  })

  it('names the page in an error about it, with the same exit status', async () => {
    const past = await run(['get', '400'])
    assert.equal(past.status, 4)
    assert.match(past.stderr, /^mpool get: pgno 400 = SQLite page 401 is past the end of \S+shop\.db: it has \d+ pages of 1024 bytes \(0 to \d+\); nothing was touched\n$/)
    const unpinned = await run(['put', '9'])
    assert.deepEqual([unpinned.status, unpinned.stderr], [4, 'mpool put: cannot put pgno 9 = SQLite page 10: it is not in the cache, so it is not pinned; get it first\n'])
    const doc = JSON.parse((await run(['delete', '9', '--json'])).stdout) as {error: {code: string; exit: number; message: string}}
    assert.deepEqual(doc.error, {code: 'EINVAL', exit: 4, message: 'cannot delete pgno 9 = SQLite page 10: it is not in the cache, so it is not pinned; get it first'})
  })

  it('decodes values by their column names over the pool and from the file, in text and --json', async () => {
    const map = await json<{pages: Array<{pgno: number; page: number; kind: string; owner: string}>}>(['map'])
    // not pgno 3: the first test changed a byte of it in the pool
    const leaf = map.pages.find((p) => p.owner === 'users' && p.kind === 'table-leaf' && p.pgno !== 3)!
    const index = map.pages.find((p) => p.owner === 'users_name' && p.kind === 'index-leaf')!
    const rows = new Map(sqliteJson<{id: number; name: string; 'e-mail': string}>(db, 'SELECT id, name, "e-mail" FROM users').map((r) => [r.id, r]))
    for (const where of [['--key', 'shop'], ['--file', db]]) {
      const d = JSON.parse((await box.run(['dump', '--page', String(leaf.page), '--decode', '--json', ...where])).stdout) as DecodedJson
      assert.ok(d.items.length > 5)
      for (const item of d.items) {
        const rowid = item.fields.find((f) => f.name === 'rowid')!.value as number
        assert.deepEqual(values(item), {id: null, name: rows.get(rowid)!.name, 'e-mail': rows.get(rowid)!['e-mail']})
        assert.equal(item.fields.find((f) => f.name === 'id')!.meaning, `NULL: id is the INTEGER PRIMARY KEY, stored as NULL; its value is the rowid, ${rowid}`)
      }
      const entries = JSON.parse((await box.run(['dump', String(index.pgno), '--decode', '--json', ...where])).stdout) as DecodedJson
      assert.ok(entries.items.every((item) => Object.keys(values(item)).join() === 'name,rowid' && rows.get(values(item).rowid as number)!.name === values(item).name))
      const text = (await box.run(['dump', '--page', String(leaf.page), '--decode', ...where])).stdout
      assert.match(text, /^ +0x[0-9a-f]+ {2}[0-9a-f .]+ +e-mail +"user\d+@example\.org" +text, \d+ bytes$/m)
      assert.match(text, /^ +0x[0-9a-f]+ {2}[0-9a-f ]+ +serial type 2 +\d+ +text, \d+ bytes, for e-mail$/m)
    }
  })

  it('closes naming the dirty and pinned pages both ways', async () => {
    const closed = await run(['close', '--json'])
    assert.equal(closed.status, 0, closed.stderr)
    const doc = JSON.parse(closed.stdout) as {dirty: number[]; pinned: number[]; format: string; dirtyPages: number[]; pinnedPages: number[]}
    assert.deepEqual([doc.dirty, doc.dirtyPages, doc.format], [[3], [4], 'sqlite'])
    assert.deepEqual(doc.pinnedPages, doc.pinned.map((p) => p + 1))
    assert.ok(doc.pinned.length >= 1)
    assert.equal((await box.run(['open', db, '--key', 'shop'])).status, 0)
    assert.equal((await run(['get', '2'])).status, 0)
    assert.equal((await run(['get', '3'])).status, 0)
    assert.equal((await run(['put', '3', '--dirty'])).status, 0)
    const text = await run(['close'])
    assert.equal(text.stdout, 'closed pool shop: dropped dirty pgno 3 = SQLite page 4 without writing it; pgno 2 = SQLite page 3 still pinned\n')
  })

  for (const encoding of ['UTF-16le', 'UTF-16be']) {
    it(`decodes the text of a ${encoding} database as sqlite3 returns it, overflowing text included`, async () => {
      const file = box.path(`${encoding}.db`)
      sqlite3(
        file,
        `PRAGMA encoding='${encoding}'; PRAGMA page_size=512; CREATE TABLE t(a TEXT, b BLOB, c);
         INSERT INTO t VALUES ('héllo wörld ✓ 😀', x'00ff', 'abc'), ('ascii', NULL, 42), (printf('%.*c', 300, 'ß') || '😀 end', NULL, 'long');`,
      )
      const [{enc}] = sqliteJson<{enc: string}>(file, 'SELECT encoding AS enc FROM pragma_encoding')
      assert.equal(enc, encoding)
      const want = sqliteJson<{a: string; b: string | null; c: unknown}>(file, 'SELECT a, hex(b) AS b, c FROM t ORDER BY rowid')
      const head = JSON.parse((await box.run(['dump', '--page', '1', '--file', file, '--decode', '--json'])).stdout) as DecodedJson & {fields: Array<{name: string; meaning?: string}>}
      assert.equal(head.fields.find((f) => f.name === 'text encoding')!.meaning, encoding)
      const d = JSON.parse((await box.run(['dump', '--page', '2', '--file', file, '--decode', '--json'])).stdout) as DecodedJson
      const got = d.items.map(values)
      assert.deepEqual(got.slice(0, 2), [
        {a: want[0]!.a, b: `x'${want[0]!.b!.toLowerCase()}'`, c: want[0]!.c},
        {a: want[1]!.a, b: null, c: want[1]!.c},
      ])
      // the third row's text goes on to an overflow page: this page has its first characters, whole ones only
      const local = String(got[2]!.a)
      assert.ok(local.length > 20 && want[2]!.a.startsWith(local), local)
      assert.match(d.items[2]!.fields.find((f) => f.name === 'a')!.meaning!, /^text, 612 bytes, \d+ here, the rest on overflow page 3$/)
    })
  }
})
