import { describe, expect, it } from 'vitest'
import { MIGRATIONS_TABLE, openPostgresStorage, openStorage, postgresMigrations } from '../src/index'
import { runStorageContract } from './storageContract'
import { dropSchema, execIn, newTestSchema, pgAvailable, REQUIRE_PG, TEST_DATABASE_URL } from './pgTestUtil'

const available = await pgAvailable()
if (!available) {
  const msg = `PostgreSQL not reachable at ${TEST_DATABASE_URL}: PostgreSQL storage tests ${REQUIRE_PG ? 'FAIL' : 'skipped'}`
  if (REQUIRE_PG) throw new Error(msg)
  console.warn(msg)
}

describe.skipIf(!available)('postgres', () => {
  runStorageContract('postgres', async () => {
    const schema = newTestSchema()
    return {
      open: () => openStorage({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema, poolSize: 4 }),
      destroy: () => dropSchema(schema),
    }
  })

  describe('postgres specifics', () => {
    it('[4.1] openStorage with databaseUrl uses PostgreSQL in the given schema', async () => {
      const schema = newTestSchema()
      try {
        const s = await openStorage({ databaseUrl: TEST_DATABASE_URL, pgSchema: schema })
        expect(s.backend).toBe('postgres')
        await s.appendUpdates('r', [new Uint8Array([1, 2])])
        const r = await execIn(schema, 'SELECT count(*)::int AS n FROM updates')
        expect(r.rows[0].n).toBe(1)
        await s.close()
      } finally {
        await dropSchema(schema)
      }
    })

    it('[2.2] two processes starting at once on a fresh schema migrate once', async () => {
      const schema = newTestSchema()
      try {
        const opened = await Promise.all([0, 1, 2].map(() => openPostgresStorage(TEST_DATABASE_URL, { schema, poolSize: 2 })))
        const r = await execIn(schema, `SELECT id FROM ${MIGRATIONS_TABLE} ORDER BY id`)
        expect(r.rows.map((x) => x.id)).toEqual(postgresMigrations.map((m) => m.id))
        await Promise.all(opened.map((s) => s.close()))
      } finally {
        await dropSchema(schema)
      }
    })

    it('[2.3] a database migrated by a newer version is refused with SCHEMA_TOO_NEW', async () => {
      const schema = newTestSchema()
      try {
        const s = await openPostgresStorage(TEST_DATABASE_URL, { schema })
        await s.close()
        await execIn(schema, `INSERT INTO ${MIGRATIONS_TABLE} (id, name, applied_at) VALUES (999, 'future', 'x')`)
        await expect(openPostgresStorage(TEST_DATABASE_URL, { schema })).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' })
      } finally {
        await dropSchema(schema)
      }
    })

    it('[1.2] a large batch (several INSERT chunks) is appended in order in one transaction', async () => {
      const schema = newTestSchema()
      try {
        const s = await openPostgresStorage(TEST_DATABASE_URL, { schema })
        const batch = Array.from({ length: 2500 }, (_, i) => new Uint8Array([i & 0xff, i >> 8]))
        await s.appendUpdates('big', batch)
        const loaded = await s.loadRoom('big')
        expect(loaded.length).toBe(2500)
        expect(loaded.every((u, i) => u[0] === (i & 0xff) && u[1] === i >> 8)).toBe(true)
        await expect(s.appendUpdates('bad', [...batch, 'oops' as unknown as Uint8Array])).rejects.toBeTruthy()
        expect(await s.countUpdates('bad')).toBe(0)
        await s.close()
      } finally {
        await dropSchema(schema)
      }
    })
  })
})
