// child-cpu -- preloaded into each process bench/cli.ts times (`node --require bench/child-cpu.cjs`):
// at exit it appends the process's own user + system CPU time, in microseconds, to the file
// named by $MPOOL_BENCH_CPU. The same preload runs in `node -e 0`, so both sides pay for it.
const fs = require('node:fs')
const file = process.env.MPOOL_BENCH_CPU
if (file) {
  process.on('exit', () => {
    const {user, system} = process.cpuUsage()
    fs.appendFileSync(file, `${user + system}\n`)
  })
}
