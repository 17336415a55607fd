import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openStorage } from '../src/index'
import { updateBytes } from './fixtures/appendChild'

const here = dirname(fileURLToPath(import.meta.url))
const pkgRoot = join(here, '..')

describe('sqlite durability against kill -9', () => {
  it('[1.2] every update whose append resolved before SIGKILL is there after reopening', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-kill-'))
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'appendChild.ts'), dir, 'room-k'], {
        cwd: pkgRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let acked = 0
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, sig) => res(sig)))
      await new Promise<void>((resolve, reject) => {
        let buf = ''
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString()
          const lines = buf.split('\n')
          buf = lines.pop()!
          for (const l of lines) {
            const m = /^ack (\d+)$/.exec(l)
            if (m) acked = Math.max(acked, Number(m[1]))
          }
          // kill in the middle of the stream, while appends are in flight
          if (acked >= 300 && child.exitCode === null && !child.killed) {
            child.kill('SIGKILL')
            resolve()
          }
        })
        child.on('exit', () => reject(new Error(`child exited before the kill: ${stderr}`)))
      }).catch((e) => {
        if (!child.killed) throw e
      })
      expect(await exited).toBe('SIGKILL')
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
})
