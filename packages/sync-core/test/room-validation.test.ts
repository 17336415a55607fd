/** RoomManager (SPEC.md): §3 validation of client input. Shared setup in roomHarness.ts. */
import { afterEach, describe, expect, it } from 'vitest'
import { CloseCodes } from '../src/index.js'
import { awarenessFrame, closeRooms, setup } from './roomHarness.js'
import { CapturingLogger } from './capturingLogger.js'
import { settle } from './client.js'

afterEach(closeRooms)

const badFrames: { rule: string; name: string; frame: Uint8Array; text?: boolean; code: keyof typeof CloseCodes }[] = [
  { rule: '3.1', name: 'text frame', frame: new TextEncoder().encode('hello'), text: true, code: 'TEXT_FRAME' },
  { rule: '3.1', name: 'empty frame', frame: new Uint8Array([]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'truncated sync payload', frame: new Uint8Array([0, 2, 10, 1, 2]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'truncated varint', frame: new Uint8Array([0, 0x80]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'trailing bytes', frame: new Uint8Array([3, 0]), code: 'MALFORMED_MESSAGE' },
  { rule: '3.1', name: 'unknown message type', frame: new Uint8Array([7]), code: 'UNSUPPORTED_MESSAGE_TYPE' },
  { rule: '3.1', name: 'auth message from a client', frame: new Uint8Array([2, 0, 0]), code: 'UNSUPPORTED_MESSAGE_TYPE' },
  { rule: '3.1', name: 'unknown sync sub-type', frame: new Uint8Array([0, 5, 0]), code: 'UNSUPPORTED_MESSAGE_TYPE' },
  {
    rule: '3.1',
    name: 'varint longer than 8 bytes',
    frame: new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
    code: 'OVERLONG_VARINT',
  },
  { rule: '3.1', name: 'non-minimal varint', frame: new Uint8Array([0x80, 0x00]), code: 'OVERLONG_VARINT' },
  {
    rule: '3.1',
    name: 'varint above 2^53',
    frame: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
    code: 'OVERLONG_VARINT',
  },
  { rule: '3.1', name: 'frame over the size cap', frame: new Uint8Array(2048).fill(3), code: 'MESSAGE_TOO_BIG' },
  { rule: '3.2', name: 'garbage update', frame: new Uint8Array([0, 2, 4, 5, 200, 1, 9]), code: 'INVALID_UPDATE' },
  { rule: '3.2', name: 'garbage sync step 2', frame: new Uint8Array([0, 1, 3, 1, 1, 1]), code: 'INVALID_UPDATE' },
  { rule: '3.3', name: 'state vector with a bad count', frame: new Uint8Array([0, 0, 2, 50, 1]), code: 'INVALID_STATE_VECTOR' },
  { rule: '3.3', name: 'awareness not JSON', frame: awarenessFrame([{ id: 1, clock: 1, json: '{nope' }]), code: 'INVALID_AWARENESS' },
  { rule: '3.3', name: 'awareness state is a number', frame: awarenessFrame([{ id: 1, clock: 1, json: '42' }]), code: 'INVALID_AWARENESS' },
  { rule: '3.3', name: 'awareness null not written `null`', frame: awarenessFrame([{ id: 1, clock: 1, json: ' null' }]), code: 'INVALID_AWARENESS' },
  { rule: '3.3', name: 'awareness count lies', frame: awarenessFrame([{ id: 1, clock: 1, json: '{}' }], 3), code: 'INVALID_AWARENESS' },
  {
    rule: '3.3',
    name: 'awareness with too many entries',
    frame: awarenessFrame(Array.from({ length: 20 }, (_, i) => ({ id: i, clock: 1, json: '{}' }))),
    code: 'INVALID_AWARENESS',
  },
  {
    rule: '3.3',
    name: 'awareness client id above 2^32',
    frame: awarenessFrame([{ id: 2 ** 40, clock: 1, json: '{}' }]),
    code: 'INVALID_AWARENESS',
  },
  { rule: '3.3', name: 'awareness invalid utf-8', frame: new Uint8Array([1, 6, 1, 1, 1, 2, 0xc3, 0x28]), code: 'INVALID_AWARENESS' },
]

describe('§3 validation', () => {
  for (const bad of badFrames) {
    it(`§${bad.rule} ${bad.name} -> ${bad.code}, the room carries on, one log line`, async () => {
      const { client, storage, logger } = setup({ limits: { maxMessageBytes: 1024, maxAwarenessEntries: 10 } })
      const good = client()
      const evil = client()
      await settle()
      good.doc.getText('t').insert(0, 'before')
      await settle()
      const storedBefore = storage.logs.get('r1')!.length
      evil.sendRaw(bad.frame, !bad.text)
      evil.sendRaw(bad.frame, !bad.text) // a second one must not log again
      await settle()
      expect(evil.socket.closeCode).toBe(CloseCodes[bad.code].code)
      expect(evil.socket.closeReason).toBe(CloseCodes[bad.code].reason)
      expect(storage.logs.get('r1')!.length).toBe(storedBefore)
      const warns = logger.at('warn')
      expect(warns).toHaveLength(1)
      expect(warns[0].obj.reason).toBe(bad.code)
      expect(JSON.stringify(warns[0])).not.toMatch(/\n\s+at /)
      // healthy round trip afterwards
      const other = client()
      await settle()
      good.doc.getText('t').insert(0, 'after ')
      await settle()
      expect(other.text()).toBe('after before')
    })
  }

  it('§3.3 §4.5 states are parsed only when the update changes something: an echo is dropped unparsed, a new state is checked', async () => {
    const { client } = setup({ limits: { maxAwarenessEntries: 10 } })
    const alice = client()
    const bob = client()
    const evil = client()
    await settle()
    alice.sendRaw(awarenessFrame([{ id: 7, clock: 1, json: '{"name":"Alice"}' }]))
    await settle()
    expect(bob.awareness.getStates().get(7)).toEqual({ name: 'Alice' })
    // an echo (clock not newer): nothing to apply, so its JSON is not looked at
    evil.sendRaw(awarenessFrame([{ id: 7, clock: 1, json: '{nope' }]))
    await settle()
    expect(evil.socket.closeCode).toBeNull()
    expect(bob.awareness.getStates().get(7)).toEqual({ name: 'Alice' })
    // one that would change the room: checked, closed, nothing applied
    evil.sendRaw(awarenessFrame([{ id: 7, clock: 2, json: '{nope' }]))
    await settle()
    expect(evil.socket.closeCode).toBe(CloseCodes.INVALID_AWARENESS.code)
    expect(bob.awareness.getStates().get(7)).toEqual({ name: 'Alice' })
  })

  it('§3.3 an update that changes something is checked whole, its echoed entries too (nothing of it is applied)', async () => {
    const { client, manager } = setup({ limits: { maxAwarenessEntries: 10 } })
    const alice = client()
    const evil = client()
    await settle()
    alice.sendRaw(awarenessFrame([{ id: 7, clock: 1, json: '{"name":"Alice"}' }]))
    await settle()
    // a new client first, then an echo of Alice's entry with broken JSON
    evil.sendRaw(awarenessFrame([{ id: 8, clock: 1, json: '{}' }, { id: 7, clock: 1, json: '{nope' }]))
    await settle()
    expect(evil.socket.closeCode).toBe(CloseCodes.INVALID_AWARENESS.code)
    const states = (manager as unknown as { rooms: Map<string, { awareness: { states: Map<number, unknown> } }> }).rooms.get('r1')!.awareness.states
    expect(states.has(8)).toBe(false)
    expect(states.get(7)).toEqual({ name: 'Alice' })
  })

  it('§3.3 §4.7 the states are checked before the application filter sees them (a bad one closes, it is no filter failure)', async () => {
    const seen: unknown[] = []
    const { client, logger } = setup({ filterAwareness: (_room, _doc, s) => (seen.push(s), s) })
    const evil = client()
    await settle()
    evil.sendRaw(awarenessFrame([{ id: 9, clock: 1, json: '{nope' }]))
    await settle()
    expect(evil.socket.closeCode).toBe(CloseCodes.INVALID_AWARENESS.code)
    expect(seen).toEqual([])
    expect(logger.at('error')).toEqual([])
  })

  it('§4.5 removing clients the room never saw changes nothing and is not kept', async () => {
    const { client, manager } = setup({ limits: { maxAwarenessEntries: 50 } })
    const evil = client()
    await settle()
    evil.sendRaw(awarenessFrame(Array.from({ length: 40 }, (_, i) => ({ id: 1000 + i, clock: 5, json: 'null' }))))
    await settle()
    expect(evil.socket.closeCode).toBeNull()
    const meta = (manager as unknown as { rooms: Map<string, { awareness: { meta: Map<number, unknown> } }> }).rooms.get('r1')!.awareness.meta
    expect([...meta.keys()].filter((id) => id >= 1000 && id < 1040)).toEqual([])
  })

  it('§3.1 random garbage never throws and always closes with a documented code', async () => {
    const { client } = setup({ limits: { maxMessageBytes: 4096 } })
    const codes = new Set(Object.values(CloseCodes).map((c) => c.code))
    let seed = 42
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    for (let i = 0; i < 300; i++) {
      const c = client(`fuzz${i % 5}`)
      await settle(2)
      const len = Math.floor(rnd() * 64)
      const frame = new Uint8Array(len).map(() => Math.floor(rnd() * 256))
      frame[0] = Math.floor(rnd() * 4) // mostly plausible message types
      if (len > 1 && frame[0] === 0) frame[1] = Math.floor(rnd() * 3)
      c.sendRaw(frame)
      await settle(2)
      if (c.socket.closeCode !== null) expect(codes.has(c.socket.closeCode as never)).toBe(true)
      c.destroy()
    }
  })
})

describe('§3.4 log limits', () => {
  it('§3.4 the bad-input log has a global budget and reports what it suppressed', async () => {
    const { BadInputLog } = await import('../src/logger.js')
    const logger = new CapturingLogger()
    let now = 0
    const log = new BadInputLog(logger, 3, 1000, () => now)
    for (let i = 0; i < 10; i++) log.report(new Set(), 'X', {}, 'bad')
    expect(logger.at('warn')).toHaveLength(3)
    now = 2000
    log.report(new Set(), 'X', {}, 'bad')
    expect(logger.at('warn').some((l) => l.obj.suppressed === 7)).toBe(true)
  })
})
