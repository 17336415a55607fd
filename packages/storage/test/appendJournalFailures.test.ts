/** [1.7] The append journal's failure paths: kills between steps, deleted or failing files, failing moves, bad input. */
import { existsSync, ftruncateSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it, vi } from 'vitest'
import { decodeRecords, encodeRecord, type JournalFs } from '../src/appendJournal'
import { openSqliteStorage } from '../src/index'
import { FLUSH_DELAY_MS, SqliteAppends } from '../src/sqliteAppends'
import { journalFolder, rec, sleep } from './journalSupport'

describe('sqlite append journal failures', () => {
  const { dir, db, journals, rows } = journalFolder()
  const realFs: JournalFs = { write: (fd, buf) => writeSync(fd, buf), truncate: (fd, len) => ftruncateSync(fd, len), unlink: (p) => unlinkSync(p) }
  /** Its first deletion of a journal file fails, as if the process was killed just before it. */
  const killedAtFirstUnlink = (): JournalFs => {
    let unlinks = 0
    return { ...realFs, unlink: (p) => { if (++unlinks === 1) throw new Error('killed'); unlinkSync(p) } }
  }
  const quiet = { info() {}, warn() {}, error() {} }

  it('[1.7] killed between a replay\'s commit and the deletion of the journal file: the next start moves nothing twice', async () => {
    const s = await openSqliteStorage(db())
    await s.close()
    const name = 'x.db-appends-999999999-dead2.log'
    writeFileSync(join(dir(), name), Buffer.concat([rec(1), rec(2)].map(encodeRecord)))
    await expect(openSqliteStorage(db(), { journalFs: killedAtFirstUnlink(), logger: quiet })).rejects.toThrow(/killed/)
    expect(existsSync(join(dir(), name))).toBe(true)
    const again = await openSqliteStorage(db())
    try {
      expect((await again.loadRoom('r')).map((u) => u[0])).toEqual([1, 2])
      expect(existsSync(join(dir(), name))).toBe(false)
      expect(again.db.prepare('SELECT journal FROM append_journals').all()).toEqual([])
    } finally {
      await again.close()
    }
  })

  it('[1.7] killed between close\'s move and the deletion of the journal file: the next start moves nothing twice', async () => {
    const s = await openSqliteStorage(db(), { journalFs: killedAtFirstUnlink(), logger: quiet })
    await s.appendUpdates('r', [new Uint8Array([1])])
    await s.appendUpdates('r', [new Uint8Array([2])])
    await s.close()
    expect(journals()).toHaveLength(1) // left behind, its records all moved
    const again = await openSqliteStorage(db())
    try {
      expect((await again.loadRoom('r')).map((u) => u[0])).toEqual([1, 2])
      expect(journals()).toHaveLength(1) // its own
    } finally {
      await again.close()
    }
  })

  it('[1.7] a journal someone deleted while the handle runs is replaced at the next move; close still moves everything and closes the database', async () => {
    const s = await openSqliteStorage(db())
    await s.appendUpdates('r', [new Uint8Array([1])])
    unlinkSync(join(dir(), journals()[0]!))
    await s.appendUpdates('r', [new Uint8Array([2])])
    expect(await s.countUpdates('r')).toBe(2) // moved: the next appends go to a new journal file
    expect(journals()).toHaveLength(1)
    await s.appendUpdates('r', [new Uint8Array([3])])
    expect(decodeRecords(readFileSync(join(dir(), journals()[0]!))).records.map((r) => r.updates[0]![0])).toEqual([3])
    await s.close()
    expect(s.db.open).toBe(false)
    const again = await openSqliteStorage(db())
    try {
      expect((await again.loadRoom('r')).map((u) => u[0])).toEqual([1, 2, 3])
    } finally {
      await again.close()
    }
  })

  it('[1.7] a journal deleted and then failing: given up once, no new file left open behind it', async () => {
    let writes = 0
    const failing: JournalFs = {
      ...realFs,
      write: (fd, buf) => {
        if (++writes === 3) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
        return writeSync(fd, buf)
      },
    }
    const s = await openSqliteStorage(db(), { journalFs: failing, logger: quiet })
    try {
      await s.appendUpdates('r', [new Uint8Array([1])])
      unlinkSync(join(dir(), journals()[0]!))
      await s.appendUpdates('r', [new Uint8Array([2])])
      await s.appendUpdates('r', [new Uint8Array([3])]) // its write fails: 1–2 moved, 3 committed
      await s.appendUpdates('r', [new Uint8Array([4])])
      expect(journals()).toEqual([])
      expect(rows(s)).toHaveLength(4)
    } finally {
      await s.close()
    }
  })

  it('[1.7] a failing journal: what it holds is moved, appends commit one by one, nothing is lost', async () => {
    let writes = 0
    const failing: JournalFs = {
      write: (fd, buf) => {
        if (++writes === 3) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
        return writeSync(fd, buf)
      },
      truncate: (fd, len) => ftruncateSync(fd, len),
      unlink: (p) => unlinkSync(p),
    }
    const errors: string[] = []
    const s = await openSqliteStorage(db(), { journalFs: failing, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } })
    try {
      for (let i = 1; i <= 5; i++) await s.appendUpdates('r', [new Uint8Array([i])])
      // the third append's write failed: 1–2 were moved, 3–5 committed directly, the journal is gone
      expect(rows(s)).toHaveLength(5)
      expect(journals()).toEqual([])
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(/append journal failed.*ENOSPC/)
      expect((await s.loadRoom('r')).map((u) => u[0])).toEqual([1, 2, 3, 4, 5])
    } finally {
      await s.close()
    }
  })

  it('[1.2] a bad batch is refused whole with a clear error, and the journal stays in use', async () => {
    const errors: string[] = []
    const s = await openSqliteStorage(db(), { logger: { info() {}, warn() {}, error: (m) => errors.push(m) } })
    try {
      await expect(s.appendUpdates('r', [new Uint8Array([1]), 'x' as unknown as Uint8Array])).rejects.toThrow(/update 1 of the batch is not a Uint8Array/)
      await expect(s.appendUpdates('r'.repeat(70_000), [new Uint8Array([1])])).rejects.toThrow(/room name of 70000 bytes/)
      await s.appendUpdates('r', [new Uint8Array([2])])
      expect(journals()).toHaveLength(1)
      expect(rows(s)).toEqual([]) // journaled, not committed one by one
      expect(errors).toEqual([])
      expect((await s.loadRoom('r')).map((u) => u[0])).toEqual([2])
    } finally {
      await s.close()
    }
  })

  it('[1.2] a failed write that cannot be cut back: no later append resolves behind its partial record', async () => {
    let writes = 0
    const eio = () => Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })
    const broken: JournalFs = {
      ...realFs,
      write: (fd, buf) => {
        if (++writes !== 2) return writeSync(fd, buf)
        writeSync(fd, buf.subarray(0, 5)) // part of the record reached the file
        throw eio()
      },
      truncate: () => {
        throw eio()
      },
    }
    const s = await openSqliteStorage(db(), { journalFs: broken, busyTimeoutMs: 0, logger: quiet })
    const other = new Database(db())
    try {
      other.exec('BEGIN IMMEDIATE') // the table cannot take the journal's records either
      await s.appendUpdates('r', [new Uint8Array([1])])
      await expect(s.appendUpdates('r', [new Uint8Array([2])])).rejects.toThrow()
      const third = await s.appendUpdates('r', [new Uint8Array([3])]).then(() => true, () => false)
      // what a kill now leaves: every append that resolved must be replayable from the journal
      const onDisk = decodeRecords(readFileSync(join(dir(), journals()[0]!))).records.flatMap((r) => r.updates.map((u) => u[0]))
      expect(onDisk).toEqual(third ? [1, 3] : [1])
    } finally {
      other.exec('ROLLBACK')
      other.close()
      await s.close()
    }
  })

  it('[1.7] while moves fail they are tried once a second, not after every append past 256 KiB', async () => {
    const s = await openSqliteStorage(db(), { busyTimeoutMs: 0, logger: quiet })
    const other = new Database(db())
    const flushes = vi.spyOn(SqliteAppends.prototype, 'flush')
    try {
      other.exec('BEGIN IMMEDIATE')
      await s.appendUpdates('r', [new Uint8Array(300 * 1024)])
      await sleep(5) // the move at once (256 KiB wait) fails
      const before = flushes.mock.calls.length
      for (let i = 0; i < 20; i++) {
        await s.appendUpdates('r', [new Uint8Array(1024)])
        await sleep(1)
      }
      expect(flushes.mock.calls.length - before).toBeLessThanOrEqual(1)
    } finally {
      flushes.mockRestore()
      other.exec('ROLLBACK')
      other.close()
      await s.close()
    }
  })

  it('[1.7] a flush that fails (database locked) keeps the appends journaled and is retried; reads of the update log fail meanwhile', async () => {
    const errors: string[] = []
    const s = await openSqliteStorage(db(), { busyTimeoutMs: 20, logger: { info() {}, warn() {}, error: (m) => errors.push(m) } })
    const other = new Database(db())
    try {
      other.exec('BEGIN IMMEDIATE')
      await s.appendUpdates('r', [new Uint8Array([7])])
      await sleep(FLUSH_DELAY_MS + 100)
      expect(errors.some((m) => /could not be moved.*retrying/.test(m))).toBe(true)
      await expect(s.loadRoom('r')).rejects.toMatchObject({ code: 'SQLITE_BUSY' })
      expect(await s.getCop('nope')).toBeNull() // what does not read the update log still works
      other.exec('COMMIT')
      // the retry (RETRY_MS after the failed move; bounded wait: a loaded machine is slow)
      for (const deadline = Date.now() + 5000; rows(s).length === 0 && Date.now() < deadline; ) await sleep(20)
      expect(rows(s)).toEqual(['r'])
      expect((await s.loadRoom('r')).map((u) => u[0])).toEqual([7])
    } finally {
      other.close()
      await s.close()
    }
  })
})
