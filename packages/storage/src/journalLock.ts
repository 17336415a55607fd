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

  /**
   * Takes the lock of a journal about to be created (before its file exists, so no scan sees it
   * unlocked). Its file exists unlocked for a moment: a scan that finds it then removes it as a
   * stray, under its own lock (removeLockIfFree), so a lock taken after that is on no file (or
   * fails: SQLite's I/O error on an unlinked file); the file is then made again.
   */
  static hold(journalPath: string): JournalLock {
    const path = lockPathOf(journalPath)
    for (let tries = 1; ; tries++) {
      const db = new Database(path)
      let failed: unknown = null
      try {
        // held until the connection closes; nothing is ever written (in exclusive mode BEGIN
        // writes a -journal file, left beside the lock by a kill -9: kept in memory instead)
        db.pragma('locking_mode = EXCLUSIVE')
        db.pragma('journal_mode = MEMORY')
        db.exec('BEGIN EXCLUSIVE')
      } catch (err) {
        failed = err
      }
      if (failed === null && existsSync(path)) return new JournalLock(db)
      db.close()
      if (existsSync(path) || tries === 3) throw failed ?? new Error(`the journal lock file ${path} was removed as it was made`)
    }
  }

  /** Lets go (the journal is closed). Idempotent. */
  release(): void {
    const db = this.db
    this.db = null
    db?.close()
  }
}

/**
 * true: the journal's handle still holds its lock; false: it is gone; null: no lock file (an older
 * version's journal), or one that cannot be probed (the pid decides then). Never throws: a lock
 * file must not keep storage from opening.
 */
export function lockHeld(journalPath: string): boolean | null {
  return probe(journalPath)
}

/**
 * Removes a journal's lock file when nobody holds it (a stray: its journal is gone). The file is
 * unlinked while this probe holds the lock, so a handle still making it sees it gone (hold).
 */
export function removeLockIfFree(journalPath: string, unlink: (path: string) => void): void {
  probe(journalPath, unlink)
}

function probe(journalPath: string, whileFree?: (path: string) => void): boolean | null {
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
    try {
      whileFree?.(path)
    } finally {
      probe.exec('ROLLBACK')
    }
    return false
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'SQLITE_BUSY') return true
    // SQLite reads the header after taking its shared lock: nobody holds this one (and no
    // handle made it: theirs stay empty)
    if (code === 'SQLITE_NOTADB') {
      try {
        whileFree?.(path)
      } catch {
        // left: harmless, removed at a later start
      }
      return false
    }
    return null
  } finally {
    probe.close()
  }
}
