/**
 * [1.7] The SQLite update log's hot path: `appendUpdates` writes the batch to this handle's
 * append journal (one write(2): durable against `kill -9`, appendJournal.ts) and resolves; the
 * journaled batches are moved into the `updates` table in ONE transaction per flush: a second
 * after the first, at once when 128 updates or 256 KiB wait, and before any other statement of
 * this handle runs (so every read, compaction or deletion sees every append made before it).
 * The transaction also records the journal's last moved seq, so a replay after a crash moves
 * nothing twice.
 *
 * Should the journal fail (disk full, I/O error), the batches it holds are moved, it is given up
 * for the life of the handle, and every append is committed in its own transaction (the path
 * before the journal: slower, equally durable). Should a flush fail, the batches stay journaled
 * and in memory and it is tried again; an append then waits for a flush that works once 32 MiB
 * are waiting, so memory stays bounded and the sync core's backpressure takes over.
 */
import type Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { AppendJournal, encodeRecord, orphanJournals, readJournal, removeJournal, removeStrayLocks, type JournalFs, type JournalRecord } from './appendJournal'
import { toBuf } from './bytes'
import type { StorageLogger } from './types'

/**
 * A journaled batch is in the table this long after its append at the latest (unless a flush
 * fails). PERF (issue 12): a move costs ~0.5 ms however little it moves (a transaction, WAL
 * writes), so a quiet board moves once a second, not ten times.
 */
export const FLUSH_DELAY_MS = 1000
/**
 * This many journaled updates, or bytes, are moved at once (next turn) instead of waiting for the
 * delay: a busy instance moves small chunks often, so no move holds the event loop for long
 * (1,000 updates a second moved once a second: 100 × 10 p99 14–16 ms against 6).
 */
export const FLUSH_AT_UPDATES = 128
const FLUSH_AT_BYTES = 256 * 1024
/** Memory a waiting update holds beside its bytes (its array, the record's entry), counted against the limit. */
const WAITING_OVERHEAD_BYTES = 128
/** Appends wait for a working flush once this much failed to move. */
const MAX_WAITING_BYTES = 32 * 1024 * 1024
/** A flush that failed is tried again after this long. */
const RETRY_MS = 1000
/** A journal file longer than this starts again once everything in it is in the table. */
const RESET_AT_BYTES = 4 * 1024 * 1024

export const JOURNALS_TABLE = 'append_journals'

type MoveTx = Database.Transaction<(records: JournalRecord[], journal: string | null, seq: number) => void>

export class SqliteAppends {
  private journal: AppendJournal | null = null
  private waiting: JournalRecord[] = []
  private waitingBytes = 0
  private waitingUpdates = 0
  /** A timed move found a checkpoint in progress and waits for its end. */
  private awaitingCheckpoint = false
  private seq = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private failing = false
  private moveTxFn: MoveTx | null = null
  private markStmt: Database.Statement | null = null
  private fs: JournalFs | undefined

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    /** After every transaction that wrote (the WAL checkpointer's cue). */
    private readonly wrote: () => void,
    private readonly logger?: StorageLogger,
    /** [1.6] The WAL checkpoint in progress (on another connection), if any: a timed move waits for it. */
    private readonly checkpointInProgress: () => Promise<unknown> | null = () => null,
  ) {}

  /** One transaction that moves batches into the table and marks the journal's last moved seq (prepared on first use: after the migrations). */
  private get moveTx(): MoveTx {
    if (this.moveTxFn) return this.moveTxFn
    const insert = this.db.prepare('INSERT INTO updates (room, data, created_at) VALUES (?, ?, ?)')
    this.moveTxFn = this.db.transaction((records: JournalRecord[], journal: string | null, seq: number) => {
      for (const r of records) for (const u of r.updates) insert.run(r.room, toBuf(u), r.at)
      if (journal) this.mark.run(journal, seq)
    })
    return this.moveTxFn
  }

  /** Only with a journal (a database opened without migrations has no journals table). */
  private get mark(): Database.Statement {
    this.markStmt ??= this.db.prepare(
      `INSERT INTO ${JOURNALS_TABLE} (journal, flushed_seq) VALUES (?, ?) ON CONFLICT (journal) DO UPDATE SET flushed_seq = excluded.flushed_seq`,
    )
    return this.markStmt
  }

  /**
   * Replays the journals of handles that are gone, then opens this handle's own. Without the
   * journals table (a database opened without migrations) every append commits directly.
   */
  open(fs?: JournalFs): void {
    const hasTable = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(JOURNALS_TABLE)
    if (!hasTable) return
    this.fs = fs
    for (const path of orphanJournals(this.path)) this.replay(path)
    removeStrayLocks(this.path, this.fs)
    this.forgetStaleMarks()
    this.journal = AppendJournal.create(this.path, this.fs)
  }

  /**
   * Moves what a stopped handle's journal holds beyond its mark. The file is read under the write
   * lock, and the mark is raised to its last record, not deleted: a replay that runs again (killed
   * before the file was deleted, or another process starting at the same time, which read the file
   * before it went) then moves nothing twice.
   */
  private replay(path: string): void {
    const name = basename(path)
    const moved = this.db.transaction(() => {
      const records = readJournal(path)
      if (!records) return 0 // gone: another process replayed it first
      const row = this.db.prepare(`SELECT flushed_seq AS s FROM ${JOURNALS_TABLE} WHERE journal = ?`).get(name) as { s: number } | undefined
      const from = row?.s ?? 0
      const todo = records.filter((r) => r.seq > from)
      if (todo.length > 0) this.moveTx(todo, name, todo[todo.length - 1]!.seq) // nested: a savepoint of this transaction
      return todo.length
    }).immediate()
    this.wrote()
    removeJournal(path, this.fs)
    this.forgetMark(name)
    if (moved > 0) this.logger?.info(`storage: ${moved} journaled append(s) of a stopped process moved into the update log (${name})`)
  }

  /** Marks whose journal file is gone (a kill between a file's deletion and its mark's). */
  private forgetStaleMarks(): void {
    const dir = dirname(this.path)
    for (const { journal } of this.db.prepare(`SELECT journal FROM ${JOURNALS_TABLE}`).all() as { journal: string }[]) {
      if (!existsSync(join(dir, journal))) this.forgetMark(journal)
    }
  }

  /** After its file is deleted (a file left without its mark would be replayed whole: every update twice); a stale mark is harmless. */
  private forgetMark(name: string): void {
    try {
      this.db.prepare(`DELETE FROM ${JOURNALS_TABLE} WHERE journal = ?`).run(name)
    } catch {
      // removed at the next open (forgetStaleMarks)
    }
  }

  /** A journal whose records are all in the table (its mark says so) goes: the file first, then its mark. */
  private retire(journal: AppendJournal): void {
    try {
      journal.close(true)
    } catch (err) {
      // the mark stays: a replay of what is left moves nothing twice
      this.logger?.error(`storage: the append journal ${journal.name} could not be removed: ${(err as Error).message}`)
      return
    }
    this.forgetMark(journal.name)
  }

  /** Durable (against a crash of the process) when it returns; throws when it could not be made so. */
  append(room: string, updates: Uint8Array[]): void {
    const record: JournalRecord = { seq: this.seq + 1, room, at: Date.now(), updates }
    // a bad batch is refused here, whole (1.2), and is no failure of the journal
    const bytes = encodeRecord(record)
    if (this.journal && this.waitingBytes < MAX_WAITING_BYTES) {
      try {
        this.journal.append(bytes)
      } catch (err) {
        this.giveUpJournal(err)
        return this.commitDirectly(record)
      }
      this.seq++
      this.waiting.push(record)
      // what a waiting update holds in memory: its bytes and the objects around them (small Yjs
      // updates are ~30 bytes, so the bytes alone would let ~6x the limit wait)
      for (const u of updates) this.waitingBytes += u.length + WAITING_OVERHEAD_BYTES
      this.waitingUpdates += updates.length
      // not while moves fail: each attempt (all that waits, up to 32 MiB) would run on the next
      // turn after every append instead of once a second
      const full = this.waitingBytes >= FLUSH_AT_BYTES || this.waitingUpdates >= FLUSH_AT_UPDATES
      this.schedule(full && !this.failing ? 0 : FLUSH_DELAY_MS)
      return
    }
    this.flush() // throws while flushes fail: the append is refused, nothing waits unbounded
    if (this.journal) return this.append(room, updates)
    this.commitDirectly(record)
  }

  /** Moves every journaled batch into the table now (throws when that fails; they stay journaled). */
  flush(): void {
    if (this.waiting.length === 0) return
    const records = this.waiting
    this.moveTx.immediate(records, this.journal?.name ?? null, this.seq)
    this.wrote()
    this.waiting = []
    this.waitingBytes = 0
    this.waitingUpdates = 0
    if (this.failing) this.logger?.info('storage: journaled appends move into the update log again')
    this.failing = false
    if (this.journal && this.journalDeleted()) this.startNewJournal()
    if (this.journal && this.journal.bytes >= RESET_AT_BYTES) {
      try {
        this.journal.reset()
      } catch (err) {
        this.giveUpJournal(err)
      }
    }
  }

  /** Moves what waits and removes the journal (kept, to be replayed, when the move fails). */
  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    let moved = true
    try {
      this.flush()
    } catch (err) {
      moved = false
      this.logger?.error(`storage: journaled appends could not be moved on close, the next start replays them: ${(err as Error).message}`)
    }
    const journal = this.journal
    this.journal = null
    if (!journal) return
    if (moved) return this.retire(journal)
    try {
      journal.close(false)
    } catch {
      // its records are on disk (whole ones up to the last write that returned): the next start replays them
    }
  }

  private schedule(ms: number): void {
    if (this.awaitingCheckpoint) return // its end moves what waits
    if (this.timer && ms > 0) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(this.flushFromTimer, ms)
    this.timer.unref() // a process that exits without close() leaves a journal the next start replays
  }

  private flushFromTimer = (): void => {
    this.timer = null
    if (!this.db.open) return
    // [1.6] a move during the checkpoint's copy would keep the WAL from restarting; the batches
    // are durable in the journal meanwhile
    const checkpoint = this.checkpointInProgress()
    if (checkpoint) {
      // once per checkpoint, not once per append that finds 128 waiting
      this.awaitingCheckpoint = true
      const resume = () => {
        this.awaitingCheckpoint = false
        this.schedule(0)
      }
      void checkpoint.then(resume, resume)
      return
    }
    try {
      this.flush()
    } catch (err) {
      if (!this.failing) this.logger?.error(`storage: journaled appends could not be moved into the update log, retrying: ${(err as Error).message}`)
      this.failing = true
      this.schedule(RETRY_MS)
    }
  }

  private journalDeleted(): boolean {
    try {
      return this.journal!.deleted()
    } catch {
      return false // fstat failed: the next write tells whether the file still works
    }
  }

  /** Its file was deleted (everything it held is in the table now): appends go to a new one. */
  private startNewJournal(): void {
    const old = this.journal!
    this.journal = null
    try {
      old.close(false)
    } catch {
      // the file is gone anyway
    }
    this.forgetMark(old.name)
    try {
      this.journal = AppendJournal.create(this.path, this.fs)
      this.logger?.warn(`storage: the append journal ${old.name} was deleted while in use; appends go to ${this.journal.name}`)
    } catch (err) {
      this.logger?.error(`storage: the append journal ${old.name} was deleted and no new one could be made, appends now commit one by one: ${(err as Error).message}`)
    }
  }

  /** The journal failed: what it holds goes to the table, and appends commit directly from now on. */
  private giveUpJournal(err: unknown): void {
    if (!this.journal) return
    this.logger?.error(`storage: the append journal failed, appends now commit one by one: ${(err as Error).message}`)
    this.flush() // throws when the table fails too: the journal (its whole records) is kept for a replay
    const journal = this.journal // the flush replaces a deleted one
    this.journal = null
    if (journal) this.retire(journal)
  }

  private commitDirectly(record: JournalRecord): void {
    this.moveTx.immediate([record], null, 0)
    this.wrote()
  }
}

