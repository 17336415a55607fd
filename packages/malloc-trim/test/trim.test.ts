/**
 * The addon does what the idle memory reducer relies on (apps/server/src/memoryReducer.ts): after
 * many small heap blocks are freed around a few that stay, glibc keeps their pages until
 * malloc_trim(0) hands them back. Measured in a child process (RSS of this worker is shared with
 * vitest's own allocations).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { available, trimMalloc, unavailableReason } from '../index.cjs'

const require = createRequire(import.meta.url)
const glibc = process.platform === 'linux' && Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime)
/** The build is optional (scripts/build.cjs): it is required only where it can be made. */
const compiler = spawnSync('cc', ['--version']).status === 0

const CHILD = `
const { trimMalloc } = require(${JSON.stringify(require.resolve('../index.cjs'))})
const { setFlagsFromString } = require('node:v8')
const { runInNewContext } = require('node:vm')
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')
const rss = () => process.memoryUsage().rss / 1048576
const buffers = () => process.memoryUsage().arrayBuffers / 1048576
// 96 MiB in 6 KiB blocks (below glibc's mmap threshold: heap memory), every 64th kept
function allocate() {
  const blocks = Array.from({ length: 16384 }, () => Buffer.alloc(6144, 1))
  return blocks.filter((_, i) => i % 64 === 0)
}
const kept = allocate()
setTimeout(() => {
  const before = buffers()
  // as the reducer does: the later collections finish freeing what the first found dead
  for (let i = 0; i < 3; i++) gc()
  const freed = rss()
  const released = trimMalloc()
  console.log(JSON.stringify({ buffersFreed: before - buffers(), freed, trimmed: rss(), released, kept: kept.length }))
}, 100)
`

describe('malloc-trim', () => {
  it.runIf(glibc && compiler)('is built on this glibc machine with a compiler (scripts/build.cjs at install)', () => {
    expect(unavailableReason).toBeNull()
    expect(available).toBe(true)
  })

  it.runIf(available)('hands freed heap pages back: RSS drops by most of what was freed', () => {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', CHILD], { encoding: 'utf8' })) as Record<string, number | boolean>
    // the collections freed the blocks (else the trim had nothing to return)
    expect(out.buffersFreed).toBeGreaterThan(90)
    expect(out.released).toBe(true)
    // 94.5 MiB freed between the kept blocks; without the trim glibc keeps nearly all of it
    expect((out.freed as number) - (out.trimmed as number)).toBeGreaterThan(40)
  })

  it('reports unavailable, with a reason, instead of throwing where it is not built', () => {
    const r = trimMalloc()
    if (available) expect(typeof r).toBe('boolean')
    else {
      expect(r).toBeNull()
      expect(unavailableReason).toMatch(/./)
    }
  })
})
