/**
 * [1.7] Whether a journal's handle is gone is decided by a lock, not by its pid: the handle holds
 * an exclusive SQLite lock on `<journal>.lock` (a POSIX record lock, which the kernel releases when
 * the process ends, even by `kill -9`) for as long as it writes the journal. A pid says too little:
 * two containers both running as pid 1 on one data folder each took the other's live journal for
 * an orphan and replayed it (its appends then no longer survived a kill, and some moved twice).
 * Journals of a version before the lock have no lock file; for those the pid is all there is.
 */
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'

export const lockPathOf = (journalPath: string): string => journalPath.replace(/\.log$/, '.lock')

export class JournalLock {
  private constructor(private db: Database.Database | null) {}

  /** Takes the lock of a journal about to be created (before its file exists, so no scan sees it unlocked). */
  static hold(journalPath: string): JournalLock {
    const db = new Database(lockPathOf(journalPath))
    try {
      // held until the connection closes; nothing is ever written
      db.pragma('locking_mode = EXCLUSIVE')
      db.exec('BEGIN EXCLUSIVE')
    } catch (err) {
      db.close()
      throw err
    }
    return new JournalLock(db)
  }

  /** Lets go (the journal is closed). Idempotent. */
  release(): void {
    const db = this.db
    this.db = null
    db?.close()
  }
}

/** true: the journal's handle still holds its lock; false: it is gone; null: no lock file (an older version's journal). */
export function lockHeld(journalPath: string): boolean | null {
  const path = lockPathOf(journalPath)
  if (!existsSync(path)) return null
  let probe: Database.Database
  try {
    probe = new Database(path, { fileMustExist: true, timeout: 0 })
  } catch {
    return null // removed meanwhile: its journal is being replayed or retired
  }
  try {
    probe.exec('BEGIN EXCLUSIVE')
    probe.exec('ROLLBACK')
    return false
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true
    throw err
  } finally {
    probe.close()
  }
}
