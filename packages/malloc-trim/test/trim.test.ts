/**
 * The addon does what the idle memory reducer relies on (apps/server/src/memoryReducer.ts): after
 * many small heap blocks are freed around a few that stay, glibc keeps their pages until
 * malloc_trim(0) hands them back. Measured in a child process (RSS of this worker is shared with
 * vitest's own allocations).
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const glibc = process.platform === 'linux' && Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime)

const CHILD = `
const { trimMalloc } = require(${JSON.stringify(require.resolve('../index.cjs'))})
const { setFlagsFromString } = require('node:v8')
const { runInNewContext } = require('node:vm')
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')
const rss = () => process.memoryUsage().rss / 1048576
// 96 MiB in 6 KiB blocks (below glibc's mmap threshold: heap memory), every 64th kept
let blocks = Array.from({ length: 16384 }, () => Buffer.alloc(6144, 1))
const kept = blocks.filter((_, i) => i % 64 === 0)
blocks = null
for (let i = 0; i < 3; i++) gc()
// V8 frees the blocks' memory off the main thread, after the collection
setTimeout(() => {
  gc()
  const freed = rss()
  const released = trimMalloc()
  console.log(JSON.stringify({ freed, trimmed: rss(), released, kept: kept.length }))
}, 1000)
`

describe('malloc-trim', () => {
  it.runIf(glibc)('is built on this glibc machine (the install script compiled it)', async () => {
    const m = await import('../index.cjs')
    expect(m.available).toBe(true)
  })

  it.runIf(glibc)('hands freed heap pages back: RSS drops by most of what was freed', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', CHILD], { encoding: 'utf8' })) as { freed: number; trimmed: number; released: boolean }
    expect(out.released).toBe(true)
    // 94.5 MiB freed between the kept blocks; without the trim glibc keeps nearly all of it
    expect(out.freed - out.trimmed).toBeGreaterThan(40)
  })

  it('reports unavailable instead of throwing where it is not built', async () => {
    const m = await import('../index.cjs')
    const r = m.trimMalloc()
    expect(r === null ? !m.available : m.available).toBe(true)
  })
})
