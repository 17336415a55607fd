import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeDatabaseUrl, hashSecret, newId, newRoomId, newSecret, openStorage, StorageError, StorageErrorCodes } from '../src/index'

describe('openStorage configuration errors', () => {
  it.each([
    ['not a url', 'not a valid URL'],
    ['mysql://root@127.0.0.1/db', 'must start with postgres://'],
    ['http://127.0.0.1:5432/test', 'must start with postgres://'],
  ])('[4.2] bad DATABASE_URL %j -> BAD_DATABASE_URL', async (url, text) => {
    const err = await openStorage({ databaseUrl: url }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StorageError)
    expect(err).toMatchObject({ code: 'BAD_DATABASE_URL' })
    expect((err as Error).message).toContain(text)
  })

  it('[4.2] unreachable PostgreSQL -> DB_UNREACHABLE naming the host, password hidden', async () => {
    // port 1 on localhost: connection refused at once
    const err = await openStorage({ databaseUrl: 'postgres://postgres:secret@127.0.0.1:1/test', connectTimeoutMs: 2000 }).catch(
      (e: unknown) => e,
    )
    expect(err).toMatchObject({ code: 'DB_UNREACHABLE' })
    expect((err as Error).message).toContain('127.0.0.1:1')
    expect((err as Error).message).not.toContain('secret')
  })

  it('[4.2] a connect that never completes ends with DB_UNREACHABLE after connectTimeoutMs (no hang)', async () => {
    // a TCP server that accepts and then says nothing: the client must give up on its own
    const net = await import('node:net')
    const sockets: import('node:net').Socket[] = []
    const server = net.createServer((sock) => sockets.push(sock))
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()))
    const port = (server.address() as import('node:net').AddressInfo).port
    try {
      const err = await openStorage({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/test`, connectTimeoutMs: 300 }).catch(
        (e: unknown) => e,
      )
      expect(err).toMatchObject({ code: 'DB_UNREACHABLE' })
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise((res) => server.close(res))
    }
  })

  it('[4.2] unwritable DATA_DIR -> DATA_DIR_UNWRITABLE naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copboard-storage-'))
    try {
      const file = join(dir, 'a-file')
      writeFileSync(file, 'x')
      // a directory below a regular file can never be created (also not by root)
      const err = await openStorage({ dataDir: join(file, 'data') }).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'DATA_DIR_UNWRITABLE' })
      expect((err as Error).message).toContain(join(file, 'data'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('[4.2] describeDatabaseUrl hides the password', () => {
    expect(describeDatabaseUrl('postgres://u:pw@h:5432/db')).toBe('postgres://u:***@h:5432/db')
  })
})

describe('error codes and ids', () => {
  it('[4.3] every StorageError code is unique and has a reason', () => {
    const codes = Object.keys(StorageErrorCodes)
    expect(new Set(codes).size).toBe(codes.length)
    for (const c of codes) expect(StorageErrorCodes[c as keyof typeof StorageErrorCodes].length).toBeGreaterThan(10)
    const reasons = Object.values(StorageErrorCodes)
    expect(new Set(reasons).size).toBe(reasons.length)
  })

  it('[5.1] ids are 128-bit url-safe random strings; secrets 256-bit; hashes deterministic', () => {
    const ids = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      const a = newId()
      const r = newRoomId()
      expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(r).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(Buffer.from(a, 'base64url').length).toBe(16)
      ids.add(a).add(r)
    }
    expect(ids.size).toBe(2000)
    expect(newSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(hashSecret('abc')).toBe(hashSecret('abc'))
    expect(hashSecret('abc')).not.toBe(hashSecret('abd'))
  })
})
