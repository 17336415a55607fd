/** Schema version and migrations (the lists are in ../migrations.ts, one per dialect). */
import { StorageError } from '../errors'
import { MIGRATIONS_TABLE, pendingMigrations } from '../migrations'
import { tx, type SqlDb } from '../sql'
import type { StorageLogger } from '../types'

/** Highest applied migration id; 0 before the first migrate(). */
export async function schemaVersion(db: SqlDb): Promise<number> {
  if (!(await db.get(db.tableExistsSql, [MIGRATIONS_TABLE]))) return 0
  const r = await db.get<{ v: number | null }>(`SELECT MAX(id) AS v FROM ${MIGRATIONS_TABLE}`)
  return Number(r?.v ?? 0)
}

/**
 * Applies the pending migrations in one transaction. A second process starting at the same time
 * waits for the write lock (SQLite) or the advisory lock (PostgreSQL), then finds them applied.
 */
export function migrate(db: SqlDb, logger?: StorageLogger): Promise<void> {
  return db.transaction(function* () {
    if (db.migrationLockSql) yield* tx.get(db.migrationLockSql)
    yield* tx.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
    const applied = new Set((yield* tx.all<{ id: number }>(`SELECT id FROM ${MIGRATIONS_TABLE}`)).map((r) => Number(r.id)))
    for (const m of pendingMigrations(db.migrations, applied)) {
      try {
        yield* tx.exec(m.sql)
      } catch (err) {
        throw new StorageError('MIGRATION_FAILED', `${db.label} migration ${m.id} (${m.name}) failed: ${(err as Error).message}`, { cause: err })
      }
      yield* tx.run(`INSERT INTO ${MIGRATIONS_TABLE} (id, name, applied_at) VALUES (?, ?, ?)`, [m.id, m.name, new Date().toISOString()])
      logger?.info(`storage: applied ${db.label} migration ${m.id} (${m.name})`)
    }
  })
}
