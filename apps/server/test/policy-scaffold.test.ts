/** The board policy on the real server: SPEC §2 scaffold, §3 validity, §6 identity and §7.2 migration (harness: policy-harness.ts). */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createTLSchema, DocumentRecordType, PageRecordType } from '@tldraw/tlschema'
import { checkDocSchema, getRecordsMap, migrateRecord, readRecords, recordToY, upsertRecord, writeDocSchema, writeRecords } from '@copboard/board'
import { indexKey, plainToRichText } from '@copboard/templates'
import { provider, synced, waitFor } from './sync-harness.js'
import { participantIdFromSecret } from '../src/auth/participant.js'
import { usePolicyServer, pageId, shapes, heading, act1Frame, SECRET_P, pidP, pidQ, rec, wire, note, board, stored } from './policy-harness.js'
import type { TLRecord } from '@tldraw/tlschema'

const server = usePolicyServer()

describe('board policy on the server (raw protocol clients): scaffold and meta', { timeout: 60_000 }, () => {
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

  it('§7.2 an older board opened first by a participant is migrated: the participant\'s migration pass (scaffold included) is stored and reaches the facilitator', async () => {
    const room = `older${Math.random().toString(36).slice(2)}`
    const schema = createTLSchema() as any
    const current = schema.serialize()
    const older = { ...current, sequences: { ...current.sequences, 'com.tldraw.shape.frame': current.sequences['com.tldraw.shape.frame'] - 1, 'com.tldraw.shape.geo': current.sequences['com.tldraw.shape.geo'] - 1 } }
    const fac = provider(server().syncUrl, room, new Y.Doc(), { as: 'facilitator' })
    await synced(fac)
    writeDocSchema(fac.doc, older)
    writeRecords(fac.doc, [
      DocumentRecordType.create({ id: 'document:document' } as never) as TLRecord,
      PageRecordType.create({ id: pageId as never, name: 'Bord', index: 'a1' as never }) as TLRecord,
      ...shapes.map((r) => schema.migratePersistedRecord(r, older, 'down').value as TLRecord),
    ])
    const part = provider(server().syncUrl, room, new Y.Doc(), { as: 'participant', participantSecret: SECRET_P })
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
