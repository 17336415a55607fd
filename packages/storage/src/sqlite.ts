/**
 * SQLite adapter (better-sqlite3 12, synchronous driver).
 *
 * Durability: journal_mode=WAL with synchronous=NORMAL. A transaction is committed once its
 * frames are written to the WAL file with write(2); they then live in the OS page cache and
 * survive a crash or `kill -9` of this process (only an OS crash / power loss before the next
 * checkpoint fsync can lose the last transactions). So when `appendUpdates` resolves, the
 * updates survive a process crash, as RoomStorage requires. (SPEC rule 1.2)
 */
import { mkdirSync, accessSync, constants as fsConstants } from 'node:fs'
import { dirname, resolve } from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { StorageError } from './errors'
import { MIGRATIONS_TABLE, pendingMigrations, sqliteMigrations, type Migration } from './migrations'
import {
  COP_COLUMNS, SESSION_COLUMNS, SNAPSHOT_INSERT_COLUMNS, SNAPSHOT_META_COLUMNS, SNAPSHOT_PART_COLUMNS, TOKEN_COLUMNS, PART_COLUMNS,
  isPartName, newCop, newSession, newSnapshotMeta, newToken, partValueFromRow, rowToCop, rowToParts, rowToSession,
  rowToSnapshotMeta, rowToToken, snapshotValues, toBuf, toU8, type Row,
} from './rows'
import type {
  Cop, Role, Session, SessionState, SnapshotMeta, SnapshotPartName, SnapshotParts, SnapshotRender, Storage, StorageLogger, TokenRecord,
} from './types'

export interface SqliteStorageOptions {
  logger?: StorageLogger
  /** busy_timeout in ms (another process holding the write lock). Default 5000. */
  busyTimeoutMs?: number
  /** Run migrations on open. Default true. */
  migrate?: boolean
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
    // append that crossed 1000 WAL pages, i.e. an edit on its way to the clients); SqliteStorage
    // checkpoints from its own timer instead (see checkpoint()).
    db.pragma('wal_autocheckpoint = 0')
    // [1.6] a WAL that grew during a burst is cut back to this size once it is checkpointed
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
  } catch (err) {
    db.close()
    throw new StorageError('DATA_DIR_UNWRITABLE', `Cannot use the SQLite database ${path}: ${(err as Error).message}`, { cause: err })
  }
  const storage = new SqliteStorage(db, path, opts.logger)
  if (opts.migrate !== false) {
    try {
      await storage.migrate()
    } catch (err) {
      db.close()
      throw err
    }
  }
  return storage
}

export class SqliteStorage implements Storage {
  readonly backend = 'sqlite' as const
  private readonly statements = new Map<string, Database.Statement>()

  constructor(
    /** The underlying connection (tests, maintenance). */
    readonly db: Database.Database,
    readonly path: string,
    private readonly logger?: StorageLogger,
  ) {}

  /** Prepared statement cache: each SQL text is prepared once. */
  private stmt(sql: string): Database.Statement {
    if (!this.db.open) throw new StorageError('CLOSED')
    let s = this.statements.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.statements.set(sql, s)
    }
    return s
  }

  // ---------------------------------------------------------------- migrations

  async migrate(): Promise<void> {
    if (!this.db.open) throw new StorageError('CLOSED')
    applySqliteMigrations(this.db, sqliteMigrations, this.logger)
  }

  async close(): Promise<void> {
    if (!this.db.open) return
    // appends already requested are written before the database closes
    if (this.pendingAppends.length > 0) this.commitAppends()
    if (this.checkpointTimer) clearInterval(this.checkpointTimer)
    this.checkpointTimer = null
    this.statements.clear()
    this.appendTx = null
    this.db.close()
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get()
  }

  async schemaVersion(): Promise<number> {
    if (!this.db.open) throw new StorageError('CLOSED')
    const t = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MIGRATIONS_TABLE)
    if (!t) return 0
    const r = this.db.prepare(`SELECT MAX(id) AS v FROM ${MIGRATIONS_TABLE}`).get() as { v: number | null }
    return r.v ?? 0
  }

  // ---------------------------------------------------------------- update log

  async loadRoom(room: string): Promise<Uint8Array[]> {
    const rows = this.stmt('SELECT data FROM updates WHERE room = ? ORDER BY seq').all(room) as { data: Buffer }[]
    return rows.map((r) => toU8(r.data))
  }

  async appendUpdates(room: string, updates: Uint8Array[]): Promise<void> {
    if (updates.length === 0) return
    if (!this.db.open) throw new StorageError('CLOSED')
    // Group commit across rooms: every append requested in this turn of the event loop (the sync
    // core flushes all rooms from the same check phase) is written by ONE transaction; each
    // promise resolves only once that transaction committed, and all of them fail together.
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ room, updates, resolve, reject })
      if (this.pendingAppends.length === 1) setImmediate(this.commitAppends)
    })
  }
  private pendingAppends: { room: string; updates: Uint8Array[]; resolve: () => void; reject: (e: unknown) => void }[] = []
  private appendTx: Database.Transaction<(batch: { room: string; updates: Uint8Array[] }[], now: number) => void> | null = null
  private commitAppends = (): void => {
    const batch = this.pendingAppends
    this.pendingAppends = []
    try {
      if (!this.db.open) throw new StorageError('CLOSED')
      // hot path: one prepared statement and one transaction function, made once
      if (!this.appendTx) {
        const insert = this.stmt('INSERT INTO updates (room, data, created_at) VALUES (?, ?, ?)')
        this.appendTx = this.db.transaction((b: { room: string; updates: Uint8Array[] }[], now: number) => {
          for (const a of b) for (const u of a.updates) insert.run(a.room, toBuf(u), now)
        })
      }
      this.appendTx.immediate(batch, Date.now())
    } catch (err) {
      for (const a of batch) a.reject(err)
      return
    }
    this.wrote()
    for (const a of batch) a.resolve()
  }

  /** [1.6] Every write (appends, compactions, deletions) leaves WAL frames for the checkpoint timer. */
  private wrote(): void {
    this.walDirty = true
    if (!this.checkpointTimer) {
      this.checkpointTimer = setInterval(this.checkpoint, CHECKPOINT_INTERVAL_MS)
      this.checkpointTimer.unref()
    }
  }

  private walDirty = false
  private checkpointTimer: ReturnType<typeof setInterval> | null = null
  /**
   * The WAL is copied back into the database from a timer of its own (PASSIVE: never waits for
   * readers or writers), not inside an append's COMMIT: the checkpoint's fsyncs no longer delay
   * an edit on its way to the clients, and the WAL stays bounded (a few seconds of appends).
   * Durability is unchanged: a commit is in the WAL file before appendUpdates resolves.
   */
  private checkpoint = (): void => {
    if (!this.walDirty || !this.db.open) return
    this.walDirty = false
    try {
      const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[]
      // [1.6] everything is in the database file now: a WAL beyond the limit is truncated (cheap:
      // nothing left to copy), so churn of many rooms cannot leave a WAL many times the database
      if (r && r.busy === 0 && r.checkpointed === r.log && r.log * this.pageSize() > WAL_SIZE_LIMIT_BYTES) {
        this.db.pragma('wal_checkpoint(TRUNCATE)')
      }
    } catch (err) {
      // SQLITE_BUSY from another process's checkpoint etc.: the next tick tries again
      this.walDirty = true
      this.logger?.warn(`storage: WAL checkpoint failed: ${(err as Error).message}`)
    }
  }

  private pageBytes = 0
  private pageSize(): number {
    return (this.pageBytes ||= Number(this.db.pragma('page_size', { simple: true })))
  }

  async compactRoom(room: string): Promise<{ updatesBefore: number; bytesAfter: number }> {
    const select = this.stmt('SELECT seq, data FROM updates WHERE room = ? ORDER BY seq')
    const del = this.stmt('DELETE FROM updates WHERE room = ? AND seq <= ?')
    const insert = this.stmt('INSERT INTO updates (seq, room, data, created_at) VALUES (?, ?, ?, ?)')
    for (let attempt = 0; ; attempt++) {
      // read, merge and write each in a macrotask of their own: a compaction never holds the event
      // loop for all three (appends made in between stay after the merged entry, see below)
      await yieldToLoop()
      if (!this.db.open) throw new StorageError('CLOSED')
      const rows = select.all(room) as { seq: number; data: Buffer }[]
      if (rows.length <= 1) return { updatesBefore: rows.length, bytesAfter: rows[0]?.data.byteLength ?? 0 }
      await yieldToLoop()
      const merged = Y.mergeUpdates(rows.map((r) => toU8(r.data)))
      await yieldToLoop()
      if (!this.db.open) throw new StorageError('CLOSED')
      const maxSeq = rows[rows.length - 1]!.seq
      // One transaction: remove exactly the merged entries and put the merged update at the
      // position of the newest one, so appends made after the read stay after it.
      const ok = this.db.transaction(() => {
        const { changes } = del.run(room, maxSeq)
        if (changes !== rows.length) throw new CompactionConflict()
        insert.run(maxSeq, room, toBuf(merged), Date.now())
        return true
      })
      try {
        ok.immediate()
        this.wrote()
        return { updatesBefore: rows.length, bytesAfter: merged.byteLength }
      } catch (err) {
        // Another process compacted the same room between our read and write: read again.
        if (err instanceof CompactionConflict && attempt < 3) continue
        throw err
      }
    }
  }

  async countUpdates(room: string): Promise<number> {
    const r = this.stmt('SELECT COUNT(*) AS n FROM updates WHERE room = ?').get(room) as { n: number }
    return r.n
  }

  async deleteRoom(room: string): Promise<number> {
    const { changes } = this.stmt('DELETE FROM updates WHERE room = ?').run(room)
    if (changes > 0) this.wrote()
    return changes
  }

  async listRooms(): Promise<string[]> {
    const rows = this.stmt('SELECT DISTINCT room FROM updates ORDER BY room').all() as { room: string }[]
    return rows.map((r) => r.room)
  }

  // ---------------------------------------------------------------- CoPs

  async createCop(input: Omit<Cop, 'id' | 'createdAt'>): Promise<Cop> {
    const cop = newCop(input)
    this.stmt('INSERT INTO cops (id, name, theme, co_host, created_at) VALUES (?, ?, ?, ?, ?)').run(
      cop.id, cop.name, cop.theme, cop.coHost, cop.createdAt,
    )
    return cop
  }

  async getCop(id: string): Promise<Cop | null> {
    const r = this.stmt(`SELECT ${COP_COLUMNS} FROM cops WHERE id = ?`).get(id) as Row | undefined
    return r ? rowToCop(r) : null
  }

  // ---------------------------------------------------------------- sessions

  async createSession(
    input: Omit<Session, 'id' | 'number' | 'room' | 'createdAt' | 'startedAt' | 'endedAt' | 'state'>,
  ): Promise<Session> {
    const bump = this.stmt('UPDATE cops SET session_count = session_count + 1 WHERE id = ? RETURNING session_count')
    const insert = this.stmt(
      `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)`,
    )
    const tx = this.db.transaction((): Session => {
      const r = bump.get(input.copId) as { session_count: number } | undefined
      if (!r) throw new StorageError('COP_NOT_FOUND', `CoP ${input.copId} does not exist`)
      const s = newSession(input, r.session_count)
      insert.run(s.id, s.copId, s.number, s.title, s.date, s.state, JSON.stringify(s.start), s.room, s.createdAt)
      return s
    })
    return tx.immediate()
  }

  async getSession(id: string): Promise<Session | null> {
    const r = this.stmt(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`).get(id) as Row | undefined
    return r ? rowToSession(r) : null
  }

  async getSessionByRoom(room: string): Promise<Session | null> {
    const r = this.stmt(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE room = ?`).get(room) as Row | undefined
    return r ? rowToSession(r) : null
  }

  async listSessions(copId: string): Promise<Session[]> {
    const rows = this.stmt(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE cop_id = ? ORDER BY number`).all(copId) as Row[]
    return rows.map(rowToSession)
  }

  async transitionSession(id: string, from: SessionState, to: SessionState, at: string): Promise<Session | null> {
    const r = this.stmt(
      `UPDATE sessions SET state = ?,
         started_at = CASE WHEN ? = 'live' THEN ? ELSE started_at END,
         ended_at = CASE WHEN ? = 'ended' THEN ? ELSE ended_at END
       WHERE id = ? AND state = ? RETURNING ${SESSION_COLUMNS}`,
    ).get(to, to, at, to, at, id, from) as Row | undefined
    return r ? rowToSession(r) : null
  }

  // ---------------------------------------------------------------- tokens

  async createToken(input: { copId: string; role: Role; label: string; secretHash: string }): Promise<TokenRecord> {
    const t = newToken(input)
    try {
      this.stmt('INSERT INTO tokens (id, cop_id, role, label, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        t.id, t.copId, t.role, t.label, input.secretHash, t.createdAt,
      )
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new StorageError('COP_NOT_FOUND', `CoP ${input.copId} does not exist`, { cause: err })
      }
      throw err
    }
    return t
  }

  async findTokenByHash(secretHash: string): Promise<TokenRecord | null> {
    const r = this.stmt(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE secret_hash = ?`).get(secretHash) as Row | undefined
    return r ? rowToToken(r) : null
  }

  async listTokens(copId: string): Promise<TokenRecord[]> {
    const rows = this.stmt(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE cop_id = ? ORDER BY created_at, rowid`).all(copId) as Row[]
    return rows.map(rowToToken)
  }

  async revokeToken(copId: string, tokenId: string, at: string): Promise<boolean> {
    const { changes } = this.stmt(
      'UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND cop_id = ?',
    ).run(at, tokenId, copId)
    return changes > 0
  }

  // ---------------------------------------------------------------- snapshots

  async createSnapshot(input: Omit<SnapshotMeta, 'id' | 'createdAt'>, parts: SnapshotParts): Promise<SnapshotMeta> {
    const s = newSnapshotMeta(input)
    try {
      this.stmt(`INSERT INTO snapshots (${SNAPSHOT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...snapshotValues(s, parts))
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new StorageError('SESSION_NOT_FOUND', `Session ${input.sessionId} of CoP ${input.copId} does not exist`, { cause: err })
      }
      throw err
    }
    return s
  }

  async completeSnapshotRender(id: string, images: SnapshotRender, meta: Record<string, unknown>): Promise<boolean> {
    const r = this.stmt(`UPDATE snapshots SET svg = ?, png = ?, thumbnail_png = ?, meta_json = ? WHERE id = ?`).run(
      images.svg, images.png ? toBuf(images.png) : null, images.thumbnailPng ? toBuf(images.thumbnailPng) : null, JSON.stringify(meta), id,
    )
    return r.changes > 0
  }

  async listSnapshots(copId: string): Promise<SnapshotMeta[]> {
    const rows = this.stmt(
      `SELECT ${SNAPSHOT_META_COLUMNS} FROM snapshots WHERE cop_id = ? ORDER BY created_at, rowid`,
    ).all(copId) as Row[]
    return rows.map(rowToSnapshotMeta)
  }

  async getSnapshot(id: string): Promise<SnapshotMeta | null> {
    const r = this.stmt(`SELECT ${SNAPSHOT_META_COLUMNS} FROM snapshots WHERE id = ?`).get(id) as Row | undefined
    return r ? rowToSnapshotMeta(r) : null
  }

  async getSnapshotPart<K extends SnapshotPartName>(id: string, part: K): Promise<SnapshotParts[K] | null> {
    if (!isPartName(part)) throw new TypeError(`Unknown snapshot part ${String(part)}`)
    const { column, binary } = PART_COLUMNS[part]
    const r = this.stmt(`SELECT ${column} AS v FROM snapshots WHERE id = ?`).get(id) as { v: unknown } | undefined
    if (!r) return null
    return partValueFromRow(r.v, binary) as SnapshotParts[K] | null
  }

  async getSnapshotParts(id: string): Promise<SnapshotParts | null> {
    const r = this.stmt(
      `SELECT ${SNAPSHOT_PART_COLUMNS} FROM snapshots WHERE id = ?`,
    ).get(id) as Row | undefined
    return r ? rowToParts(r) : null
  }
}

class CompactionConflict extends Error {}

/** How often appended WAL frames are checkpointed into the database file. */
const CHECKPOINT_INTERVAL_MS = 2000
/** [1.6] Largest WAL left on disk after a checkpoint. */
const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r))

function applySqliteMigrations(db: Database.Database, migrations: readonly Migration[], logger?: StorageLogger): void {
  // BEGIN IMMEDIATE takes the write lock first, so two processes migrating the same file serialise.
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
    const applied = new Set((db.prepare(`SELECT id FROM ${MIGRATIONS_TABLE}`).all() as { id: number }[]).map((r) => r.id))
    for (const m of pendingMigrations(migrations, applied)) {
      try {
        db.exec(m.sql)
      } catch (err) {
        throw new StorageError('MIGRATION_FAILED', `SQLite migration ${m.id} (${m.name}) failed: ${(err as Error).message}`, { cause: err })
      }
      db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (id, name, applied_at) VALUES (?, ?, ?)`).run(m.id, m.name, new Date().toISOString())
      logger?.info(`storage: applied SQLite migration ${m.id} (${m.name})`)
    }
  }).immediate()
}
