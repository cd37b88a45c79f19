#!/usr/bin/env node
// `mpool dump PGNO --file F` is run in loops: it is served without loading oclif when it can be
// (dist/cli/fast-dump.js prints nothing and declines anything but the plain success case).
async function fast(argv) {
  if (argv[0] !== 'dump' || !argv.some((a) => a === '--file' || a.startsWith('--file='))) return false
  try {
    const {fastDump} = await import('../dist/cli/fast-dump.js')
    return await fastDump(argv.slice(1))
  } catch {
    return false
  }
}

if (!(await fast(process.argv.slice(2)))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
