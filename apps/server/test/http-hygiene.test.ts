/**
 * HTTP hygiene (issue 9 §4) on the real server with the archive's token authorizer: no lockout of
 * valid tokens, authentication before the body is read, per-route body limits, token redaction
 * that parses the query, the token in Sec-WebSocket-Protocol, helmet headers, TRUST_PROXY.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request as httpRequest } from 'node:http'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { redactUrl, SYNC_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../src/auth'
import { CONTENT_SECURITY_POLICY } from '../src/plugins/security.js'
import { startServer, synced, waitFor, type TestServer } from './sync-harness.js'

let server: TestServer
let base: string
beforeAll(async () => {
  server = await startServer({}, { realAuth: true })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server?.dispose()
})

const tokenOf = (link: string) => link.slice(link.indexOf('#t=') + 3)

async function createCop(url = base) {
  const res = await fetch(`${url}/api/cops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'CoP Hygiëne' }) })
  expect(res.status).toBe(201)
  const data = (await res.json()) as { cop: { id: string }; session: { id: string; room: string }; links: Record<string, string>; copLinks: Record<string, string> }
  return { ...data, facilitator: tokenOf(data.copLinks.facilitator), participant: tokenOf(data.links.participant) }
}

const me = (token: string, url = base, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}`, ...headers } })

/** Status of a WebSocket upgrade (101 when accepted) and the selected subprotocol. */
function upgrade(url: string, protocols?: string[]): Promise<{ status: number; protocol: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols)
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, protocol: '' })
      ws.terminate()
    })
    ws.on('open', () => {
      resolve({ status: 101, protocol: ws.protocol })
      ws.close()
    })
    ws.on('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)))
  })
}

describe('§4 lockout: a valid token is never locked out by bad ones', () => {
  it('bad tokens from one address get 429 after the limit; a valid token from the same address still works (REST and WebSocket)', async () => {
    const c = await createCop()
    const statuses: number[] = []
    for (let i = 0; i < 40; i++) statuses.push((await me('b'.repeat(43))).status)
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    for (let i = 0; i < 5; i++) expect((await upgrade(`${server.syncUrl}/${c.session.room}?token=${'c'.repeat(43)}`)).status).toBe(401)
    // the valid token, same address, right after
    expect((await me(c.participant)).status).toBe(200)
    expect((await upgrade(`${server.syncUrl}/${c.session.room}?token=${c.participant}`)).status).toBe(101)
  })
})

describe('§4 authentication before the body, body limits per route', () => {
  it('a 20 MB body without a token is refused with 401 before the server reads it', async () => {
    const c = await createCop()
    const total = 20 * 1024 * 1024
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    const result = await new Promise<{ status: number; writtenAtResponse: number }>((resolve, reject) => {
      let written = 0
      const req = httpRequest(`${base}/api/cops/${c.cop.id}/sessions/${c.session.id}/end`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(total) },
      })
      req.on('response', (res) => {
        resolve({ status: res.statusCode ?? 0, writtenAtResponse: written })
        res.resume()
        req.destroy()
      })
      req.on('error', () => undefined)
      const pump = () => {
        while (written < total) {
          written += chunk.length
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        req.end()
      }
      pump()
      setTimeout(() => reject(new Error('no response')), 60_000).unref()
    })
    expect(result.status).toBe(401)
    // the answer came while most of the body was still unsent (only socket buffers were filled)
    expect(result.writtenAtResponse).toBeLessThan(total / 2)
  }, 90_000)

  it('an API route without uploads takes 64 KiB at most (413); the end route takes its renders', async () => {
    const c = await createCop()
    const big = JSON.stringify({ title: 'x'.repeat(100 * 1024), date: '2026-01-01', start: { kind: 'empty' } })
    const res = await fetch(`${base}/api/cops/${c.cop.id}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${c.facilitator}` },
      body: big,
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: string }).error).toBe('PAYLOAD_TOO_LARGE')
  })
})

describe('§4 token redaction and transport', () => {
  it('redaction parses the query: any spelling of token, and token-shaped values under any name', () => {
    const t = 'A'.repeat(43)
    expect(redactUrl(`/sync/r?token=${t}&x=1`)).toBe('/sync/r?token=[redacted]&x=1')
    expect(redactUrl(`/sync/r?%74oken=${t}`)).toBe('/sync/r?%74oken=[redacted]')
    expect(redactUrl(`/sync/r?%74%6F%6B%65%6E=abc`)).toBe('/sync/r?%74%6F%6B%65%6E=[redacted]')
    expect(redactUrl(`/sync/r?TOKEN=abc&a=b`)).toBe('/sync/r?TOKEN=[redacted]&a=b')
    expect(redactUrl(`/api/x?t=${t}`)).toBe('/api/x?t=[redacted]')
    expect(redactUrl(`/api/x?token=bad%zz`)).toBe('/api/x?token=[redacted]')
    expect(redactUrl('/b/room#t=secret')).toBe('/b/room#t=[redacted]')
    expect(redactUrl('/api/x?room=abc')).toBe('/api/x?room=abc')
  })

  it('?%74oken= opens the socket (the server decodes the name) and the secret never reaches the log', async () => {
    const c = await createCop()
    expect((await upgrade(`${server.syncUrl}/${c.session.room}?%74oken=${c.participant}`)).status).toBe(101)
    await waitFor(() => server.logs.some((l) => JSON.stringify(l).includes('%74oken')), 'request logged')
    expect(JSON.stringify(server.logs)).not.toContain(c.participant)
  })

  it('the token travels in Sec-WebSocket-Protocol; the server selects only "copboard"; a bad one is 401', async () => {
    const c = await createCop()
    const ok = await upgrade(`${server.syncUrl}/${c.session.room}`, [SYNC_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${c.participant}`])
    expect(ok).toEqual({ status: 101, protocol: SYNC_PROTOCOL })
    expect((await upgrade(`${server.syncUrl}/${c.session.room}`, [SYNC_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${'d'.repeat(43)}`])).status).toBe(401)
    // the stock provider with the subprotocol syncs, and so does one with the query form
    const viaProtocol = new WebsocketProvider(server.syncUrl, c.session.room, new Y.Doc(), {
      WebSocketPolyfill: WebSocket as never,
      disableBc: true,
      protocols: [SYNC_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${c.participant}`],
    })
    const viaQuery = new WebsocketProvider(server.syncUrl, c.session.room, new Y.Doc(), { WebSocketPolyfill: WebSocket as never, disableBc: true, params: { token: c.participant } })
    try {
      await Promise.all([synced(viaProtocol), synced(viaQuery)])
      viaProtocol.doc.getMap('m').set('k', 'v')
      await waitFor(() => viaQuery.doc.getMap('m').get('k') === 'v', 'round trip')
    } finally {
      viaProtocol.destroy()
      viaQuery.destroy()
    }
    expect(JSON.stringify(server.logs)).not.toContain(c.participant)
  })
})

describe('§4 headers', () => {
  it('helmet sets the strict CSP and the other security headers', async () => {
    const res = await fetch(`${base}/healthz`)
    const norm = (csp: string | null) => (csp ?? '').split(/;\s*/).sort()
    expect(norm(res.headers.get('content-security-policy'))).toEqual(norm(CONTENT_SECURITY_POLICY))
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(res.headers.get('permissions-policy')).toContain('camera=()')
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/)
  })
})

describe('§4 TRUST_PROXY: limits key on the real client address', () => {
  it('behind a trusted proxy, one client over the API limit does not limit another', async () => {
    const s = await startServer({ trustProxy: ['127.0.0.1'] }, { realAuth: true, httpRateLimits: { api: { max: 5, timeWindowMs: 60_000 } } })
    try {
      const url = `http://127.0.0.1:${s.port}`
      const from = (ip: string) => fetch(`${url}/api/config`, { headers: { 'x-forwarded-for': ip } })
      for (let i = 0; i < 5; i++) expect((await from('203.0.113.5')).status).toBe(200)
      const limited = await from('203.0.113.5')
      expect(limited.status).toBe(429)
      expect(((await limited.json()) as { error: string }).error).toBe('RATE_LIMITED')
      expect((await from('203.0.113.6')).status).toBe(200)
      expect(s.logs.filter((l) => String(l.msg).startsWith('refused: HTTP rate limit'))).toHaveLength(1)
    } finally {
      await s.dispose()
    }
  })
})
