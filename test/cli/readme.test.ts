import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {buildOnce, ROOT} from '../helpers/cli.js'

describe("the README's command reference", function () {
  this.timeout(60_000)
  before(() => buildOnce())

  it('is what `oclif readme` makes from the commands now (regenerate: npm run build && npx oclif readme --no-source-links)', () => {
    const made = execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'oclif', 'bin', 'run.js'), 'readme', '--no-source-links', '--dry-run'], {cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
    // --dry-run prints one line saying what it would replace, then the README it would write.
    const readme = made.slice(made.indexOf('\n') + 1)
    const current = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    assert.ok(current.includes('<!-- commands -->') && current.includes('## `mpool get'), 'the README has the generated reference')
    assert.equal(current.trimEnd(), readme.trimEnd(), 'the command reference is stale')
  })
})
