/** Storage contract, 2: migrations. */
import { beforeAll, expect, it } from 'vitest'
import { postgresMigrations, sqliteMigrations, type Storage } from '../../src/index'
import type { ContractBackend, ContractContext } from './support'

export function schemaContract(ctx: ContractContext): void {
  let s: Storage
  let backend: ContractBackend
  beforeAll(() => void ({ s, backend } = ctx))

  it('[2.1] schema is at the newest migration; both backends list the same migrations', async () => {
    expect(sqliteMigrations.map((m) => m.id)).toEqual(sqliteMigrations.map((_, i) => i + 1))
    expect(postgresMigrations.map((m) => [m.id, m.name])).toEqual(sqliteMigrations.map((m) => [m.id, m.name]))
    expect(await s.schemaVersion()).toBe(sqliteMigrations.length)
  })

  it('[2.2] migrate() is idempotent, also from two connections at once', async () => {
    const other = await backend.open()
    try {
      await Promise.all([s.migrate(), other.migrate(), s.migrate()])
      await s.migrate()
      expect(await s.schemaVersion()).toBe(sqliteMigrations.length)
      expect(await other.schemaVersion()).toBe(sqliteMigrations.length)
    } finally {
      await other.close()
    }
  })
}
