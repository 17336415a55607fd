import { join } from 'node:path'
import { openPostgresStorage } from './postgres'
import { openSqliteStorage } from './sqlite'
import type { OpenStorageOptions, Storage } from './types'

export * from './types'
export * from './errors'
export { newId, newRoomId, newSecret, hashSecret } from './ids'
export { sqliteMigrations, postgresMigrations, MIGRATIONS_TABLE, type Migration } from './migrations'
export { SqliteStorage, openSqliteStorage, type SqliteStorageOptions } from './sqlite'
export { PostgresStorage, openPostgresStorage, validateDatabaseUrl, describeDatabaseUrl, insertUpdates, type PostgresStorageOptions } from './postgres'

export const SQLITE_FILE_NAME = 'copboard.db'

/**
 * Opens the storage and runs pending migrations: PostgreSQL when `databaseUrl` is set,
 * otherwise the SQLite file `<dataDir>/copboard.db` (directory created, default `./data`).
 * Rejects with a `StorageError` (readable message, no hang) on a bad URL, an unreachable
 * database or an unwritable data directory.
 */
export async function openStorage(opts: OpenStorageOptions = {}): Promise<Storage> {
  const url = opts.databaseUrl?.trim()
  if (url) {
    return openPostgresStorage(url, {
      logger: opts.logger,
      schema: opts.pgSchema,
      connectTimeoutMs: opts.connectTimeoutMs,
      poolSize: opts.poolSize,
    })
  }
  return openSqliteStorage(join(opts.dataDir ?? './data', SQLITE_FILE_NAME), { logger: opts.logger, checkpoint: { startAtOpen: opts.checkpointWorkerAtOpen } })
}
export { PgRoomLeases, type PgRoomLeasesOptions, type LeaseChange } from './roomLeases'
