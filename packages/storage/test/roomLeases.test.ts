/** §6 room leases on PostgreSQL: advisory lock per room on its own connection, appends on it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { openPostgresStorage, PgRoomLeases, type PostgresStorage } from '../src/index'
import { dropSchema, newTestSchema, pgAvailable, REQUIRE_PG, TEST_DATABASE_URL } from './pgTestUtil'

const available = await pgAvailable()
if (!available && REQUIRE_PG) throw new Error(`PostgreSQL not reachable at ${TEST_DATABASE_URL}: room lease tests FAIL`)

describe.skipIf(!available)('room leases (postgres)', () => {
  const schema = newTestSchema()
  let storage: PostgresStorage
  const leaseSets: PgRoomLeases[] = []
  const leases = (holder: string, extra: Partial<ConstructorParameters<typeof PgRoomLeases>[0]> = {}) => {
    const l = new PgRoomLeases({ url: TEST_DATABASE_URL, schema, holder, heartbeatMs: 200, ...extra })
    leaseSets.push(l)
    return l
  }
  beforeAll(async () => {
    storage = await openPostgresStorage(TEST_DATABASE_URL, { schema, poolSize: 2 })
  })
  afterAll(async () => {
    await Promise.all(leaseSets.map((l) => l.close()))
    await storage?.close()
    await dropSchema(schema)
  })

  it('[6.1] of two instances asking at once exactly one gets the lease; the holder is visible', async () => {
    const a = leases(`copboard-test:a:${schema}`)
    const b = leases(`copboard-test:b:${schema}`)
    const got = await Promise.all([a.acquire('r1'), b.acquire('r1')])
    expect(got.filter(Boolean)).toHaveLength(1)
    const holder = got[0] ? `copboard-test:a:${schema}` : `copboard-test:b:${schema}`
    expect(await a.owner('r1')).toBe(holder)
    await got.find(Boolean)!.release()
    expect(await a.owner('r1')).toBeNull()
    // released: the other one may take it now
    const again = await (got[0] ? b : a).acquire('r1')
    expect(again).not.toBeNull()
    await again!.release()
  })

  it('[6.1] leases are per schema: the same room name in another schema is independent', async () => {
    const other = newTestSchema()
    const a = leases('copboard-test:x')
    const b = new PgRoomLeases({ url: TEST_DATABASE_URL, schema: other, holder: 'copboard-test:y' })
    leaseSets.push(b)
    const la = await a.acquire('shared-name')
    const lb = await b.acquire('shared-name')
    expect(la).not.toBeNull()
    expect(lb).not.toBeNull()
    await la!.release()
    await lb!.release()
  })

  it('[6.2] appends go through the lease and land in the log in order', async () => {
    const a = leases('copboard-test:a2')
    const lease = (await a.acquire('r2'))!
    await lease.appendUpdates([new Uint8Array([1]), new Uint8Array([2])])
    await lease.appendUpdates([new Uint8Array([3])])
    expect((await storage.loadRoom('r2')).map((u) => u[0])).toEqual([1, 2, 3])
    await lease.release()
  })

  it('[6.3] a terminated lease connection loses the lease: onLost fires, appends fail, another instance takes over', async () => {
    const holder = `copboard-test:t:${schema}`
    const a = leases(holder)
    const b = leases('copboard-test:survivor')
    const lease = (await a.acquire('r3'))!
    const lost = new Promise<string>((resolve) => lease.onLost(resolve))
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
    await admin.connect()
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [holder])
    await admin.end()
    expect(await lost).toMatch(/lease connection|terminat/)
    await expect(lease.appendUpdates([new Uint8Array([9])])).rejects.toThrow()
    const taken = await b.acquire('r3')
    expect(taken).not.toBeNull()
    await taken!.release()
    expect(await storage.loadRoom('r3')).toEqual([])
  })
})
