import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS_TABLE, openSqliteStorage, openStorage, SqliteStorage } from '../src/index'
import { runStorageContract } from './storageContract'

runStorageContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'copboard-storage-'))
  return {
    open: () => openStorage({ dataDir: dir }),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

describe('sqlite specifics', () => {
  it('[4.1] openStorage without databaseUrl uses <dataDir>/copboard.db in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-storage-'))
    const nested = join(dir, 'a', 'b')
    try {
      const s = await openStorage({ dataDir: nested })
      expect(s.backend).toBe('sqlite')
      expect(existsSync(join(nested, 'copboard.db'))).toBe(true)
      const db = (s as SqliteStorage).db
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0)
      // issue 12: SQLite's 2 MB page cache, not the 16 MB better-sqlite3 is built with
      expect(db.pragma('cache_size', { simple: true })).toBe(-2048)
      await s.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('[2.3] a database migrated by a newer version is refused with SCHEMA_TOO_NEW', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-storage-'))
    try {
      const s = await openSqliteStorage(join(dir, 'x.db'))
      s.db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (id, name, applied_at) VALUES (999, 'future', 'x')`).run()
      await s.close()
      await expect(openSqliteStorage(join(dir, 'x.db'))).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('[1.2] appendUpdates of a batch is all-or-nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-storage-'))
    try {
      const s = await openSqliteStorage(join(dir, 'x.db'))
      // the second element is not bytes: the driver throws mid-batch, the first must not stay
      await expect(s.appendUpdates('r', [new Uint8Array([1]), 'oops' as unknown as Uint8Array])).rejects.toBeTruthy()
      expect(await s.countUpdates('r')).toBe(0)
      await s.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('sqlite WAL', () => {
  it('[1.6] after a burst of appends and compactions the WAL is checkpointed and cut back to at most 8 MiB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-storage-'))
    try {
      const s = (await openStorage({ dataDir: dir })) as SqliteStorage
      const big = new Uint8Array(256 * 1024).fill(7)
      // ~24 MiB through the WAL: appends and the compactions' rewrites
      for (let r = 0; r < 12; r++) {
        await s.appendUpdates(`room-${r}`, [big, big, big, big])
        await s.deleteRoom(`room-${r}`)
      }
      const wal = join(dir, 'copboard.db-wal')
      const { statSync } = await import('node:fs')
      expect(statSync(wal).size).toBeGreaterThan(8 * 1024 * 1024)
      // one checkpoint tick (2 s; bounded wait: a loaded machine is slow)
      for (let waited = 0; statSync(wal).size > 8 * 1024 * 1024 && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100))
      expect(statSync(wal).size).toBeLessThanOrEqual(8 * 1024 * 1024)
      await s.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
