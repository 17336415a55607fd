/**
 * §6 Room leases on PostgreSQL (several instances, sync-core §13). A room's lease is a
 * session-level advisory lock taken on a connection of its own, and every append of the room
 * runs on that same connection. Why this and not a Redis lease with fencing tokens:
 * - the lease lives in the database that holds the log, so "holds the lock" and "may append"
 *   cannot disagree: an append commits only on the session that holds the lock, and the lock
 *   is released only when that session ends, after any commit of it. A new owner takes the lock
 *   after that and then loads: it sees every committed append (no fencing token to compare);
 * - a killed instance (SIGKILL) loses its TCP connections at once; PostgreSQL ends the
 *   sessions and their locks go with them: no expiry to wait for, no clock to trust;
 * - one engine fewer on the write path: Redis may be down and rooms keep working.
 * Cost: one database connection per owned room (size max_connections for it).
 */
import type pg from 'pg'
import type { RoomLease, RoomOwnership } from '@copboard/sync-core'
import { APPEND_CHUNK, insertUpdates, withTransaction } from './postgres'
import type { StorageLogger } from './types'

export type LeaseChange = 'acquired' | 'released' | 'lost' | 'refused'

export interface PgRoomLeasesOptions {
  /** postgres:// URL (the same database as the storage). */
  url: string
  /** The storage's schema (lock keys and appends are per schema). */
  schema?: string
  /** Shown as the lock holder (`application_name`), e.g. `copboard:a`. At most 63 bytes. */
  holder: string
  connectTimeoutMs?: number
  /** A held lease checks its connection this often (a dead one is lost within ~2 periods). Default 5 s. */
  heartbeatMs?: number
  /** Any statement on a lease connection slower than this loses the lease. Default 15 s. */
  queryTimeoutMs?: number
  logger?: StorageLogger
  onChange?: (change: LeaseChange, room: string) => void
}

/** The lock key of `$1` = lockName(room): a 64-bit hash of the schema and the room. */
const LOCK_KEY = `hashtextextended($1, 0)`

export class PgRoomLeases implements RoomOwnership {
  private readonly held = new Map<string, PgRoomLease>()
  private closed = false

  constructor(private readonly opts: PgRoomLeasesOptions) {}

  /** Per schema, so test runs and deployments sharing a database never contend. */
  lockName(room: string): string {
    return `copboard.room:${this.opts.schema ?? ''}:${room}`
  }

  async acquire(room: string): Promise<RoomLease | null> {
    if (this.closed) throw new Error('room leases are closed')
    const { default: pgModule } = await import('pg')
    const client = new pgModule.Client({
      connectionString: this.opts.url,
      application_name: this.opts.holder.slice(0, 63),
      connectionTimeoutMillis: this.opts.connectTimeoutMs ?? 5000,
      query_timeout: this.opts.queryTimeoutMs ?? 15_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 5000,
      // the server notices a vanished instance (no FIN, e.g. a cut network) within ~25 s, not 2 h
      options: [this.opts.schema ? `-c search_path=${this.opts.schema}` : '', '-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3']
        .filter(Boolean)
        .join(' '),
    })
    // errors before the lease exists are reported by the awaited calls below
    client.on('error', () => {})
    try {
      await client.connect()
      const r = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK_KEY}) AS ok`, [this.lockName(room)])
      if (!r.rows[0]?.ok) {
        const owner = await this.ownerOn(client, room).catch(() => null)
        this.opts.logger?.info(`lease: room ${room} is owned by ${owner ?? 'another instance'}`)
        this.opts.onChange?.('refused', room)
        await client.end().catch(() => {})
        return null
      }
    } catch (err) {
      await client.end().catch(() => {})
      throw err
    }
    const lease = new PgRoomLease(room, this.lockName(room), client, this.opts, () => this.held.delete(room))
    this.held.set(room, lease)
    this.opts.onChange?.('acquired', room)
    return lease
  }

  /** The holder (`application_name`) of a room's lease, or null when nobody holds it. */
  async owner(room: string): Promise<string | null> {
    const { default: pgModule } = await import('pg')
    const client = new pgModule.Client({
      connectionString: this.opts.url,
      connectionTimeoutMillis: this.opts.connectTimeoutMs ?? 5000,
      ...(this.opts.schema ? { options: `-c search_path=${this.opts.schema}` } : {}),
    })
    client.on('error', () => {})
    await client.connect()
    try {
      return await this.ownerOn(client, room)
    } finally {
      await client.end().catch(() => {})
    }
  }

  private async ownerOn(client: pg.Client, room: string): Promise<string | null> {
    // an int8 advisory key is stored as classid (high 32 bits) and objid (low 32 bits), objsubid 1
    const r = await client.query<{ holder: string }>(
      `SELECT a.application_name AS holder FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND l.classid::bigint = ((${LOCK_KEY}) >> 32) & 4294967295 AND l.objid::bigint = (${LOCK_KEY}) & 4294967295`,
      [this.lockName(room)],
    )
    return r.rows[0]?.holder ?? null
  }

  /** Rooms whose lease this process holds. */
  rooms(): string[] {
    return [...this.held.keys()]
  }

  /** Releases every lease (shutdown: after the rooms were drained). */
  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.held.values()].map((l) => l.release()))
  }
}

class PgRoomLease implements RoomLease {
  private state: 'held' | 'released' | 'lost' = 'held'
  private lostCallbacks: ((reason: string) => void)[] = []
  private readonly heartbeat: ReturnType<typeof setInterval>
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly room: string,
    private readonly lockName: string,
    private readonly client: pg.Client,
    private readonly opts: PgRoomLeasesOptions,
    private readonly forget: () => void,
  ) {
    client.on('error', (err) => this.lose(`lease connection error: ${err.message}`))
    client.on('end', () => this.lose('lease connection ended'))
    this.heartbeat = setInterval(() => {
      if (this.state !== 'held') return
      this.run(() => this.client.query('SELECT 1')).catch(() => {})
    }, opts.heartbeatMs ?? 5000)
    this.heartbeat.unref()
  }

  /** Statements on the lease connection, one at a time; any failure loses the lease. */
  private run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(async () => {
      if (this.state !== 'held') throw new Error(`room lease ${this.state}`)
      try {
        return await fn()
      } catch (err) {
        this.lose(`statement on the lease connection failed: ${(err as Error).message}`)
        throw err
      }
    })
    this.chain = next.catch(() => {})
    return next
  }

  appendUpdates(updates: Uint8Array[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve()
    const insert = (c: pg.Client) => insertUpdates((sql, p) => c.query(sql, p), this.room, updates)
    return this.run(() => (updates.length <= APPEND_CHUNK ? insert(this.client) : withTransaction(this.client, insert)))
  }

  onLost(callback: (reason: string) => void): void {
    if (this.state === 'lost') queueMicrotask(() => callback('lease lost'))
    else this.lostCallbacks.push(callback)
  }

  async release(): Promise<void> {
    if (this.state !== 'held') return
    try {
      // explicit unlock first: the same instance may take the room again right after
      await this.run(() => this.client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [this.lockName]))
    } catch {
      // the connection is gone: so is the lock
    }
    if (this.state === 'held') this.state = 'released'
    this.stop()
    await this.client.end().catch(() => {})
    this.opts.onChange?.('released', this.room)
  }

  private lose(reason: string): void {
    if (this.state !== 'held') return
    this.state = 'lost'
    this.stop()
    this.opts.logger?.error(`lease: room ${this.room} lost its lease (${reason})`)
    this.opts.onChange?.('lost', this.room)
    // make sure the session (and with it the lock) ends even if only a statement failed
    void this.client.end().catch(() => {})
    for (const cb of this.lostCallbacks.splice(0)) {
      try {
        cb(reason)
      } catch {
        // the room's handler logs its own failures
      }
    }
  }

  private stop(): void {
    clearInterval(this.heartbeat)
    this.forget()
  }
}
