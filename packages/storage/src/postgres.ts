/**
 * PostgreSQL driver (pg Pool): the SqlDb the model layer runs on. Same semantics as the SQLite
 * driver: BYTEA for binary data, BIGSERIAL for the update log order, transactions where several
 * statements must be atomic, parameterised queries only. A statement is durable when it returns
 * (PostgreSQL fsyncs its WAL on commit with the default synchronous_commit=on).
 */
// pg is loaded on first use (PERF): a SQLite deployment does not pay its ~15 MiB of RSS
import type pg from 'pg'
import { toBuf } from './bytes'
import { StorageError } from './errors'
import { postgresMigrations } from './migrations'
import { migrateOnOpen, SqlStorage } from './model/storage'
import { runBody, type Row, type SqlDb, type TxBody, type TxStatement } from './sql'
import type { StorageLogger } from './types'

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
  return migrateOnOpen(new PostgresStorage(pool, opts.logger), opts.migrate !== false)
}

export class PostgresStorage extends SqlStorage {
  readonly backend = 'postgres' as const

  constructor(
    readonly pool: pg.Pool,
    logger?: StorageLogger,
  ) {
    super(new PostgresDb(pool), logger)
  }
}

class PostgresDb implements SqlDb {
  readonly backend = 'postgres' as const
  readonly label = 'PostgreSQL'
  readonly migrations = postgresMigrations
  readonly tableExistsSql = 'SELECT 1 AS t WHERE to_regclass(?) IS NOT NULL'
  // per schema: a second process starting at the same time waits here, then finds everything applied
  readonly migrationLockSql = "SELECT pg_advisory_xact_lock(hashtext('copboard.migrate:' || current_schema()))"
  readonly insertionOrder = 'seq'
  private closed = false

  constructor(private readonly pool: pg.Pool) {}

  isForeignKeyViolation(err: unknown): boolean {
    return (err as { code?: string }).code === '23503'
  }

  private query<R extends Row>(on: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.closed) throw new StorageError('CLOSED')
    return on.query<R>(numbered(sql), params as unknown[])
  }

  private async execute(on: pg.Pool | pg.PoolClient, s: TxStatement): Promise<unknown> {
    const r = await this.query(on, s.sql, s.params)
    return s.kind === 'all' ? r.rows : s.kind === 'get' ? r.rows[0] : s.kind === 'run' ? (r.rowCount ?? 0) : undefined
  }

  all<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return this.execute(this.pool, { kind: 'all', sql, params }) as Promise<R[]>
  }

  get<R>(sql: string, params: readonly unknown[] = []): Promise<R | undefined> {
    return this.execute(this.pool, { kind: 'get', sql, params }) as Promise<R | undefined>
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.execute(this.pool, { kind: 'run', sql, params }) as Promise<number>
  }

  transaction<T>(body: () => TxBody<T>): Promise<T> {
    return this.inTransaction((c) => runBody(body(), (s) => this.execute(c, s)))
  }

  async appendUpdates(room: string, updates: Uint8Array[]): Promise<void> {
    if (updates.length === 0) return
    if (this.closed) throw new StorageError('CLOSED')
    if (updates.length <= APPEND_CHUNK) return insertUpdates((sql, p) => this.pool.query(sql, p), room, updates)
    await this.inTransaction((c) => insertUpdates((sql, p) => c.query(sql, p), room, updates))
  }

  /** Runs `fn` in one transaction on one client of the pool. */
  private async inTransaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageError('CLOSED')
    const c = await this.pool.connect()
    try {
      return await withTransaction(c, fn)
    } finally {
      c.release()
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.pool.end()
  }
}

/** `?` placeholders -> `$1, $2, …`, cached: the model's SQL texts are few and fixed. */
const numberedSql = new Map<string, string>()
function numbered(sql: string): string {
  let out = numberedSql.get(sql)
  if (out === undefined) {
    let n = 0
    out = sql.replace(/\?/g, () => `$${++n}`)
    numberedSql.set(sql, out)
  }
  return out
}

/** Runs `fn` between BEGIN and COMMIT on `c` (ROLLBACK when it throws). */
export async function withTransaction<C extends pg.ClientBase, T>(c: C, fn: (c: C) => Promise<T>): Promise<T> {
  await c.query('BEGIN')
  try {
    const out = await fn(c)
    await c.query('COMMIT')
    return out
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {})
    throw err
  }
}

/** Rows of one INSERT; a batch of more than this many updates needs a transaction around its chunks. */
export const APPEND_CHUNK = 1000

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
