/** [1.7] A journal's owner is known by its lock, not its pid (src/journalLock.ts). */
import { spawn } from 'node:child_process'
import Database from 'better-sqlite3'
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { encodeRecord, removeStrayLocks } from '../src/appendJournal'
import { JournalLock, lockHeld } from '../src/journalLock'
import { openSqliteStorage, openStorage } from '../src/index'
import { updateBytes } from './fixtures/appendChild'
import { journalFolder, rec } from './journalSupport'

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

  it('[1.7] a scan starting while a handle makes its lock file (not yet locked) does not leave that handle\'s journal without a lock file', async () => {
    const realPragma = Database.prototype.pragma
    let scanned = false
    const pragma = vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (this: Database.Database, ...args: Parameters<Database.Database['pragma']>) {
      // another process's open scans the folder between the lock file's creation and its lock
      if (!scanned && args[0] === 'locking_mode = EXCLUSIVE') {
        scanned = true
        removeStrayLocks(db())
      }
      return realPragma.apply(this, args)
    })
    let s: Awaited<ReturnType<typeof openSqliteStorage>>
    try {
      s = await openSqliteStorage(db())
    } finally {
      pragma.mockRestore()
    }
    try {
      expect(scanned).toBe(true)
      const [journal] = journals()
      expect(lockFiles()).toEqual([journal!.replace(/\.log$/, '.lock')])
      expect(lockHeld(join(dir(), journal!))).toBe(true)
    } finally {
      await s.close()
    }
  })

  it('[1.7] a lock file that is not a database (garbage, zero-filled) does not stop storage from opening: nobody holds it, its journal is replayed', async () => {
    const s = await openSqliteStorage(db())
    await s.close()
    const name = 'x.db-appends-999999999.1-dead1'
    writeFileSync(join(dir(), `${name}.log`), encodeRecord(rec(1)))
    writeFileSync(join(dir(), `${name}.lock`), 'not a database, not a database, not a database, not a database, not a database, not a database')
    writeFileSync(join(dir(), 'x.db-appends-999999999.1-dead2.lock'), Buffer.alloc(200))
    const again = await openSqliteStorage(db())
    try {
      expect((await again.loadRoom('r')).map((u) => u[0])).toEqual([1])
      expect(lockFiles().filter((n) => n.includes('999999999'))).toEqual([])
      expect(journals().filter((n) => n.includes('999999999'))).toEqual([])
    } finally {
      await again.close()
    }
  })

  it('[1.7] a handle\'s lock writes nothing: no SQLite -journal beside its lock file (left behind by a kill -9)', async () => {
    const s = await openSqliteStorage(db())
    try {
      expect(lockFiles()).toHaveLength(1)
      expect(readdirSync(dir()).filter((n) => n.includes('-appends-') && !n.endsWith('.log') && !n.endsWith('.lock'))).toEqual([])
    } finally {
      await s.close()
    }
  })
})
