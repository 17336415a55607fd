/**
 * Versioned schema migrations, one ordered list per backend. Ids are 1, 2, 3 … and the two lists
 * carry the same ids and names (a test checks it). Never edit an applied migration: add a new one.
 * Applied ids are recorded in the table `copboard_migrations`.
 */
export interface Migration {
  id: number
  name: string
  sql: string
}

export const MIGRATIONS_TABLE = 'copboard_migrations'

export const sqliteMigrations: readonly Migration[] = [
  {
    id: 1,
    name: 'update log',
    sql: `
      CREATE TABLE updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL,
        created_at INTEGER NOT NULL
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
        id TEXT PRIMARY KEY,
        cop_id TEXT NOT NULL REFERENCES cops (id),
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('final', 'autosave')),
        created_at TEXT NOT NULL,
        meta_json TEXT NOT NULL,
        yjs_state BLOB NOT NULL,
        tldr TEXT NOT NULL,
        svg TEXT NOT NULL,
        png BLOB,
        thumbnail_png BLOB,
        report_json TEXT NOT NULL,
        report_md TEXT NOT NULL,
        report_csv TEXT NOT NULL,
        FOREIGN KEY (session_id, cop_id) REFERENCES sessions (id, cop_id)
      );
      CREATE INDEX snapshots_cop ON snapshots (cop_id, created_at);
      CREATE INDEX snapshots_session ON snapshots (session_id);
    `,
  },
]

export const postgresMigrations: readonly Migration[] = [
  {
    id: 1,
    name: 'update log',
    sql: `
      CREATE TABLE updates (
        seq BIGSERIAL PRIMARY KEY,
        room TEXT NOT NULL,
        data BYTEA NOT NULL,
        created_at BIGINT NOT NULL
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
        seq BIGSERIAL NOT NULL,
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
        seq BIGSERIAL NOT NULL,
        id TEXT PRIMARY KEY,
        cop_id TEXT NOT NULL REFERENCES cops (id),
        session_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('final', 'autosave')),
        created_at TEXT NOT NULL,
        meta_json TEXT NOT NULL,
        yjs_state BYTEA NOT NULL,
        tldr TEXT NOT NULL,
        svg TEXT NOT NULL,
        png BYTEA,
        thumbnail_png BYTEA,
        report_json TEXT NOT NULL,
        report_md TEXT NOT NULL,
        report_csv TEXT NOT NULL,
        FOREIGN KEY (session_id, cop_id) REFERENCES sessions (id, cop_id)
      );
      CREATE INDEX snapshots_cop ON snapshots (cop_id, created_at);
      CREATE INDEX snapshots_session ON snapshots (session_id);
    `,
  },
]
