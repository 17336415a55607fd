/**
 * Versioned schema migrations, one ordered list per backend, both generated from one definition
 * (only the dialect's types differ). Ids are 1, 2, 3 … and the two lists carry the same ids and
 * names (a test checks it). Never change what an applied migration creates: add a new one.
 * Applied ids are recorded in the table `copboard_migrations`.
 */
import { StorageError } from './errors'

export interface Migration {
  id: number
  name: string
  sql: string
}

export const MIGRATIONS_TABLE = 'copboard_migrations'

/** Where the two SQL dialects differ; everything else in a migration is written once. */
interface Dialect {
  /** binary column type */
  blob: string
  /** the update log's ordering key */
  serialKey: string
  /** epoch milliseconds */
  bigint: string
  /** insertion order of tokens and snapshots: SQLite has rowid, PostgreSQL gets a column */
  seqColumn: string
}

const SQLITE: Dialect = { blob: 'BLOB', serialKey: 'INTEGER PRIMARY KEY AUTOINCREMENT', bigint: 'INTEGER', seqColumn: '' }
const POSTGRES: Dialect = { blob: 'BYTEA', serialKey: 'BIGSERIAL PRIMARY KEY', bigint: 'BIGINT', seqColumn: 'seq BIGSERIAL NOT NULL,' }

function migrations(d: Dialect): readonly Migration[] {
  return [
    {
      id: 1,
      name: 'update log',
      sql: `
        CREATE TABLE updates (
          seq ${d.serialKey},
          room TEXT NOT NULL,
          data ${d.blob} NOT NULL,
          created_at ${d.bigint} NOT NULL
        );
        CREATE INDEX updates_room_seq ON updates (room, seq);
      `,
    },
    {
      id: 2,
      name: 'cops, sessions, tokens, snapshots',
      sql: `
        CREATE TABLE cops (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          theme TEXT NOT NULL,
          co_host TEXT NOT NULL,
          created_at TEXT NOT NULL,
          session_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          cop_id TEXT NOT NULL REFERENCES cops (id),
          number INTEGER NOT NULL,
          title TEXT NOT NULL,
          date TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('planned', 'live', 'ended')),
          start_json TEXT NOT NULL,
          room TEXT NOT NULL UNIQUE,
          started_at TEXT,
          ended_at TEXT,
          created_at TEXT NOT NULL,
          UNIQUE (cop_id, number),
          UNIQUE (id, cop_id)
        );
        CREATE TABLE tokens (
          ${d.seqColumn}
          id TEXT PRIMARY KEY,
          cop_id TEXT NOT NULL REFERENCES cops (id),
          role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'viewer')),
          label TEXT NOT NULL,
          secret_hash TEXT NOT NULL UNIQUE,
          created_at TEXT NOT NULL,
          revoked_at TEXT
        );
        CREATE INDEX tokens_cop ON tokens (cop_id, created_at);
        CREATE TABLE snapshots (
          ${d.seqColumn}
          id TEXT PRIMARY KEY,
          cop_id TEXT NOT NULL REFERENCES cops (id),
          session_id TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('final', 'autosave')),
          created_at TEXT NOT NULL,
          meta_json TEXT NOT NULL,
          yjs_state ${d.blob} NOT NULL,
          tldr TEXT NOT NULL,
          svg TEXT NOT NULL,
          png ${d.blob},
          thumbnail_png ${d.blob},
          report_json TEXT NOT NULL,
          report_md TEXT NOT NULL,
          report_csv TEXT NOT NULL,
          FOREIGN KEY (session_id, cop_id) REFERENCES sessions (id, cop_id)
        );
        CREATE INDEX snapshots_cop ON snapshots (cop_id, created_at);
        CREATE INDEX snapshots_session ON snapshots (session_id);
      `,
    },
    {
      id: 3,
      // SPEC 1.7: how far each SQLite append journal was moved into the update log (a replay
      // after a crash moves the rest, never twice); PostgreSQL has the table and leaves it empty
      name: 'append journals',
      sql: `
        CREATE TABLE append_journals (
          journal TEXT PRIMARY KEY,
          flushed_seq ${d.bigint} NOT NULL
        );
      `,
    },
  ]
}

export const sqliteMigrations = migrations(SQLITE)
export const postgresMigrations = migrations(POSTGRES)

/** The migrations still to apply, in order; SCHEMA_TOO_NEW when the database is ahead of this code. */
export function pendingMigrations(migrations: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  const known = Math.max(0, ...migrations.map((m) => m.id))
  const newest = Math.max(0, ...applied)
  if (newest > known) {
    throw new StorageError('SCHEMA_TOO_NEW', `The database schema is at version ${newest}, this copboard knows up to ${known}`)
  }
  return migrations.filter((m) => !applied.has(m.id))
}
