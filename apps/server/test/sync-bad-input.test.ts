import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCodes, type CloseCodeName } from '@copboard/sync-core'
import { awarenessFrame, closed, rawClient, roundTrip, startServer, type TestServer } from './sync-harness.js'

const MAX = 64 * 1024
let server: TestServer
beforeAll(async () => {
  server = await startServer({ maxMessageBytes: MAX })
})
afterAll(async () => {
  await server?.dispose()
})

const cases: { rule: string; name: string; send: Uint8Array | string; code: CloseCodeName }[] = [
  { rule: '3.1', name: 'text frame', send: 'hello', code: 'TEXT_FRAME' },
  { rule: '3.1', name: 'malformed (empty) frame', send: new Uint8Array(0), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'truncated frame', send: new Uint8Array([0, 2, 50, 1, 2, 3]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'unknown message type', send: new Uint8Array([9]), code: 'UNSUPPORTED_MESSAGE_TYPE' },
  { rule: '3.1', name: 'overlong varint', send: new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), code: 'OVERLONG_VARINT' },
  { rule: '3.1', name: 'frame over the size cap', send: new Uint8Array(MAX + 1000).fill(1), code: 'MESSAGE_TOO_BIG' },
  { rule: '3.2', name: 'undecodable Yjs update', send: new Uint8Array([0, 2, 6, 1, 5, 0xff, 0xff, 0xff, 0x0f]), code: 'INVALID_UPDATE' },
  { rule: '3.3', name: 'bogus awareness (not JSON)', send: awarenessFrame([{ id: 12345, clock: 1, json: '{"a":' }]), code: 'INVALID_AWARENESS' },
  { rule: '3.3', name: 'bogus awareness (array state)', send: awarenessFrame([{ id: 12345, clock: 1, json: '[1,2]' }]), code: 'INVALID_AWARENESS' },
]

describe('bad input closes only the offending socket with its documented code', () => {
  for (const c of cases) {
    it(`§${c.rule} ${c.name} -> ${CloseCodes[c.code].code} ${c.code}; server healthy; one log line, no stack`, async () => {
      const room = `bad-${c.code}-${Math.random().toString(36).slice(2, 8)}`
      const logStart = server.logs.length
      const ws = await rawClient(`${server.syncUrl}/${room}`)
      const ev = closed(ws)
      ws.send(c.send)
      ws.send(c.send) // a repeat must not log a second line
      const { code, reason } = await ev
      expect(code).toBe(CloseCodes[c.code].code)
      if (CloseCodes[c.code].sentBy !== 'transport' && c.code !== 'MESSAGE_TOO_BIG') expect(reason).toBe(CloseCodes[c.code].reason)
      await roundTrip(server.syncUrl, room)
      await roundTrip(server.syncUrl)
      const lines = server.logs.slice(logStart)
      const about = lines.filter((l) => l.reason === c.code)
      expect(about).toHaveLength(1)
      expect(about[0].level).toBe(40)
      for (const l of lines) {
        expect(JSON.stringify(l)).not.toMatch(/\\n\s+at /)
        expect(l.level as number).toBeLessThan(50)
      }
    })
  }
})
