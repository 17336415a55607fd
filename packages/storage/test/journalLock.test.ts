/** [1.7] A journal's owner is known by its lock, not its pid (src/journalLock.ts). */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, renameSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { JournalLock } from '../src/journalLock'
import { openSqliteStorage, openStorage } from '../src/index'
import { updateBytes } from './fixtures/appendChild'
import { journalFolder } from './journalSupport'

const here = dirname(fileURLToPath(import.meta.url))

describe('append journal lock', () => {
  const { dir, db, journals, lockFiles } = journalFolder()

  it.skipIf(process.platform !== 'linux')('[1.7] a live handle\'s journal is left alone even when its pid says it is gone (two containers as pid 1); once killed it is replayed once', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'appendChild.ts'), dir(), 'r', 'hold'], { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise((res) => child.on('exit', res))
    try {
      await new Promise<void>((res, rej) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ack 1') && res())
        child.on('exit', () => rej(new Error('child exited')))
      })
      // what another container sees: the journal of "pid 1", which started at another time than its own pid 1
      const [journal] = journals()
      const renamed = journal!.replace(/-appends-\d+(\.\d+)?-/, '-appends-1.1-')
      renameSync(join(dir(), journal!), join(dir(), renamed))
      renameSync(join(dir(), journal!.replace(/\.log$/, '.lock')), join(dir(), renamed.replace(/\.log$/, '.lock')))
      const other = await openStorage({ dataDir: dir() })
      try {
        expect(journals()).toContain(renamed)
      } finally {
        await other.close()
      }
      child.kill('SIGKILL')
      await exited
      const after = await openStorage({ dataDir: dir() })
      try {
        expect(journals()).not.toContain(renamed)
        expect(lockFiles().some((n) => n.includes('-appends-1.1-'))).toBe(false)
        const loaded = await after.loadRoom('r')
        expect(loaded.map((u) => Buffer.from(u).equals(Buffer.from(updateBytes(0))))).toEqual([true])
      } finally {
        await after.close()
      }
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('[1.7] a lock file without its journal is removed once its owner is gone, kept while it holds it', async () => {
    const s = await openSqliteStorage(db())
    await s.close()
    expect(lockFiles()).toEqual([])
    const gone = JournalLock.hold(join(dir(), 'x.db-appends-999999999-gone1.log'))
    gone.release()
    const live = JournalLock.hold(join(dir(), 'x.db-appends-999999999-live1.log'))
    try {
      const again = await openSqliteStorage(db())
      await again.close()
      expect(readdirSync(dir()).filter((n) => n.endsWith('.lock'))).toEqual(['x.db-appends-999999999-live1.lock'])
    } finally {
      live.release()
    }
    expect(existsSync(join(dir(), 'x.db-appends-999999999-live1.lock'))).toBe(true)
  })
})
