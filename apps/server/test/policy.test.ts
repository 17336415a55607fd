/**
 * The board policy on the real server, tried as an attacker would (issue 9): stock y-websocket
 * providers with plain Y.Docs (no tldraw, no client-side lock) and a raw ws observer that records
 * every byte a peer receives. Rule numbers: packages/policy/SPEC.md and sync-core SPEC §12.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import WebSocketClient from 'ws'
import type WebSocket from 'ws'
import { createTLSchema, DocumentRecordType, PageRecordType, type TLRecord } from '@tldraw/tlschema'
import { checkDocSchema, getRecordsMap, migrateRecord, readRecords, recordToY, upsertRecord, writeDocSchema, writeRecords } from '@copboard/board'
import { getTemplate, indexKey, plainToRichText, templateToRecords } from '@copboard/templates'
import type { WebsocketProvider } from 'y-websocket'
import { provider, startServer, synced, waitFor, type TestServer } from './sync-harness.js'
import { participantIdFromSecret } from '../src/auth/participant.js'
import type { Authorize } from '../src/app.js'

const asRole: Authorize = async (request) => {
  const role = (request.query as Record<string, string>).as
  return { ok: true, role: role === 'facilitator' || role === 'viewer' ? role : 'participant' }
}

let server: TestServer
beforeAll(async () => {
  server = await startServer({ roomIdleMs: 300 }, { authorize: asRole })
})
afterAll(async () => {
  await server?.dispose()
})

const pageId = 'page:main'
const comedy = getTemplate('comedy')!
const shapes = templateToRecords(comedy, { pageId })
const heading = shapes.find((s) => (s.meta as any).copboard?.part === 'heading' && (s.meta as any).copboard.zoneId === 'act1')!
const act1Frame: any = shapes.find((s) => (s.meta as any).copboard?.part === 'zone' && (s.meta as any).copboard.zoneId === 'act1')!
const SECRET_P = 'p'.repeat(43)
const SECRET_Q = 'q'.repeat(43)
const pidP = participantIdFromSecret(SECRET_P)!
const pidQ = participantIdFromSecret(SECRET_Q)!

function note(id: string, x: number, y: number, meta: Record<string, unknown>): TLRecord {
  return {
    id: `shape:${id}`, typeName: 'shape', type: 'note', x, y, rotation: 0, index: 'a5', parentId: pageId, isLocked: false, opacity: 1, meta,
    props: { color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 0, align: 'middle', verticalAlign: 'middle', growY: 0, url: '', richText: plainToRichText('Ze luisteren nooit'), scale: 1, textLastEditedBy: null },
  } as unknown as TLRecord
}

interface Board {
  room: string
  fac: WebsocketProvider
  part: WebsocketProvider
  /** Every frame a second participant received, raw. */
  frames: Buffer[]
  observer: WebSocket
  denied: string[]
  close(): void
}

/** A launched comedy board: the facilitator writes the template, a participant and a raw observer join. */
async function board(): Promise<Board> {
  const room = `policy${Math.random().toString(36).slice(2)}`
  const fac = provider(server.syncUrl, room, new Y.Doc(), { as: 'facilitator' })
  await synced(fac)
  writeDocSchema(fac.doc, createTLSchema())
  writeRecords(fac.doc, [
    DocumentRecordType.create({ id: 'document:document' } as never) as TLRecord,
    PageRecordType.create({ id: pageId as never, name: 'Bord', index: 'a1' as never }) as TLRecord,
    ...shapes,
  ])
  const part = provider(server.syncUrl, room, new Y.Doc(), { as: 'participant', participantSecret: SECRET_P })
  await synced(part)
  await waitFor(() => getRecordsMap(part.doc).size === shapes.length + 2, "participant has the board")
  const denied: string[] = []
  // the stock provider only logs permission denied; record what the server said
  const handlers = (part as unknown as { messageHandlers: ((...a: any[]) => void)[] }).messageHandlers
  handlers[2] = (_e: unknown, decoder: { arr: Uint8Array; pos: number }) => {
    const bytes = decoder.arr.subarray(decoder.pos)
    denied.push(new TextDecoder().decode(bytes.subarray(2)))
    decoder.pos = decoder.arr.length
  }
  const frames: Buffer[] = []
  const observer = new WebSocketClient(`${server.syncUrl}/${room}?as=participant`)
  observer.on('message', (data: Buffer) => frames.push(data))
  await waitFor(() => frames.length > 0, 'observer greeted')
  return {
    room, fac, part, frames, observer, denied,
    close() {
      fac.destroy()
      part.destroy()
      observer.close()
    },
  }
}

const rec = (d: Y.Doc, id: string) => getRecordsMap(d).get(id) as Y.Map<any>
const wire = (frames: Buffer[], needle: string) => frames.some((f) => f.includes(needle))
async function stored(room: string): Promise<{ doc: Y.Doc; bytes: Buffer[] }> {
  await server.app.rooms.encodeState(room) // waits until every accepted edit is durable
  const updates = await server.storage.loadRoom(room)
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return { doc, bytes: updates.map((u) => Buffer.from(u)) }
}

describe('board policy on the server (raw protocol clients)', { timeout: 60_000 }, () => {
  it('§2.1 a participant\'s move/unlock/retitle/delete/un-flag of comedy scaffold in one transaction is refused: not stored, never seen by a peer, the sender converges back', async () => {
    const b = await board()
    try {
      const before = rec(b.part.doc, heading.id).toJSON()
      b.part.doc.transact(() => {
        rec(b.part.doc, act1Frame.id).set('x', 5000) // move
        rec(b.part.doc, act1Frame.id).set('isLocked', false) // unlock
        ;(rec(b.part.doc, heading.id).get('props') as Y.Map<unknown>).set('richText', plainToRichText('OVERGENOMEN door deelnemer')) // retitle
        ;(rec(b.part.doc, heading.id).get('meta') as Y.Map<any>).set('copboard', { ...(heading.meta as any).copboard, scaffold: false }) // un-flag
        getRecordsMap(b.part.doc).delete(shapes.find((s) => (s.meta as any).copboard?.part === 'prompt')!.id) // delete
      })
      await waitFor(() => b.denied.length > 0, 'refusal notice')
      expect(b.denied).toEqual(['policy:scaffold-locked'])
      // the sender's board returns to the server's state
      await waitFor(() => rec(b.part.doc, act1Frame.id)?.get('x') === act1Frame.x && rec(b.part.doc, heading.id)?.get('props').get('richText').content[0].content[0].text !== 'OVERGENOMEN door deelnemer', 'sender converged')
      expect(rec(b.part.doc, heading.id).toJSON()).toEqual(before)
      expect(getRecordsMap(b.part.doc).size).toBe(shapes.length + 2)
      expect(rec(b.part.doc, act1Frame.id).get('isLocked')).toBe(true)
      // the facilitator (a peer) never saw it, the raw observer never got the bytes
      expect(rec(b.fac.doc, act1Frame.id).get('x')).toBe(act1Frame.x)
      expect(wire(b.frames, 'OVERGENOMEN')).toBe(false)
      const s = await stored(b.room)
      expect(s.bytes.some((u) => u.includes('OVERGENOMEN'))).toBe(false)
      expect(rec(s.doc, heading.id).toJSON()).toEqual(before)
      expect(getRecordsMap(s.doc).size).toBe(shapes.length + 2)
      // and the participant can still work on the board afterwards
      getRecordsMap(b.part.doc).set('shape:after', recordToY(note('after', 100, 1500, { author: 'Fatima' })) as Y.Map<unknown>)
      await waitFor(() => getRecordsMap(b.fac.doc).has('shape:after'), 'later note reaches the facilitator')
    } finally {
      b.close()
    }
  })

  it('§2.4 the facilitator may change the scaffold', async () => {
    const b = await board()
    try {
      rec(b.fac.doc, heading.id).set('x', 777)
      await waitFor(() => rec(b.part.doc, heading.id).get('x') === 777, 'participant sees the facilitator move')
      expect((await stored(b.room)).doc.getMap('records').get(heading.id)).toBeInstanceOf(Y.Map)
    } finally {
      b.close()
    }
  })

  it('§4.1 an author in an anonymous zone is never stored and never on a peer\'s wire; without author the note is kept', async () => {
    const b = await board()
    try {
      const z = comedy.zones.find((d) => d.id === 'act1-gemeente')!
      const x = z.rect.x + 40
      const y = z.rect.y + 40
      getRecordsMap(b.part.doc).set('shape:anon', recordToY(note('anon', x, y, { author: 'Fatima Verraden', perspective: 'gemeente' })) as Y.Map<unknown>)
      await waitFor(() => b.denied.includes('policy:anonymous-author'), 'refusal notice')
      await waitFor(() => !getRecordsMap(b.part.doc).has('shape:anon'), 'sender converged')
      getRecordsMap(b.part.doc).set('shape:anon2', recordToY(note('anon2', x, y, { anonymous: true })) as Y.Map<unknown>)
      await waitFor(() => getRecordsMap(b.fac.doc).has('shape:anon2'), 'anonymous note arrives')
      expect(wire(b.frames, 'Fatima Verraden')).toBe(false)
      const s = await stored(b.room)
      expect(s.bytes.some((u) => u.includes('Fatima Verraden'))).toBe(false)
      expect(getRecordsMap(s.doc).has('shape:anon')).toBe(false)
      expect(getRecordsMap(s.doc).has('shape:anon2')).toBe(true)
    } finally {
      b.close()
    }
  })

  it('§4.3 moving the anonymous act onto an authored note is refused: the facilitator converges back, the note keeps its author outside act 1; moving it elsewhere is fine', async () => {
    const b = await board()
    try {
      const act2 = comedy.zones.find((d) => d.id === 'act2-gemeente')!
      getRecordsMap(b.part.doc).set('shape:named', recordToY(note('named', act2.rect.x + 40, act2.rect.y + 40, { author: 'Anna Zichtbaar', perspective: 'gemeente' })) as Y.Map<unknown>)
      await waitFor(() => getRecordsMap(b.fac.doc).has('shape:named'), 'authored note arrives')
      const facDenied: string[] = []
      const handlers = (b.fac as unknown as { messageHandlers: ((...a: any[]) => void)[] }).messageHandlers
      handlers[2] = (_e: unknown, decoder: { arr: Uint8Array; pos: number }) => {
        facDenied.push(new TextDecoder().decode(decoder.arr.subarray(decoder.pos).subarray(2)))
        decoder.pos = decoder.arr.length
      }
      const a2 = comedy.zones.find((d) => d.id === 'act2')!
      b.fac.doc.transact(() => {
        rec(b.fac.doc, act1Frame.id).set('x', a2.rect.x)
        rec(b.fac.doc, act1Frame.id).set('y', a2.rect.y)
      })
      await waitFor(() => facDenied.includes('policy:anonymous-author'), 'refusal notice')
      await waitFor(() => rec(b.fac.doc, act1Frame.id).get('x') === act1Frame.x && rec(b.fac.doc, act1Frame.id).get('y') === act1Frame.y, 'facilitator converged')
      expect(rec(b.part.doc, act1Frame.id).get('x')).toBe(act1Frame.x)
      let s = await stored(b.room)
      expect(rec(s.doc, act1Frame.id).get('x')).toBe(act1Frame.x)
      // the same frame moved where no authored note lies: stored and seen
      rec(b.fac.doc, act1Frame.id).set('x', act1Frame.x + 8000)
      await waitFor(() => rec(b.part.doc, act1Frame.id).get('x') === act1Frame.x + 8000, 'participant sees the move')
      s = await stored(b.room)
      expect(rec(s.doc, act1Frame.id).get('x')).toBe(act1Frame.x + 8000)
    } finally {
      b.close()
    }
  })

  it('§7.2 an older board opened first by a participant is migrated: the participant\'s migration pass (scaffold included) is stored and reaches the facilitator', async () => {
    const room = `older${Math.random().toString(36).slice(2)}`
    const schema = createTLSchema() as any
    const current = schema.serialize()
    const older = { ...current, sequences: { ...current.sequences, 'com.tldraw.shape.frame': current.sequences['com.tldraw.shape.frame'] - 1, 'com.tldraw.shape.geo': current.sequences['com.tldraw.shape.geo'] - 1 } }
    const fac = provider(server.syncUrl, room, new Y.Doc(), { as: 'facilitator' })
    await synced(fac)
    writeDocSchema(fac.doc, older)
    writeRecords(fac.doc, [
      DocumentRecordType.create({ id: 'document:document' } as never) as TLRecord,
      PageRecordType.create({ id: pageId as never, name: 'Bord', index: 'a1' as never }) as TLRecord,
      ...shapes.map((r) => schema.migratePersistedRecord(r, older, 'down').value as TLRecord),
    ])
    const part = provider(server.syncUrl, room, new Y.Doc(), { as: 'participant', participantSecret: SECRET_P })
    const denied: string[] = []
    ;(part as unknown as { messageHandlers: ((...a: any[]) => void)[] }).messageHandlers[2] = (_e: unknown, decoder: { arr: Uint8Array; pos: number }) => {
      denied.push(new TextDecoder().decode(decoder.arr.subarray(decoder.pos).subarray(2)))
      decoder.pos = decoder.arr.length
    }
    try {
      await synced(part)
      await waitFor(() => getRecordsMap(part.doc).size === shapes.length + 2, 'participant has the older board')
      expect(checkDocSchema(part.doc, schema)).toBe('older')
      // what the web client's binding does first on an older board (board README rule 6)
      part.doc.transact(() => {
        for (const r of readRecords(part.doc)) upsertRecord(getRecordsMap(part.doc) as never, migrateRecord(schema, older, r)!)
        writeDocSchema(part.doc, schema)
      })
      await waitFor(() => checkDocSchema(fac.doc, schema) === 'same', 'the facilitator sees the migrated board')
      const s = await stored(room)
      expect(denied).toEqual([])
      expect(checkDocSchema(s.doc, schema)).toBe('same')
      const frame = readRecords(s.doc).find((r) => r.id === act1Frame.id)!
      expect(frame).toEqual(migrateRecord(schema, older, schema.migratePersistedRecord(act1Frame, older, 'down').value))
    } finally {
      fac.destroy()
      part.destroy()
    }
  })

  it('§5 session state: a participant\'s write is refused, its own entry is allowed, someone else\'s entry is refused', async () => {
    const b = await board()
    try {
      b.fac.doc.transact(() => {
        const votes = new Y.Map()
        const v1 = new Y.Map()
        for (const [k, v] of Object.entries({ title: 'Welke eerst?', scope: { kind: 'board', pageId }, dotsPerPerson: 2, state: 'open', openedAt: 1, closedAt: null })) v1.set(k, v)
        v1.set('dots', new Y.Map())
        votes.set('v1', v1)
        b.fac.doc.getMap('session').set('votes', votes)
      })
      writeRecords(b.fac.doc, [note('a', 3000, 3000, {})])
      const dots = (d: Y.Doc) => ((d.getMap('session').get('votes') as Y.Map<any>)?.get('v1') as Y.Map<any>)?.get('dots') as Y.Map<any> | undefined
      await waitFor(() => !!dots(b.part.doc), 'vote reaches the participant')
      b.part.doc.getMap('session').set('timer', { state: 'running', endsAt: 0, durationMs: 1 })
      await waitFor(() => b.denied.includes('policy:session-facilitator-only'), 'timer refused')
      await waitFor(() => !b.part.doc.getMap('session').has('timer'), 'timer reverted')
      await waitFor(() => getRecordsMap(b.part.doc).has('shape:a'), 'note reaches the participant')
      const own = new Y.Array<string>()
      own.push(['shape:a'])
      dots(b.part.doc)!.set(pidP, own)
      await waitFor(() => dots(b.fac.doc)?.has(pidP) === true, 'own dots reach the facilitator')
      dots(b.part.doc)!.set(pidQ, new Y.Array())
      await waitFor(() => b.denied.includes('policy:not-own-entry'), 'foreign entry refused')
      await waitFor(() => !dots(b.part.doc)!.has(pidQ), 'foreign entry reverted')
      const s = await stored(b.room)
      expect(dots(s.doc)!.has(pidP)).toBe(true)
      expect(dots(s.doc)!.has(pidQ)).toBe(false)
      expect(s.doc.getMap('session').has('timer')).toBe(false)
    } finally {
      b.close()
    }
  })

  it('§5.4 run of show: a participant cannot start the timer, close a vote, move someone else\'s dot or exceed N dots; the facilitator can close', async () => {
    const b = await board()
    const q = provider(server.syncUrl, b.room, new Y.Doc(), { as: 'participant', participantSecret: SECRET_Q })
    try {
      await synced(q)
      const vote = (d: Y.Doc) => (d.getMap('session').get('votes') as Y.Map<any> | undefined)?.get('v1') as Y.Map<any> | undefined
      b.fac.doc.transact(() => {
        const votes = new Y.Map()
        const v1 = new Y.Map()
        for (const [k, v] of Object.entries({ title: 'Welke eerst?', scope: { kind: 'board', pageId }, dotsPerPerson: 2, state: 'open', openedAt: 1, closedAt: null })) v1.set(k, v)
        v1.set('dots', new Y.Map())
        votes.set('v1', v1)
        b.fac.doc.getMap('session').set('votes', votes)
        b.fac.doc.getMap('session').set('timer', { state: 'idle', durationMs: 600_000 })
      })
      writeRecords(b.fac.doc, [note('a', 3000, 3000, {}), note('b', 3300, 3000, {})])
      await waitFor(() => !!vote(b.part.doc) && !!vote(q.doc) && getRecordsMap(q.doc).has('shape:b') && getRecordsMap(b.part.doc).has('shape:b'), 'vote and notes reach both participants')
      // Q places a dot
      const qd = new Y.Array<string>()
      qd.push(['shape:b'])
      vote(q.doc)!.get('dots').set(pidQ, qd)
      await waitFor(() => vote(b.part.doc)?.get('dots').get(pidQ)?.length === 1, "Q's dot reaches P")
      // P: start the timer, close the vote, move Q's dot, take 3 dots: each refused and reverted
      b.part.doc.getMap('session').set('timer', { state: 'running', durationMs: 600_000, endsAt: Date.now() + 600_000 })
      await waitFor(() => (b.part.doc.getMap('session').get('timer') as any)?.state === 'idle', 'timer start reverted')
      vote(b.part.doc)!.set('state', 'closed')
      await waitFor(() => vote(b.part.doc)!.get('state') === 'open', 'close reverted')
      const theirs = vote(b.part.doc)!.get('dots').get(pidQ) as Y.Array<string>
      b.part.doc.transact(() => {
        theirs.delete(0, 1)
        theirs.push(['shape:a'])
      })
      await waitFor(() => (vote(b.part.doc)!.get('dots').get(pidQ) as Y.Array<string>).toArray().join() === 'shape:b', 'moved dot reverted')
      const three = new Y.Array<string>()
      three.push(['shape:a', 'shape:a', 'shape:b'])
      vote(b.part.doc)!.get('dots').set(pidP, three)
      await waitFor(() => b.denied.includes('policy:vote-rule'), 'third dot refused')
      await waitFor(() => !vote(b.part.doc)!.get('dots').has(pidP), 'over-limit dots reverted')
      expect(b.denied).toEqual(expect.arrayContaining(['policy:session-facilitator-only', 'policy:not-own-entry', 'policy:vote-rule']))
      // the facilitator closes; afterwards Q cannot add a dot
      vote(b.fac.doc)!.set('state', 'closed')
      await waitFor(() => vote(q.doc)?.get('state') === 'closed', 'close reaches Q')
      ;(vote(q.doc)!.get('dots').get(pidQ) as Y.Array<string>).push(['shape:a'])
      await waitFor(() => (vote(q.doc)!.get('dots').get(pidQ) as Y.Array<string>).length === 1, 'dot after close reverted')
      const s = await stored(b.room)
      expect((s.doc.getMap('session').get('timer') as any).state).toBe('idle')
      expect(vote(s.doc)!.get('state')).toBe('closed')
      expect((vote(s.doc)!.get('dots').get(pidQ) as Y.Array<string>).toArray()).toEqual(['shape:b'])
      expect(vote(s.doc)!.get('dots').has(pidP)).toBe(false)
      // the refused timer start never reached another participant's wire
      expect(wire(b.frames, 'running')).toBe(false)
    } finally {
      q.destroy()
      b.close()
    }
  })

  it('§3.2 an oversized record (a line with 150,000 points) is refused and never stored', async () => {
    const b = await board()
    try {
      const points: Record<string, unknown> = {}
      for (let i = 0; i < 150_000; i++) points[`p${i}`] = { id: `p${i}`, index: indexKey(i % 3000), x: i, y: i }
      const line = { id: 'shape:poison', typeName: 'shape', type: 'line', x: 0, y: 0, rotation: 0, index: 'a9', parentId: pageId, isLocked: false, opacity: 1, meta: {}, props: { color: 'black', dash: 'solid', size: 'm', spline: 'line', points, scale: 1 } } as unknown as TLRecord
      getRecordsMap(b.part.doc).set('shape:poison', recordToY(line) as Y.Map<unknown>)
      // a 150,000-point record takes long to encode and judge on a loaded machine: generous waits
      await waitFor(() => b.denied.includes('policy:too-large'), 'refusal notice', 120_000)
      await waitFor(() => !getRecordsMap(b.part.doc).has('shape:poison'), 'sender converged', 120_000)
      const s = await stored(b.room)
      expect(getRecordsMap(s.doc).has('shape:poison')).toBe(false)
      expect(s.bytes.reduce((n, u) => n + u.length, 0)).toBeLessThan(1_000_000)
    } finally {
      b.close()
    }
  }, 300_000)

  it('§6 the server derives the participantId from the secret (sha256, base64url, 22 characters)', () => {
    expect(pidP).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(participantIdFromSecret(SECRET_P)).toBe(pidP)
    expect(pidQ).not.toBe(pidP)
    expect(participantIdFromSecret('short')).toBeNull()
    expect(participantIdFromSecret(undefined)).toBeNull()
  })
})
