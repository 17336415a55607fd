/** PostgreSQL test helpers: each run works in its own schema `copboard_test_<random>`, dropped at the end. */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * PostgreSQL is part of the supported set-up (CI and dev machines run it), so its tests fail when it
 * is absent; COPBOARD_SKIP_PG=1 skips them explicitly on a machine without it.
 */
export const REQUIRE_PG = process.env.COPBOARD_SKIP_PG !== '1'

export async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 })
  try {
    await c.connect()
    await c.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await c.end().catch(() => {})
  }
}

export function newTestSchema(): string {
  return `copboard_test_${randomBytes(6).toString('hex')}`
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 })
  await c.connect()
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await c.end()
  }
}

export async function execIn(schema: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` })
  await c.connect()
  try {
    return await c.query(sql, params)
  } finally {
    await c.end()
  }
}
