/**
 * Tab completion of --key with the keys of the open pools: the scripts `mpool autocomplete`
 * writes (oclif's plugin, taught by src/cli/completion-hook.ts), sourced in a real bash and
 * loaded in a real interactive zsh in a pseudo-terminal, with two real pools open and `mpool`
 * on PATH as a user installs it.
 */
import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import * as pty from 'node-pty'
import {BIN, buildOnce, CliSandbox} from '../helpers/cli.js'

describe('Tab completion of --key', function () {
  this.timeout(120_000)
  const box = new CliSandbox('mpool-completion-')
  const cache = box.path('cache')
  const bin = box.path('bin')
  let env: Record<string, string>

  before(async () => {
    buildOnce()
    fs.mkdirSync(bin)
    fs.symlinkSync(BIN, path.join(bin, 'mpool'))
    env = {...(process.env as Record<string, string>), PATH: `${bin}:${process.env.PATH}`, MPOOL_RUNTIME_DIR: box.runtime, MPOOL_LOCK_DIR: box.path('locks'), MPOOL_CACHE_DIR: cache, NO_COLOR: '1'}
    for (const key of ['alpha', 'beta']) {
      fs.writeFileSync(box.path(`${key}.db`), Buffer.alloc(4 * 4096))
      assert.equal((await box.run(['open', box.path(`${key}.db`), '--key', key])).status, 0)
    }
    for (const shell of ['bash', 'zsh']) {
      const made = await box.run(['autocomplete', shell], {env: {MPOOL_CACHE_DIR: cache}})
      assert.equal(made.status, 0, made.stderr)
    }
  })
  after(() => box.cleanup())

  /** The completions bash's registered function gives for the words `line` (the last one being completed). */
  function bashComplete(line: string[]): string[] {
    const script = path.join(cache, 'autocomplete', 'functions', 'bash', 'mpool.bash')
    const words = line.map((w) => `'${w}'`).join(' ')
    const run = `source '${script}'; fn=$(complete -p mpool | sed -n 's/.*-F \\([^ ]*\\) mpool$/\\1/p'); COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; "$fn"; printf '%s\\n' "\${COMPREPLY[@]}"`
    return execFileSync('bash', ['--norc', '--noprofile', '-c', run], {env, encoding: 'utf8'}).split('\n').filter((w) => w !== '')
  }

  it('bash: offers the open pools after --key, and what the plugin offers elsewhere', () => {
    assert.deepEqual(bashComplete(['mpool', 'get', '1', '--key', '']), ['alpha', 'beta'])
    assert.deepEqual(bashComplete(['mpool', 'stats', '--key', 'b']), ['beta'])
    assert.deepEqual(bashComplete(['mpool', 'stats', '--key', '=', 'a']), ['alpha'], '--key=a')
    assert.ok(bashComplete(['mpool', 'st']).includes('stats'), 'commands still complete')
    assert.ok(bashComplete(['mpool', 'get', '--ti']).includes('--timeout'), 'flags still complete')
  })

  it('bash: a pool closed since is no longer offered', async () => {
    fs.writeFileSync(box.path('gamma.db'), Buffer.alloc(4096))
    assert.equal((await box.run(['open', box.path('gamma.db'), '--key', 'gamma'])).status, 0)
    assert.deepEqual(bashComplete(['mpool', 'dump', '--key', '']), ['alpha', 'beta', 'gamma'])
    assert.equal((await box.run(['close', '--key', 'gamma'])).status, 0)
    assert.deepEqual(bashComplete(['mpool', 'dump', '--key', '']), ['alpha', 'beta'])
  })

  it('zsh: Tab after --key in an interactive zsh lists the open pools', async () => {
    const setup = path.join(cache, 'autocomplete', 'zsh_setup')
    const shell = pty.spawn('zsh', ['-f', '-i'], {name: 'xterm', cols: 100, rows: 30, cwd: box.dir, env: {...env, PS1: '%% ', CI: 'false'}})
    let screen = ''
    shell.onData((data) => (screen += data))
    const plain = () => screen.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[=>]|\r/g, '')
    const waitFor = (what: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = shell.onData(() => {
          if (what.test(plain())) {
            check.dispose()
            resolve()
          }
        })
        shell.onExit(() => reject(new Error(`zsh ended before ${what}; it showed:\n${plain()}`)))
        if (what.test(plain())) resolve()
      })
    try {
      shell.write(`source '${setup}'; echo READY\r`)
      await waitFor(/^READY$/m)
      screen = ''
      shell.write('mpool get 1 --key \t')
      await waitFor(/alpha[\s\S]*beta|beta[\s\S]*alpha/)
      screen = ''
      shell.write('\x15mpool get 1 --key b\t')
      await waitFor(/--key beta/)
    } finally {
      shell.kill()
    }
  })
})
