/**
 * The same API suite (api.test.ts, api-sessions.test.ts) on PostgreSQL: DATABASE_URL (default: the local test database),
 * one fresh schema per server (api-harness), dropped at the end.
 */
import { afterAll } from 'vitest'

const before = process.env.DATABASE_URL
process.env.DATABASE_URL = before ?? 'postgres://postgres@127.0.0.1:5432/test'
afterAll(() => {
  if (before === undefined) delete process.env.DATABASE_URL
  else process.env.DATABASE_URL = before
})

await import('./api.test')
await import('./api-sessions.test')
