/** Shared by the append journal's tests: a record, a fresh data folder per test, what it holds. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import type { JournalRecord } from '../src/appendJournal'
import type { SqliteStorage } from '../src/index'

export const rec = (seq: number, room = 'r', updates: Uint8Array[] = [new Uint8Array([seq, 1, 2])]): JournalRecord => ({ seq, room, at: 1_700_000_000_000 + seq, updates })
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Call inside a describe: each test gets its own folder; the accessors read the current one. */
export function journalFolder() {
  let dir = ''
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'copboard-journal-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  return {
    dir: () => dir,
    db: () => join(dir, 'x.db'),
    journals: () => readdirSync(dir).filter((n) => n.includes('-appends-') && n.endsWith('.log')),
    lockFiles: () => readdirSync(dir).filter((n) => n.includes('-appends-') && n.endsWith('.lock')),
    rows: (s: SqliteStorage) => (s.db.prepare('SELECT room FROM updates ORDER BY seq').all() as { room: string }[]).map((r) => r.room),
  }
}
