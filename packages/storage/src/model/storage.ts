/** The Storage API over any SqlDb: each method is one model function (one file per resource). */
import type { SqlDb } from '../sql'
import type { ComposeCompaction } from '@copboard/sync-core'
import type {
  Cop, Role, Session, SessionState, SnapshotMeta, SnapshotPartName, SnapshotParts, SnapshotRender, Storage, StorageLogger, TokenRecord,
} from '../types'
import * as cops from './cops'
import * as schema from './schema'
import * as sessions from './sessions'
import * as snapshots from './snapshots'
import * as tokens from './tokens'
import * as updateLog from './updateLog'

/** Runs the migrations of a storage just opened (unless told not to); closes it when they fail. */
export async function migrateOnOpen<S extends SqlStorage>(storage: S, migrate = true): Promise<S> {
  if (!migrate) return storage
  try {
    await storage.migrate()
  } catch (err) {
    await storage.close().catch(() => {})
    throw err
  }
  return storage
}

export abstract class SqlStorage implements Storage {
  abstract readonly backend: 'sqlite' | 'postgres'

  constructor(
    protected readonly sql: SqlDb,
    protected readonly logger?: StorageLogger,
  ) {}

  migrate(): Promise<void> { return schema.migrate(this.sql, this.logger) }
  schemaVersion(): Promise<number> { return schema.schemaVersion(this.sql) }
  close(): Promise<void> { return this.sql.close() }
  async ping(): Promise<void> { await this.sql.get('SELECT 1') }

  // update log (RoomStorage)
  loadRoom(room: string): Promise<Uint8Array[]> { return updateLog.loadRoom(this.sql, room) }
  appendUpdates(room: string, updates: Uint8Array[]): Promise<void> { return this.sql.appendUpdates(room, updates) }
  compactRoom(room: string, compose?: ComposeCompaction): Promise<{ updatesBefore: number; bytesAfter: number }> { return updateLog.compactRoom(this.sql, room, compose) }
  countUpdates(room: string): Promise<number> { return updateLog.countUpdates(this.sql, room) }
  deleteRoom(room: string): Promise<number> { return updateLog.deleteRoom(this.sql, room) }
  listRooms(): Promise<string[]> { return updateLog.listRooms(this.sql) }

  createCop(input: Omit<Cop, 'id' | 'createdAt'>): Promise<Cop> { return cops.createCop(this.sql, input) }
  getCop(id: string): Promise<Cop | null> { return cops.getCop(this.sql, id) }

  createSession(input: sessions.NewSession): Promise<Session> { return sessions.createSession(this.sql, input) }
  getSession(id: string): Promise<Session | null> { return sessions.getSession(this.sql, id) }
  getSessionByRoom(room: string): Promise<Session | null> { return sessions.getSessionByRoom(this.sql, room) }
  listSessions(copId: string): Promise<Session[]> { return sessions.listSessions(this.sql, copId) }
  transitionSession(id: string, from: SessionState, to: SessionState, at: string): Promise<Session | null> {
    return sessions.transitionSession(this.sql, id, from, to, at)
  }

  createToken(input: { copId: string; role: Role; label: string; secretHash: string }): Promise<TokenRecord> { return tokens.createToken(this.sql, input) }
  findTokenByHash(secretHash: string): Promise<TokenRecord | null> { return tokens.findTokenByHash(this.sql, secretHash) }
  listTokens(copId: string): Promise<TokenRecord[]> { return tokens.listTokens(this.sql, copId) }
  revokeToken(copId: string, tokenId: string, at: string): Promise<boolean> { return tokens.revokeToken(this.sql, copId, tokenId, at) }

  createSnapshot(input: Omit<SnapshotMeta, 'id' | 'createdAt'>, parts: SnapshotParts): Promise<SnapshotMeta> {
    return snapshots.createSnapshot(this.sql, input, parts)
  }
  completeSnapshotRender(id: string, images: SnapshotRender, meta: Record<string, unknown>): Promise<boolean> {
    return snapshots.completeSnapshotRender(this.sql, id, images, meta)
  }
  listSnapshots(copId: string): Promise<SnapshotMeta[]> { return snapshots.listSnapshots(this.sql, copId) }
  getSnapshot(id: string): Promise<SnapshotMeta | null> { return snapshots.getSnapshot(this.sql, id) }
  getSnapshotPart<K extends SnapshotPartName>(id: string, part: K): Promise<SnapshotParts[K] | null> {
    return snapshots.getSnapshotPart(this.sql, id, part)
  }
  getSnapshotParts(id: string): Promise<SnapshotParts | null> { return snapshots.getSnapshotParts(this.sql, id) }
}
