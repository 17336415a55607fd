// Preloaded (--require) into every server under test: on SIGUSR2 it writes the process's memory
// (V8 heap used and committed, external, array buffers, RSS) to BENCH_PROBE_FILE, so the bench
// can tell live heap from garbage and from native memory. BENCH_PROBE_GC=1 (a debug run): full
// collections first, to see what of it was garbage.
'use strict'
const { renameSync, writeFileSync } = require('node:fs')
const file = process.env.BENCH_PROBE_FILE
if (file) {
  process.on('SIGUSR2', () => {
    if (process.env.BENCH_PROBE_GC === '1') {
      require('node:v8').setFlagsFromString('--expose-gc')
      const gc = require('node:vm').runInNewContext('gc')
      for (let i = 0; i < 3; i++) gc()
    }
    const m = process.memoryUsage()
    writeFileSync(`${file}.tmp`, JSON.stringify(m))
    renameSync(`${file}.tmp`, file)
  })
}
