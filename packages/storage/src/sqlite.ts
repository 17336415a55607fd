/**
 * SQLite driver (better-sqlite3 12, synchronous): the SqlDb the model layer runs on.
 *
 * Durability: an append is written to the append journal first (sqliteAppends.ts, SPEC 1.7) and
 * moved into the table in batches; every other write is a transaction. journal_mode=WAL with
 * synchronous=NORMAL: a transaction is committed once its frames are written to the WAL file with
 * write(2); journal records and WAL frames then live in the OS page cache and survive a crash or
 * `kill -9` of this process (only an OS crash / power loss before the next checkpoint fsync can
 * lose the last writes). So when `appendUpdates` resolves, the updates survive a process crash,
 * as RoomStorage requires. (SPEC rule 1.2)
 */
import { mkdirSync, accessSync, constants as fsConstants } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { StorageError } from './errors'
import { sqliteMigrations } from './migrations'
import { migrateOnOpen, SqlStorage } from './model/storage'
import { runBodySync, type SqlDb, type TxBody, type TxStatement } from './sql'
import { SqliteAppends } from './sqliteAppends'
import type { JournalFs } from './appendJournal'
import { WAL_SIZE_LIMIT_BYTES, WalCheckpointer, type CheckpointPlace, type WalCheckpointerOptions } from './walCheckpointer'
import type { StorageLogger } from './types'

export interface SqliteStorageOptions {
  logger?: StorageLogger
  /** busy_timeout in ms (another process holding the write lock). Default 5000. */
  busyTimeoutMs?: number
  /** Run migrations on open. Default true. */
  migrate?: boolean
  /** Tests: the append journal's file operations (failing ones). */
  journalFs?: JournalFs
  /** Tests: the WAL checkpointer's worker (one that fails to start). */
  checkpoint?: WalCheckpointerOptions
}

/** Opens (creating when missing) the SQLite database file and runs migrations. */
export async function openSqliteStorage(file: string, opts: SqliteStorageOptions = {}): Promise<SqliteStorage> {
  const path = resolve(file)
  let db: Database.Database
  try {
    mkdirSync(dirname(path), { recursive: true })
    accessSync(dirname(path), fsConstants.W_OK)
    db = new Database(path)
  } catch (err) {
    throw new StorageError(
      'DATA_DIR_UNWRITABLE',
      `Cannot open the SQLite database ${path}: ${(err as Error).message} (check DATA_DIR)`,
      { cause: err },
    )
  }
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`)
    db.pragma('foreign_keys = ON')
    // PERF: no automatic checkpoint inside COMMIT (its two fsyncs, ~10 ms here, would stall the
    // append that crossed 1000 WAL pages, i.e. an edit on its way to the clients); SqliteDb
    // checkpoints from its own timer instead (walCheckpointer.ts).
    db.pragma('wal_autocheckpoint = 0')
    // [1.6] a WAL that grew during a burst is cut back to this size once it is checkpointed
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
    // MEMORY (issue 12): better-sqlite3 is built with a 16 MB page cache (SQLite's own default is
    // 2 MB); every page a room's log wrote or read stayed cached there, ~120 KiB of native memory
    // per loaded 200-note board, and 16 MiB of malloc'ed pages after churn. Appends touch the last
    // pages of the log's b-trees and a room is read once when it loads (from the OS page cache).
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`)
  } catch (err) {
    db.close()
    throw new StorageError('DATA_DIR_UNWRITABLE', `Cannot use the SQLite database ${path}: ${(err as Error).message}`, { cause: err })
  }
  const storage = await migrateOnOpen(new SqliteStorage(db, path, opts.logger, opts.checkpoint), opts.migrate !== false)
  try {
    storage.openJournal(opts.journalFs)
  } catch (err) {
    await storage.close().catch(() => {})
    throw new StorageError('DATA_DIR_UNWRITABLE', `Cannot use the append journal beside ${path}: ${(err as Error).message}`, { cause: err })
  }
  return storage
}

export class SqliteStorage extends SqlStorage {
  readonly backend = 'sqlite' as const

  constructor(
    /** The underlying connection (tests, maintenance). */
    readonly db: Database.Database,
    readonly path: string,
    logger?: StorageLogger,
    checkpoint?: WalCheckpointerOptions,
  ) {
    super(new SqliteDb(db, path, logger, checkpoint), logger)
  }

  /** [1.6] Checkpoints the WAL now; says where it ran (tests, maintenance). */
  checkpointWal(): Promise<CheckpointPlace> {
    return (this.sql as SqliteDb).checkpointWal()
  }

  /** [1.7] Replays the journals of stopped processes and starts this handle's own (after the migrations). */
  openJournal(fs?: JournalFs): void {
    ;(this.sql as SqliteDb).appends.open(fs)
  }
}

class SqliteDb implements SqlDb {
  readonly backend = 'sqlite' as const
  readonly label = 'SQLite'
  readonly migrations = sqliteMigrations
  readonly tableExistsSql = "SELECT 1 AS t FROM sqlite_master WHERE type = 'table' AND name = ?"
  readonly migrationLockSql = null // BEGIN IMMEDIATE takes the write lock first
  readonly insertionOrder = 'rowid'

  /** Prepared once per SQL text, with whether it reads or writes the update log ([1.7]: the journaled appends move first). */
  private readonly statements = new Map<string, { st: Database.Statement; touchesLog: boolean }>()

  private readonly checkpoints: WalCheckpointer
  /** [1.7] appends: journal first, table in batches */
  readonly appends: SqliteAppends

  constructor(
    private readonly db: Database.Database,
    path: string,
    logger?: StorageLogger,
    checkpointOpts?: WalCheckpointerOptions,
  ) {
    this.checkpoints = new WalCheckpointer(db, path, logger, checkpointOpts)
    // [1.6] the journal's moves wait for a checkpoint in progress
    this.appends = new SqliteAppends(db, path, () => this.wrote(), logger, () => this.checkpoints.inProgress)
  }

  isForeignKeyViolation(err: unknown): boolean {
    return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
  }

  /** Prepared statement cache: each SQL text is prepared once. */
  private stmt(sql: string): { st: Database.Statement; touchesLog: boolean } {
    if (!this.db.open) throw new StorageError('CLOSED')
    let s = this.statements.get(sql)
    if (!s) {
      s = { st: this.db.prepare(sql), touchesLog: /\bupdates\b/i.test(sql) }
      this.statements.set(sql, s)
    }
    return s
  }

  all<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.inTurn(() => this.execute({ kind: 'all', sql, params }) as R[])
  }

  get<R>(sql: string, params: readonly unknown[] = []): Promise<R | undefined> {
    return this.inTurn(() => this.execute({ kind: 'get', sql, params }) as R | undefined)
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.inTurn(() => this.execute({ kind: 'run', sql, params }) as number)
  }

  /** Synchronous from BEGIN IMMEDIATE to COMMIT: nothing else of this process runs in between. */
  transaction<T>(body: () => TxBody<T>): Promise<T> {
    return this.inTurn(() => {
      if (!this.db.open) throw new StorageError('CLOSED')
      this.appends.flush() // [1.7] it sees every append made before it
      const out = this.db.transaction(() => runBodySync(body(), this.execute)).immediate()
      this.wrote()
      return out
    })
  }

  private execute = (s: TxStatement): unknown => {
    if (s.kind === 'exec') return void this.db.exec(s.sql) // only inside transaction(), which checked db.open
    const { st, touchesLog } = this.stmt(s.sql)
    // [1.7] it sees every append made before it; other tables are read (and written) while a move
    // fails (disk full, database locked by another process), as before the journal
    if (!this.db.inTransaction && touchesLog) this.appends.flush()
    if (s.kind === 'all') return st.all(...s.params)
    if (s.kind === 'get') return st.get(...s.params)
    const { changes } = st.run(...s.params)
    if (changes > 0) this.wrote()
    return changes
  }

  /** [1.6] Statements queued behind a checkpoint that have not run yet, and the last one's turn. */
  private queuedStatements = 0
  private queueTail: Promise<void> = Promise.resolve()

  /**
   * [1.6] Runs `statement` in the caller's turn, or, while the worker checkpoints or statements
   * made before still wait for it, after them (reads too, so they keep their order): a write
   * during the copy would keep the WAL from restarting. `queuedStatements` goes down right
   * before a queued statement runs (the queue's turns resolve in order). A checkpoint starts
   * from a timer, never between a turn and its statement.
   */
  private async inTurn<T>(statement: () => T): Promise<T> {
    const queued = this.queueBehindCheckpoint()
    if (queued) {
      await queued
      this.queuedStatements--
    }
    return statement()
  }

  /** null: nothing to wait for. */
  private queueBehindCheckpoint(): Promise<void> | null {
    if (this.queuedStatements === 0 && !this.checkpoints.inProgress) return null
    this.queuedStatements++
    const turn = this.queueTail.then(() => this.afterCheckpoints())
    this.queueTail = turn
    return turn
  }

  private async afterCheckpoints(): Promise<void> {
    for (let running = this.checkpoints.inProgress; running; running = this.checkpoints.inProgress) await running
  }

  /** [1.6] Checkpoints the WAL now; says where it ran (tests, maintenance). */
  checkpointWal(): Promise<CheckpointPlace> {
    return this.checkpoints.checkpointNow()
  }

  async close(): Promise<void> {
    this.closing ??= this.closeOnce()
    return this.closing
  }

  private closing: Promise<void> | null = null

  private async closeOnce(): Promise<void> {
    if (!this.db.open) return
    // appends already made are moved into the table before the database closes (after the
    // worker's checkpoint, which then ends with its connection)
    await this.checkpoints.stop()
    this.appends.close()
    this.statements.clear()
    this.db.close()
  }

  // ---------------------------------------------------------------- update log hot path

  /** [1.7] Journaled first (one write(2)), moved into the table in batches: sqliteAppends.ts. */
  async appendUpdates(room: string, updates: Uint8Array[]): Promise<void> {
    if (updates.length === 0) return
    if (!this.db.open) throw new StorageError('CLOSED')
    this.appends.append(room, updates)
  }

  /** [1.6] Every write (appends, compactions, deletions) leaves WAL frames for the checkpointer. */
  private wrote(): void {
    this.checkpoints.wrote()
  }
}

/** SQLite's page cache, KiB (a negative cache_size is in KiB). */
const PAGE_CACHE_KIB = 2048
