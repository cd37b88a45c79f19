/*
 * Keys and the runtime directory: what a key may be, how one is made from a file name, where
 * sockets live, and the permission checks that keep another user's socket out of reach.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {connectPool, deriveKey, listPools, openPool, runtimeDir, validateKey} from '../../src/session/index.js'
import {checkRuntimeDir, MAX_SOCKET_PATH, poolPaths} from '../../src/session/runtime.js'
import {SessionHarness, waitForExit} from './harness.js'

const RULE = `a key is 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'`

describe('pool keys', () => {
  it('accepts short names of letters, digits, dot, underscore and dash', () => {
    for (const key of ['demo', 'a', 'A.b-c_d', '_x', '0', 'x'.repeat(64), 'demo.db']) assert.equal(validateKey(key), key)
  })

  it('refuses paths, empty, too long, hidden, option-like and odd characters, saying what a key may be', () => {
    const bad: Array<[unknown, string]> = [
      ['../x', '"../x"'],
      ['a/b', '"a/b"'],
      ['/etc/passwd', '"/etc/passwd"'],
      ['', '""'],
      ['x'.repeat(65), `"${'x'.repeat(65)}"`],
      ['.hidden', '".hidden"'],
      ['-rf', '"-rf"'],
      ['a b', '"a b"'],
      ['a\u0000b', '"a\\u0000b"'],
      ['ключ', '"ключ"'],
      ['a\nb', '"a\\nb"'],
      [undefined, 'undefined'],
      [42, '42'],
    ]
    for (const [key, shown] of bad) {
      assert.throws(() => validateKey(key), {name: 'MPoolError', code: 'EINVAL', message: `${shown} is not a valid pool key: ${RULE}`})
    }
  })

  it('shortens a very long bad key in the message', () => {
    assert.throws(() => validateKey('/'.repeat(200)), {message: `"${'/'.repeat(77)}..." is not a valid pool key: ${RULE}`})
  })

  it('derives a key from a file name: base name, no extension, bad characters made underscores', () => {
    const cases: Array<[string, string]> = [
      ['demo.db', 'demo'],
      ['/data/demo.db', 'demo'],
      ['../x/my pages.bin', 'my_pages'],
      ['.hidden.db', 'hidden'],
      ['-dash.db', 'dash'],
      ['archive.tar.gz', 'archive.tar'],
      ['noext', 'noext'],
      ['ключ.db', 'pool'],
      ['...', 'pool'],
      [`${'y'.repeat(100)}.db`, 'y'.repeat(64)],
    ]
    for (const [file, key] of cases) {
      assert.equal(deriveKey(file), key, file)
      assert.equal(validateKey(deriveKey(file)), key, 'a derived key is always valid')
    }
  })
})

describe('the runtime directory', function () {
  this.timeout(30_000)
  let h: SessionHarness
  const saved = {MPOOL_RUNTIME_DIR: process.env.MPOOL_RUNTIME_DIR, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR}

  before(() => {
    h = new SessionHarness()
  })
  afterEach(() => {
    process.env.MPOOL_RUNTIME_DIR = h.runtime
    if (saved.XDG_RUNTIME_DIR === undefined) delete process.env.XDG_RUNTIME_DIR
    else process.env.XDG_RUNTIME_DIR = saved.XDG_RUNTIME_DIR
  })
  after(() => h.cleanup())

  it('is MPOOL_RUNTIME_DIR when set, else XDG_RUNTIME_DIR/mpool when that is ours, else <tmpdir>/mpool-<uid>', () => {
    assert.equal(runtimeDir(), h.runtime)
    delete process.env.MPOOL_RUNTIME_DIR
    const xdg = fs.mkdtempSync(path.join(h.root, 'xdg-'))
    process.env.XDG_RUNTIME_DIR = xdg
    assert.equal(runtimeDir(), path.join(xdg, 'mpool'))
    process.env.XDG_RUNTIME_DIR = path.join(h.root, 'no-such-xdg')
    assert.equal(runtimeDir(), path.join(os.tmpdir(), `mpool-${process.getuid!()}`))
    delete process.env.XDG_RUNTIME_DIR
    assert.equal(runtimeDir(), path.join(os.tmpdir(), `mpool-${process.getuid!()}`))
  })

  it('is not XDG_RUNTIME_DIR/mpool when XDG_RUNTIME_DIR belongs to another user', () => {
    delete process.env.MPOOL_RUNTIME_DIR
    const xdg = fs.mkdtempSync(path.join(h.root, 'xdg-'))
    process.env.XDG_RUNTIME_DIR = xdg
    // The directory is ours; asked for as another user, it is theirs, not that user's.
    const other = process.getuid!() + 1
    assert.equal(runtimeDir(other), path.join(os.tmpdir(), `mpool-${other}`))
    assert.equal(runtimeDir(), path.join(xdg, 'mpool'))
  })

  it('is made with mode 0700, and the socket and info file with mode 0600', async () => {
    const {pid} = await h.open({key: 'modes', file: h.pageFile(512, 1), pagesize: 512, maxcache: 1})
    assert.equal(fs.statSync(h.runtime).mode & 0o777, 0o700)
    const socket = fs.statSync(h.socket('modes'))
    assert.ok(socket.isSocket())
    assert.equal(socket.mode & 0o777, 0o600)
    assert.equal(fs.statSync(path.join(h.runtime, 'modes.json')).mode & 0o777, 0o600)
    assert.equal(fs.statSync(path.join(h.runtime, 'modes.log')).mode & 0o777, 0o600)
    await (await connectPool({key: 'modes'})).close()
    await waitForExit(pid)
  })

  it('is refused when group or others can get in (mode 0755), by open, connect and list alike', async () => {
    const open = path.join(h.root, 'open-dir')
    fs.mkdirSync(open, {mode: 0o755})
    fs.chmodSync(open, 0o755)
    process.env.MPOOL_RUNTIME_DIR = open
    const refusal = {name: 'MPoolError', code: 'EACCES', message: `the runtime directory ${open} has mode 0755, open to group or others; run chmod 700 ${open}`}
    await assert.rejects(openPool({key: 'x', file: h.pageFile(512, 1), pagesize: 512, maxcache: 1}), refusal)
    await assert.rejects(connectPool({key: 'x'}), refusal)
    await assert.rejects(listPools(), refusal)
    assert.deepEqual(fs.readdirSync(open), [], 'nothing was made in it')
  })

  it('is refused when it is a symlink, even to a private directory', async () => {
    const real = path.join(h.root, 'real-dir')
    fs.mkdirSync(real, {mode: 0o700})
    const link = path.join(h.root, 'link-dir')
    fs.symlinkSync(real, link)
    process.env.MPOOL_RUNTIME_DIR = link
    await assert.rejects(openPool({key: 'x', file: h.pageFile(512, 1), pagesize: 512, maxcache: 1}), {
      code: 'EACCES',
      message: `the runtime directory ${link} is not a directory (or is a symlink); remove it or set MPOOL_RUNTIME_DIR to a private directory`,
    })
  })

  it('is refused when it belongs to another user', () => {
    const mine = path.join(h.root, 'mine')
    fs.mkdirSync(mine, {mode: 0o700})
    const me = process.getuid!()
    const other = me + 1
    assert.equal(checkRuntimeDir(mine), mine)
    assert.throws(() => checkRuntimeDir(mine, other), {code: 'EACCES', message: `the runtime directory ${mine} belongs to user ${me}, not to you (${other}); set MPOOL_RUNTIME_DIR to a directory of your own`})
  })

  it('that does not exist means no pool is open, and is not made by looking', async () => {
    const missing = path.join(h.root, 'never-made')
    process.env.MPOOL_RUNTIME_DIR = missing
    assert.deepEqual(await listPools(), [])
    await assert.rejects(connectPool({}), {code: 'ENOPOOL', message: 'no pool is open; open one with `mpool open FILE`'})
    await assert.rejects(connectPool({key: 'k'}), {code: 'ENOPOOL'})
    assert.equal(fs.existsSync(missing), false)
  })

  it('refuses a socket path past the Unix socket limit, saying how to shorten it', async () => {
    const deep = path.join(h.root, 'd'.repeat(Math.max(1, MAX_SOCKET_PATH - h.root.length - 10)))
    const key = 'k'.repeat(20)
    const socket = path.join(deep, `${key}.sock`)
    assert.ok(Buffer.byteLength(socket) > MAX_SOCKET_PATH)
    assert.throws(() => poolPaths(deep, key), {
      code: 'ENAMETOOLONG',
      message: `the socket path ${socket} is ${Buffer.byteLength(socket)} bytes, more than the ${MAX_SOCKET_PATH} a Unix socket allows; use a shorter key or set MPOOL_RUNTIME_DIR to a shorter directory`,
    })
    process.env.MPOOL_RUNTIME_DIR = deep
    await assert.rejects(openPool({key, file: h.pageFile(512, 1), pagesize: 512, maxcache: 1}), {code: 'ENAMETOOLONG'})
    assert.equal(fs.existsSync(deep), false, 'the directory was not made')
  })
})
