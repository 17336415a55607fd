/** The origin check: other sites' pages cannot open a board's socket or change anything via the API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import WebSocket from 'ws'
import { loadConfig } from '../src/config.js'
import { isOriginAllowed } from '../src/plugins/security.js'
import { startServer, type TestServer } from './sync-harness.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer({ allowedOrigins: ['http://dev.example:5173'] })
})
afterAll(() => server?.dispose())

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function upgradeStatus(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.syncUrl}/origin-room`, { headers })
    ws.on('open', () => {
      ws.close()
      resolve(101)
    })
    ws.on('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0)
      req.destroy() // ws leaves a refused upgrade's connection open otherwise
    })
    ws.on('error', reject)
  })
}

describe('origin check', () => {
  it('a WebSocket upgrade from another site is refused with 403 before the upgrade', async () => {
    expect(await upgradeStatus({ origin: 'https://evil.example' })).toBe(403)
    expect(await upgradeStatus({ origin: 'null' })).toBe(403)
  })

  it('the server closes the connection of a refused upgrade itself (no socket left to a hostile client)', async () => {
    const closed = await new Promise<string>((resolve) => {
      const s = connect(server.port, '127.0.0.1', () => {
        s.write(
          `GET /sync/origin-room HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n',
        )
      })
      let head = ''
      s.on('data', (d) => (head += String(d)))
      s.on('close', () => resolve(head.split('\r\n')[0]))
    })
    expect(closed).toBe('HTTP/1.1 403 Forbidden')
  })

  it('same host, an allowed origin, and clients without Origin may connect', async () => {
    expect(await upgradeStatus({ origin: `http://127.0.0.1:${server.port}` })).toBe(101)
    expect(await upgradeStatus({ origin: 'http://dev.example:5173' })).toBe(101)
    expect(await upgradeStatus({})).toBe(101)
  })

  it('a state-changing API request from another site gets 403 ORIGIN_NOT_ALLOWED; reads are not affected', async () => {
    const post = await fetch(`http://127.0.0.1:${server.port}/api/cops`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ name: 'X' }),
    })
    expect(post.status).toBe(403)
    expect(await post.json()).toMatchObject({ error: 'ORIGIN_NOT_ALLOWED' })
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`, { headers: { origin: 'https://evil.example' } })
    expect(health.status).toBe(200)
  })

  it('logs one line per refused origin, not one per request', async () => {
    const before = server.logs.filter((l) => l.msg === 'refused: web origin not allowed' && l.origin === 'https://flood.example').length
    for (let i = 0; i < 5; i++) await upgradeStatus({ origin: 'https://flood.example' })
    const after = server.logs.filter((l) => l.msg === 'refused: web origin not allowed' && l.origin === 'https://flood.example').length
    expect(after - before).toBe(1)
  })

  it('isOriginAllowed compares hosts and the allow list exactly', () => {
    expect(isOriginAllowed('https://bord.example', 'bord.example', [])).toBe(true)
    expect(isOriginAllowed('https://bord.example.evil', 'bord.example', [])).toBe(false)
    expect(isOriginAllowed('not a url', 'bord.example', [])).toBe(false)
    expect(isOriginAllowed('https://a.example', undefined, ['https://a.example'])).toBe(true)
  })

  it('ALLOWED_ORIGINS is validated at start-up', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://a.example, http://b.example:5173' }).allowedOrigins).toEqual([
      'https://a.example',
      'http://b.example:5173',
    ])
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'a.example' })).toThrow(/ALLOWED_ORIGINS: must be a comma-separated list of origins/)
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(/ALLOWED_ORIGINS/)
  })
})
