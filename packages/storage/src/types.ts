import type { RoomStorage } from '@copboard/sync-core'

import type { Role, SessionState, Cop, SessionStart, Session, TokenRecord, SnapshotKind, ParticipantMeta, SnapshotMeta } from '@copboard/model'

// the domain types live in @copboard/model (shared with the web client); storage re-exports them
export type { Role, SessionState, Cop, SessionStart, Session, TokenRecord, SnapshotKind, ParticipantMeta, SnapshotMeta }

/** The parts of a snapshot; binary parts as bytes, text parts as strings. */
export interface SnapshotParts {
  yjsState: Uint8Array
  tldr: string // tldraw document snapshot (.tldr JSON)
  svg: string
  png: Uint8Array | null
  thumbnailPng: Uint8Array | null
  reportJson: string
  reportMarkdown: string
  reportCsv: string
}

export type SnapshotPartName = keyof SnapshotParts

/** The image parts of a snapshot (rendered after the fact when the first render failed). */
export type SnapshotRender = Pick<SnapshotParts, 'svg' | 'png' | 'thumbnailPng'>

export interface Storage extends RoomStorage {
  readonly backend: 'sqlite' | 'postgres'
  /** Runs pending migrations. Idempotent. */
  migrate(): Promise<void>
  close(): Promise<void>

  createCop(input: Omit<Cop, 'id' | 'createdAt'>): Promise<Cop>
  getCop(id: string): Promise<Cop | null>

  createSession(input: Omit<Session, 'id' | 'number' | 'room' | 'createdAt' | 'startedAt' | 'endedAt' | 'state'>): Promise<Session>
  getSession(id: string): Promise<Session | null>
  getSessionByRoom(room: string): Promise<Session | null>
  listSessions(copId: string): Promise<Session[]> // by number
  /** Compare-and-set of the state; returns null when the current state is not `from`. */
  transitionSession(id: string, from: SessionState, to: SessionState, at: string): Promise<Session | null>

  /** Stores only a hash of the secret. */
  createToken(input: { copId: string; role: Role; label: string; secretHash: string }): Promise<TokenRecord>
  findTokenByHash(secretHash: string): Promise<TokenRecord | null>
  listTokens(copId: string): Promise<TokenRecord[]>
  revokeToken(copId: string, tokenId: string, at: string): Promise<boolean>

  createSnapshot(input: Omit<SnapshotMeta, 'id' | 'createdAt'>, parts: SnapshotParts): Promise<SnapshotMeta>
  listSnapshots(copId: string): Promise<SnapshotMeta[]> // oldest first
  getSnapshot(id: string): Promise<SnapshotMeta | null>
  getSnapshotPart<K extends SnapshotPartName>(id: string, part: K): Promise<SnapshotParts[K] | null>
  /**
   * SPEC 3.8: fills in the image parts of a snapshot whose render failed or was deferred, and
   * replaces its `meta` (the board state, .tldr and report parts never change). False when unknown.
   */
  completeSnapshotRender(id: string, images: SnapshotRender, meta: Record<string, unknown>): Promise<boolean>

  // ---- additions (STORE) ----
  /** All parts of a snapshot at once (e.g. for restore / compare); null when the snapshot does not exist. */
  getSnapshotParts(id: string): Promise<SnapshotParts | null>
  /** Deletes a room's whole update log; returns the number of entries removed. */
  deleteRoom(room: string): Promise<number>
  /** Rooms that have at least one update log entry, sorted. */
  listRooms(): Promise<string[]>
  /** Cheap round trip to the database (for /healthz); rejects when it is unusable. */
  ping(): Promise<void>
  /** Highest applied migration id (0 before migrate()). */
  schemaVersion(): Promise<number>
}

/** The subset of a pino / console logger the storage uses. */
export interface StorageLogger {
  info(msg: string): void
  warn(msg: string): void
  error(msg: string): void
}

export interface OpenStorageOptions {
  /** SQLite: the database file is `<dataDir>/copboard.db` (the directory is created). Default `./data`. */
  dataDir?: string
  /** PostgreSQL when set (postgres:// or postgresql://). */
  databaseUrl?: string
  /** PostgreSQL only: use (and create) this schema instead of the URL's default search_path. */
  pgSchema?: string
  /** PostgreSQL only: connect timeout in ms (default 5000). */
  connectTimeoutMs?: number
  /** PostgreSQL only: pool size (default 10). */
  poolSize?: number
  /**
   * SQLite only: start the WAL checkpoint's worker thread at open, not at the first checkpoint
   * (a server: its memory counted from the start, no thread start-up while statements wait).
   */
  checkpointWorkerAtOpen?: boolean
  logger?: StorageLogger
}
