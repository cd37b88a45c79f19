/**
 * SIGKILL of a pool server in the middle of a large sync, at 50 random points, at pagesizes 512,
 * 4096, 6000 and 65536, with and without --journal (issue 9, crash-safe sync).
 *
 * Each round: a real server over a file of pages (page p full of its old byte), every other
 * page dirtied with a new byte through a real client (so that each dirty page is a write of
 * its own, and the sync takes long enough to be caught in the middle), then a sync, and a
 * SIGKILL at a random point of it. The points are found from events, not clocks: the k-th
 * change of FILE that fs.watch reports (k random), or, with --journal, the moment the journal
 * file appears (before any page is written in place). The round waits for the socket to close
 * (the server is gone), then opens the file again, as the next `mpool open` would, and checks
 * every page:
 *   - with --journal: every page is whole, and the dirty pages are all old or all new (the
 *     open completed a whole journal or rolled back a torn one, and said which);
 *   - without: what a crash left is counted, not judged (mpool(3) promises nothing): pages
 *     torn (half old, half new), and rounds that left some dirty pages new and some old. The
 *     README reports these figures; MPOOL_CRASH_REPORT=1 prints them.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import {journalPathOf} from '../../src/pool/index.js'
import {connectPool} from '../../src/session/index.js'
import {LocalPool} from '../../src/session/local.js'
import {SessionHarness} from './harness.js'

const PAGESIZES = [512, 4096, 6000, 65536] as const
const KILLS = 50
const OLD = 0x11
const NEW = 0x99

/** An LCG, seeded: the kill points are random but the same in every run. */
function random(seed: number): () => number {
  let x = seed >>> 0
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x / 2 ** 32
  }
}

/**
 * PAGES -- pages in each file: 32 of them dirtied, 32 writes a sync (2 MiB at 65536). Each dirty
 * page costs two requests, so this keeps 50 rounds within about a minute on a busy machine.
 */
const PAGES = 64

interface Outcome {
  torn: number
  mixed: boolean
  allNew: boolean
  recovered: string | null
}

describe('a pool server killed in the middle of a large sync', function () {
  this.timeout(120_000)
  let h: SessionHarness
  const next = random(0x5eed9)
  let round = 0
  const figures: Array<{pagesize: number; journal: boolean; kills: number; torn: number; tornRounds: number; mixed: number; completed: number; rolledBack: number}> = []

  before(() => {
    h = new SessionHarness()
  })

  after(() => {
    h.cleanup()
    if (process.env.MPOOL_CRASH_REPORT === '1') for (const f of figures) process.stderr.write(`${JSON.stringify(f)}\n`)
  })

  /** crashRound -- one sync killed at a random point; the file as the next open leaves it. */
  async function crashRound(pagesize: number, journal: boolean): Promise<Outcome> {
    const npages = PAGES
    const file = path.join(h.files, `crash${round}.db`)
    fs.writeFileSync(file, Buffer.alloc(npages * pagesize, OLD))
    const key = `crash${round++}`
    const {pid} = await h.open({key, file, pagesize, maxcache: npages, ...(journal ? {journal: true} : {})})
    const pool = await connectPool({key})
    const dirty: number[] = []
    for (let pgno = 0; pgno < npages; pgno += 2) {
      await pool.get(pgno)
      await pool.put(pgno, {write: {offset: 0, bytes: Buffer.alloc(pagesize, NEW)}})
      dirty.push(pgno)
    }
    // The kill point: the journal appearing (a third of the journalled rounds), else the k-th change of FILE.
    const atJournal = journal && next() < 1 / 3
    const k = 1 + Math.floor(next() * dirty.length)
    let changes = 0
    let killed = false
    const kill = (): void => {
      if (killed) return
      killed = true
      process.kill(pid, 'SIGKILL')
    }
    const watcher = atJournal
      ? fs.watch(path.dirname(file), (_event, name) => { if (name === path.basename(journalPathOf(file))) kill() })
      : fs.watch(file, () => { if (++changes >= k) kill() })
    try {
      // The sync ends when the server replies or when its socket closes as the kill ends it: an event either way.
      await pool.sync().catch(() => undefined)
      kill() // a sync that finished before its point: the kill lands after it (all new)
      // Gone once a call fails on the closed socket (a killed server answers nothing more).
      for (let tries = 0; tries < 100; tries++) {
        const answered = await pool.stats().then(() => true, () => false)
        if (!answered) break
      }
      await pool.detach().catch(() => undefined)
    } finally {
      watcher.close()
    }
    // The next open: it finds any journal left and completes or rolls back the sync.
    const again = LocalPool.open(file, {pagesize, maxcache: 4})
    const recovered = again.recovered
    await again.close()
    const bytes = fs.readFileSync(file)
    assert.equal(bytes.length, npages * pagesize, 'the file keeps its size')
    let torn = 0
    let news = 0
    for (let pgno = 0; pgno < npages; pgno++) {
      const page = bytes.subarray(pgno * pagesize, (pgno + 1) * pagesize)
      const first = page[0]
      const whole = page.every((b) => b === first)
      if (!whole) torn++
      else if (first === NEW) {
        assert.ok(dirty.includes(pgno), `page ${pgno} is new but was never dirtied`)
        news++
      } else assert.equal(first, OLD, `page ${pgno} holds neither its old nor its new bytes`)
    }
    assert.equal(fs.existsSync(journalPathOf(file)), false, 'no journal is left after the next open')
    return {torn, mixed: news > 0 && news < dirty.length, allNew: news === dirty.length, recovered}
  }

  let left = KILLS
  const configs = PAGESIZES.flatMap((pagesize) => [false, true].map((journal) => ({pagesize, journal})))
  configs.forEach(({pagesize, journal}, i) => {
    const kills = Math.round(left / (configs.length - i))
    left -= kills
    it(`${journal ? 'with' : 'without'} --journal at pagesize ${pagesize}: ${kills} kills ${journal ? 'leave every page whole and the sync all done or all undone' : 'are counted'}`, async () => {
      const figure = {pagesize, journal, kills, torn: 0, tornRounds: 0, mixed: 0, completed: 0, rolledBack: 0}
      for (let n = 0; n < kills; n++) {
        const outcome = await crashRound(pagesize, journal)
        figure.torn += outcome.torn
        if (outcome.torn > 0) figure.tornRounds++
        if (outcome.mixed) figure.mixed++
        if (journal) {
          assert.equal(outcome.torn, 0, `round ${n}: a torn page after the next open`)
          assert.equal(outcome.mixed, false, `round ${n}: some dirty pages new and some old after the next open`)
          if (outcome.recovered !== null) assert.match(outcome.recovered, /: (completed it|rolled back)/)
          if (outcome.recovered?.includes('completed it') === true) figure.completed++
          if (outcome.recovered?.includes('rolled back') === true) figure.rolledBack++
        }
      }
      figures.push(figure)
    })
  })

  it('the journalled kills came both while the journal was written and while pages were written in place', () => {
    const journalled = figures.filter((f) => f.journal)
    assert.equal(journalled.length, PAGESIZES.length, 'every journalled round ran')
    assert.ok(journalled.reduce((n, f) => n + f.completed, 0) > 0, 'some next open completed a sync from its journal')
    assert.ok(journalled.reduce((n, f) => n + f.rolledBack, 0) > 0, 'some next open rolled back a sync whose journal was torn')
  })
})
