import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openStorage } from '../src/index'
import { updateBytes } from './fixtures/appendChild'

const here = dirname(fileURLToPath(import.meta.url))
const pkgRoot = join(here, '..')

/** Starts the child, SIGKILLs it once it acknowledged `killAfter` appends; returns the highest ack seen. */
async function runAndKill(dir: string, room: string, mode: 'raw' | 'compact', killAfter: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'appendChild.ts'), dir, room, mode], {
    cwd: pkgRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let acked = 0
  let compacted = 0
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, sig) => res(sig)))
  let buf = ''
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString()
    const lines = buf.split('\n')
    buf = lines.pop()!
    for (const l of lines) {
      const m = /^ack (\d+)$/.exec(l)
      if (m) acked = Math.max(acked, Number(m[1]))
      if (l === 'compacted') compacted++
    }
    // kill in the middle of the stream, while appends (and compactions) are in flight; in compact
    // mode only once a compaction finished
    if (acked >= killAfter && (mode === 'raw' || compacted > 0) && !child.killed) child.kill('SIGKILL')
  })
  const sig = await exited
  if (sig !== 'SIGKILL') throw new Error(`child exited on its own (${sig}): ${stderr}`)
  return acked
}

describe('sqlite durability against kill -9', () => {
  it('[1.2] every update whose append resolved before SIGKILL is there after reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-kill-'))
    try {
      const acked = await runAndKill(dir, 'room-k', 'raw', 300)
      expect(acked).toBeGreaterThanOrEqual(300)
      const s = await openStorage({ dataDir: dir })
      try {
        const loaded = await s.loadRoom('room-k')
        expect(loaded.length).toBeGreaterThanOrEqual(acked)
        for (let i = 0; i < loaded.length; i++) {
          expect(Buffer.from(loaded[i]!).equals(Buffer.from(updateBytes(i)))).toBe(true)
        }
      } finally {
        await s.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)

  it('[1.2][1.3] killed while compacting beside appends: every acknowledged update is in the document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-kill-'))
    try {
      const acked = await runAndKill(dir, 'room-c', 'compact', 400)
      const s = await openStorage({ dataDir: dir })
      try {
        const loaded = await s.loadRoom('room-c')
        expect(loaded.length).toBeLessThan(acked) // compactions happened
        const doc = new Y.Doc()
        for (const u of loaded) Y.applyUpdate(doc, u)
        const m = doc.getMap('m')
        for (let i = 0; i < acked; i++) expect(m.get(`k${i}`)).toBe(i)
        expect(doc.store.pendingStructs).toBeNull()
      } finally {
        await s.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})
