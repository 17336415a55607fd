/**
 * PostgreSQL adapter (pg Pool). Same semantics as the SQLite adapter: BYTEA for binary data,
 * BIGSERIAL for the update log order, transactions where several statements must be atomic,
 * parameterised queries only. A statement is durable when it returns (PostgreSQL fsyncs its WAL
 * on commit with the default synchronous_commit=on).
 */
// pg is loaded on first use (PERF): a SQLite deployment does not pay its ~15 MiB of RSS
import type pg from 'pg'
import * as Y from 'yjs'
import { StorageError } from './errors'
import { MIGRATIONS_TABLE, pendingMigrations, postgresMigrations, type Migration } from './migrations'
import {
  COP_COLUMNS, SESSION_COLUMNS, SNAPSHOT_INSERT_COLUMNS, SNAPSHOT_META_COLUMNS, SNAPSHOT_PART_COLUMNS, TOKEN_COLUMNS, PART_COLUMNS,
  isPartName, newCop, newSession, newSnapshotMeta, newToken, partValueFromRow, rowToCop, rowToParts, rowToSession,
  rowToSnapshotMeta, rowToToken, snapshotValues, toBuf, toU8, type Row,
} from './rows'
import type {
  Cop, Role, Session, SessionState, SnapshotMeta, SnapshotPartName, SnapshotParts, SnapshotRender, Storage, StorageLogger, TokenRecord,
} from './types'

export interface PostgresStorageOptions {
  logger?: StorageLogger
  /** Use (and create) this schema; otherwise the server's default search_path. [a-z_][a-z0-9_]* */
  schema?: string
  /** Connect timeout in ms. Default 5000. */
  connectTimeoutMs?: number
  /** Pool size. Default 10. */
  poolSize?: number
  /** Run migrations on open. Default true. */
  migrate?: boolean
}

const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/

/** `postgres://user:***@host:port/db` — never log a password. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable URL)'
  }
}

/** Throws StorageError BAD_DATABASE_URL unless `url` is a postgres:// or postgresql:// URL with a host. */
export function validateDatabaseUrl(url: string): void {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new StorageError('BAD_DATABASE_URL', `DATABASE_URL is not a valid URL (expected postgres://user@host:5432/db)`)
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new StorageError(
      'BAD_DATABASE_URL',
      `DATABASE_URL must start with postgres:// or postgresql://, got ${u.protocol}// (${describeDatabaseUrl(url)})`,
    )
  }
  if (!u.hostname) {
    throw new StorageError('BAD_DATABASE_URL', `DATABASE_URL has no host (${describeDatabaseUrl(url)})`)
  }
}

/** Connects (failing fast with a readable StorageError), creates the schema if asked, runs migrations. */
export async function openPostgresStorage(url: string, opts: PostgresStorageOptions = {}): Promise<PostgresStorage> {
  validateDatabaseUrl(url)
  if (opts.schema !== undefined && !SCHEMA_RE.test(opts.schema)) {
    throw new StorageError('BAD_DATABASE_URL', `PostgreSQL schema name ${JSON.stringify(opts.schema)} is not allowed (use [a-z_][a-z0-9_]*)`)
  }
  const { default: pgModule } = await import('pg')
  const pool = new pgModule.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  })
  // An idle client losing its connection must not crash the process: log it, the pool replaces it.
  pool.on('error', (err) => opts.logger?.error(`storage: PostgreSQL idle client error: ${err.message}`))
  let client: pg.PoolClient
  try {
    client = await pool.connect()
    await client.query('SELECT 1')
  } catch (err) {
    await pool.end().catch(() => {})
    const e = err as Error & { code?: string }
    throw new StorageError(
      'DB_UNREACHABLE',
      `Cannot connect to PostgreSQL at ${describeDatabaseUrl(url)}: ${e.message || e.code || String(err)}`,
      { cause: err },
    )
  }
  try {
    if (opts.schema) {
      // CREATE SCHEMA IF NOT EXISTS races between processes: serialise it with an advisory lock.
      await client.query('BEGIN')
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`copboard.schema:${opts.schema}`])
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`)
      await client.query('COMMIT')
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    client.release()
    await pool.end().catch(() => {})
    throw new StorageError('MIGRATION_FAILED', `Cannot create PostgreSQL schema ${opts.schema}: ${(err as Error).message}`, { cause: err })
  }
  client.release()
  const storage = new PostgresStorage(pool, opts.logger)
  if (opts.migrate !== false) {
    try {
      await storage.migrate()
    } catch (err) {
      await pool.end().catch(() => {})
      throw err
    }
  }
  return storage
}

export class PostgresStorage implements Storage {
  readonly backend = 'postgres' as const
  private closed = false

  constructor(
    readonly pool: pg.Pool,
    private readonly logger?: StorageLogger,
  ) {}

  private async q<R extends Row = Row>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.closed) throw new StorageError('CLOSED')
    return this.pool.query<R>(sql, params)
  }

  /** Runs `fn` in one transaction on one client. */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError('CLOSED')
    const c = await this.pool.connect()
    try {
      await c.query('BEGIN')
      const out = await fn(c)
      await c.query('COMMIT')
      return out
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      c.release()
    }
  }

  // ---------------------------------------------------------------- migrations

  async migrate(): Promise<void> {
    await this.tx((c) => applyPostgresMigrations(c, postgresMigrations, this.logger))
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.pool.end()
  }

  async ping(): Promise<void> {
    await this.q('SELECT 1')
  }

  async schemaVersion(): Promise<number> {
    const t = await this.q<{ t: string | null }>('SELECT to_regclass($1) AS t', [MIGRATIONS_TABLE])
    if (!t.rows[0]?.t) return 0
    const r = await this.q<{ v: number | null }>(`SELECT MAX(id) AS v FROM ${MIGRATIONS_TABLE}`)
    return r.rows[0]?.v ?? 0
  }

  // ---------------------------------------------------------------- update log

  async loadRoom(room: string): Promise<Uint8Array[]> {
    const r = await this.q<{ data: Buffer }>('SELECT data FROM updates WHERE room = $1 ORDER BY seq', [room])
    return r.rows.map((row) => toU8(row.data))
  }

  async appendUpdates(room: string, updates: Uint8Array[]): Promise<void> {
    if (updates.length === 0) return
    if (updates.length <= APPEND_CHUNK) return insertUpdates((sql, p) => this.q(sql, p), room, updates)
    await this.tx((c) => insertUpdates((sql, p) => c.query(sql, p), room, updates))
  }

  async compactRoom(room: string): Promise<{ updatesBefore: number; bytesAfter: number }> {
    for (let attempt = 0; ; attempt++) {
      const { rows } = await this.q<{ seq: string; data: Buffer }>('SELECT seq, data FROM updates WHERE room = $1 ORDER BY seq', [room])
      if (rows.length <= 1) return { updatesBefore: rows.length, bytesAfter: rows[0]?.data.byteLength ?? 0 }
      const merged = Y.mergeUpdates(rows.map((r) => toU8(r.data)))
      const seqs = rows.map((r) => r.seq)
      const maxSeq = seqs[seqs.length - 1]!
      try {
        await this.tx(async (c) => {
          // Delete exactly the entries that were merged (an append that commits late with a
          // lower seq is never touched), then put the merged update at the newest one's seq.
          const del = await c.query('DELETE FROM updates WHERE room = $1 AND seq = ANY($2::bigint[])', [room, seqs])
          if (del.rowCount !== rows.length) throw new CompactionConflict()
          await c.query('INSERT INTO updates (seq, room, data, created_at) VALUES ($1, $2, $3, $4)', [maxSeq, room, toBuf(merged), Date.now()])
        })
        return { updatesBefore: rows.length, bytesAfter: merged.byteLength }
      } catch (err) {
        // A concurrent compaction of the same room removed some of our entries: read again.
        if (err instanceof CompactionConflict && attempt < 3) continue
        throw err
      }
    }
  }

  async countUpdates(room: string): Promise<number> {
    const r = await this.q<{ n: string }>('SELECT COUNT(*) AS n FROM updates WHERE room = $1', [room])
    return Number(r.rows[0]!.n)
  }

  async deleteRoom(room: string): Promise<number> {
    const r = await this.q('DELETE FROM updates WHERE room = $1', [room])
    return r.rowCount ?? 0
  }

  async listRooms(): Promise<string[]> {
    const r = await this.q<{ room: string }>('SELECT DISTINCT room FROM updates ORDER BY room')
    return r.rows.map((x) => x.room)
  }

  // ---------------------------------------------------------------- CoPs

  async createCop(input: Omit<Cop, 'id' | 'createdAt'>): Promise<Cop> {
    const cop = newCop(input)
    await this.q('INSERT INTO cops (id, name, theme, co_host, created_at) VALUES ($1, $2, $3, $4, $5)', [
      cop.id, cop.name, cop.theme, cop.coHost, cop.createdAt,
    ])
    return cop
  }

  async getCop(id: string): Promise<Cop | null> {
    const r = await this.q(`SELECT ${COP_COLUMNS} FROM cops WHERE id = $1`, [id])
    return r.rows[0] ? rowToCop(r.rows[0]) : null
  }

  // ---------------------------------------------------------------- sessions

  async createSession(
    input: Omit<Session, 'id' | 'number' | 'room' | 'createdAt' | 'startedAt' | 'endedAt' | 'state'>,
  ): Promise<Session> {
    return this.tx(async (c) => {
      // The row lock on the CoP serialises number allocation between concurrent callers.
      const bump = await c.query<{ session_count: number }>(
        'UPDATE cops SET session_count = session_count + 1 WHERE id = $1 RETURNING session_count',
        [input.copId],
      )
      const n = bump.rows[0]?.session_count
      if (n === undefined) throw new StorageError('COP_NOT_FOUND', `CoP ${input.copId} does not exist`)
      const s = newSession(input, Number(n))
      await c.query(
        `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, $9)`,
        [s.id, s.copId, s.number, s.title, s.date, s.state, JSON.stringify(s.start), s.room, s.createdAt],
      )
      return s
    })
  }

  async getSession(id: string): Promise<Session | null> {
    const r = await this.q(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [id])
    return r.rows[0] ? rowToSession(r.rows[0]) : null
  }

  async getSessionByRoom(room: string): Promise<Session | null> {
    const r = await this.q(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE room = $1`, [room])
    return r.rows[0] ? rowToSession(r.rows[0]) : null
  }

  async listSessions(copId: string): Promise<Session[]> {
    const r = await this.q(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE cop_id = $1 ORDER BY number`, [copId])
    return r.rows.map(rowToSession)
  }

  async transitionSession(id: string, from: SessionState, to: SessionState, at: string): Promise<Session | null> {
    const r = await this.q(
      `UPDATE sessions SET state = $1::text,
         started_at = CASE WHEN $1::text = 'live' THEN $2::text ELSE started_at END,
         ended_at = CASE WHEN $1::text = 'ended' THEN $2::text ELSE ended_at END
       WHERE id = $3 AND state = $4 RETURNING ${SESSION_COLUMNS}`,
      [to, at, id, from],
    )
    return r.rows[0] ? rowToSession(r.rows[0]) : null
  }

  // ---------------------------------------------------------------- tokens

  async createToken(input: { copId: string; role: Role; label: string; secretHash: string }): Promise<TokenRecord> {
    const t = newToken(input)
    try {
      await this.q('INSERT INTO tokens (id, cop_id, role, label, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        t.id, t.copId, t.role, t.label, input.secretHash, t.createdAt,
      ])
    } catch (err) {
      if ((err as { code?: string }).code === '23503') {
        throw new StorageError('COP_NOT_FOUND', `CoP ${input.copId} does not exist`, { cause: err })
      }
      throw err
    }
    return t
  }

  async findTokenByHash(secretHash: string): Promise<TokenRecord | null> {
    const r = await this.q(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE secret_hash = $1`, [secretHash])
    return r.rows[0] ? rowToToken(r.rows[0]) : null
  }

  async listTokens(copId: string): Promise<TokenRecord[]> {
    const r = await this.q(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE cop_id = $1 ORDER BY created_at, seq`, [copId])
    return r.rows.map(rowToToken)
  }

  async revokeToken(copId: string, tokenId: string, at: string): Promise<boolean> {
    const r = await this.q('UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND cop_id = $3', [at, tokenId, copId])
    return (r.rowCount ?? 0) > 0
  }

  // ---------------------------------------------------------------- snapshots

  async createSnapshot(input: Omit<SnapshotMeta, 'id' | 'createdAt'>, parts: SnapshotParts): Promise<SnapshotMeta> {
    const s = newSnapshotMeta(input)
    try {
      await this.q(
        `INSERT INTO snapshots (${SNAPSHOT_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        snapshotValues(s, parts),
      )
    } catch (err) {
      if ((err as { code?: string }).code === '23503') {
        throw new StorageError('SESSION_NOT_FOUND', `Session ${input.sessionId} of CoP ${input.copId} does not exist`, { cause: err })
      }
      throw err
    }
    return s
  }

  async completeSnapshotRender(id: string, images: SnapshotRender, meta: Record<string, unknown>): Promise<boolean> {
    const r = await this.q(`UPDATE snapshots SET svg = $1, png = $2, thumbnail_png = $3, meta_json = $4 WHERE id = $5`, [
      images.svg, images.png ? toBuf(images.png) : null, images.thumbnailPng ? toBuf(images.thumbnailPng) : null, JSON.stringify(meta), id,
    ])
    return (r.rowCount ?? 0) > 0
  }

  async listSnapshots(copId: string): Promise<SnapshotMeta[]> {
    const r = await this.q(`SELECT ${SNAPSHOT_META_COLUMNS} FROM snapshots WHERE cop_id = $1 ORDER BY created_at, seq`, [copId])
    return r.rows.map(rowToSnapshotMeta)
  }

  async getSnapshot(id: string): Promise<SnapshotMeta | null> {
    const r = await this.q(`SELECT ${SNAPSHOT_META_COLUMNS} FROM snapshots WHERE id = $1`, [id])
    return r.rows[0] ? rowToSnapshotMeta(r.rows[0]) : null
  }

  async getSnapshotPart<K extends SnapshotPartName>(id: string, part: K): Promise<SnapshotParts[K] | null> {
    if (!isPartName(part)) throw new TypeError(`Unknown snapshot part ${String(part)}`)
    const { column, binary } = PART_COLUMNS[part]
    const r = await this.q<{ v: unknown }>(`SELECT ${column} AS v FROM snapshots WHERE id = $1`, [id])
    if (!r.rows[0]) return null
    return partValueFromRow(r.rows[0].v, binary) as SnapshotParts[K] | null
  }

  async getSnapshotParts(id: string): Promise<SnapshotParts | null> {
    const r = await this.q(
      `SELECT ${SNAPSHOT_PART_COLUMNS} FROM snapshots WHERE id = $1`,
      [id],
    )
    return r.rows[0] ? rowToParts(r.rows[0]) : null
  }
}

class CompactionConflict extends Error {}

const APPEND_CHUNK = 1000

/**
 * Appends a room's updates with `run` (a pool, or one client: the room lease of §6 appends on
 * the connection that holds the room's lock). One multi-row INSERT per chunk: atomic per
 * statement, rows get their seq in VALUES order. More than one chunk (huge batches only) must
 * run inside a transaction the caller opened.
 */
export async function insertUpdates(run: (sql: string, params: unknown[]) => Promise<unknown>, room: string, updates: Uint8Array[]): Promise<void> {
  const now = Date.now()
  for (let i = 0; i < updates.length; i += APPEND_CHUNK) {
    const params: unknown[] = [room, now]
    const values = updates.slice(i, i + APPEND_CHUNK).map((u, j) => {
      params.push(toBuf(u))
      return `($1, $${j + 3}, $2)`
    })
    await run(`INSERT INTO updates (room, data, created_at) VALUES ${values.join(', ')}`, params)
  }
}

async function applyPostgresMigrations(c: pg.PoolClient, migrations: readonly Migration[], logger?: StorageLogger): Promise<void> {
  // Runs inside one transaction. The advisory lock (per schema) makes a second process that
  // starts at the same time wait here, then find everything applied.
  await c.query(`SELECT pg_advisory_xact_lock(hashtext('copboard.migrate:' || current_schema()))`)
  await c.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
  const applied = new Set((await c.query<{ id: number }>(`SELECT id FROM ${MIGRATIONS_TABLE}`)).rows.map((r) => r.id))
  for (const m of pendingMigrations(migrations, applied)) {
    try {
      await c.query(m.sql)
    } catch (err) {
      throw new StorageError('MIGRATION_FAILED', `PostgreSQL migration ${m.id} (${m.name}) failed: ${(err as Error).message}`, { cause: err })
    }
    await c.query(`INSERT INTO ${MIGRATIONS_TABLE} (id, name, applied_at) VALUES ($1, $2, $3)`, [m.id, m.name, new Date().toISOString()])
    logger?.info(`storage: applied PostgreSQL migration ${m.id} (${m.name})`)
  }
}
