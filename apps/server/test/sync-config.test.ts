import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

describe('config', () => {
  it('defaults: 127.0.0.1:8080, ./data, 8 MiB frames, 30 s idle', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: './data', maxMessageBytes: 8 * 1024 * 1024, roomIdleMs: 30_000, logLevel: 'info' })
    expect(c.databaseUrl).toBeUndefined()
  })

  it('reads values; empty strings mean the default', () => {
    const c = loadConfig({ PORT: '0', HOST: '0.0.0.0', ROOM_IDLE_MS: '500', MAX_MESSAGE_BYTES: '', DATABASE_URL: 'postgres://u@h/db' })
    expect(c).toMatchObject({ port: 0, host: '0.0.0.0', roomIdleMs: 500, maxMessageBytes: 8 * 1024 * 1024, databaseUrl: 'postgres://u@h/db' })
  })

  it('one readable line per bad value, naming the variable and the value', () => {
    let err: unknown
    try {
      loadConfig({ PORT: 'eighty', MAX_MESSAGE_BYTES: '12', LOG_LEVEL: 'loud', ROOM_IDLE_MS: '1.5', PING_INTERVAL_MS: '90000' })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    const problems = (err as ConfigError).problems
    expect(problems).toHaveLength(5)
    expect(problems.find((p) => p.startsWith('PORT:'))).toBe('PORT: must be an integer from 0 to 65535 (got "eighty")')
    expect(problems.some((p) => p.startsWith('MAX_MESSAGE_BYTES:') && p.includes('"12"'))).toBe(true)
    expect(problems.some((p) => p.startsWith('LOG_LEVEL:'))).toBe(true)
    expect(problems.some((p) => p.startsWith('ROOM_IDLE_MS:'))).toBe(true)
    expect(problems.some((p) => p.startsWith('PING_INTERVAL_MS:'))).toBe(true)
  })

  it('MAX_QUEUED_BYTES (sync-core §7.3): default 32 MiB, read, and validated with a readable line', () => {
    expect(loadConfig({}).maxQueuedBytes).toBe(32 * 1024 * 1024)
    expect(loadConfig({ MAX_QUEUED_BYTES: '1048576' }).maxQueuedBytes).toBe(1024 * 1024)
    try {
      loadConfig({ MAX_QUEUED_BYTES: '10' })
      expect.unreachable()
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([expect.stringMatching(/^MAX_QUEUED_BYTES: must be an integer from 65536 to \d+ bytes .*\(got "10"\)$/)])
    }
  })

  it('never echoes a secret', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/x' })
      expect.unreachable()
    } catch (e) {
      expect((e as Error).message).toContain('DATABASE_URL')
      expect((e as Error).message).not.toContain('hunter2')
    }
  })
})
