/** Board policy SPEC §7 meta and migration of older boards; shared harness: fixture.ts. */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { checkDocSchema, getRecordsMap, migrateRecord, readRecords, upsertRecord, writeDocSchema, writeRecords } from '@copboard/board'
import { createTLSchema, DocumentRecordType, PageRecordType } from '@tldraw/tlschema'
import { attempt, boardDoc, facilitator, heading, note, noteAtZone, pageId, participant, rec, shapes, zoneShape, refusedWith, ok } from './fixture.js'
import type { TLRecord } from '@tldraw/tlschema'

describe('§7 meta', () => {
  it('§7.1 anyone who edits may stamp the schema, but not one newer than the server knows', () => {
    const doc = boardDoc()
    expect(attempt(doc, participant, (d) => d.getMap('meta').set('layoutVersion', 1))).toEqual(ok)
    expect(attempt(doc, participant, (d) => d.getMap('meta').set('layoutVersion', 99))).toEqual(refusedWith('schema-newer'))
  })
})

describe('§7.2 §7.3 an older board migrated by whoever opens it first', () => {
  const schema = createTLSchema() as any
  const current = schema.serialize()
  // frames and geo shapes one migration behind (the comedy scaffold is made of both)
  const older = { ...current, sequences: { ...current.sequences, 'com.tldraw.shape.frame': current.sequences['com.tldraw.shape.frame'] - 1, 'com.tldraw.shape.geo': current.sequences['com.tldraw.shape.geo'] - 1 } }
  const olderBoard = (extra: TLRecord[] = []) => {
    const doc = new Y.Doc()
    writeDocSchema(doc, older)
    const down = (r: TLRecord) => schema.migratePersistedRecord(r, older, 'down').value as TLRecord
    writeRecords(doc, [DocumentRecordType.create({ id: 'document:document' } as never) as TLRecord, PageRecordType.create({ id: pageId as never, name: 'Bord', index: 'a1' as never }) as TLRecord, ...shapes.map(down), ...extra])
    return doc
  }
  /** What the web client's binding does on an older board (board README rule 6): every record up, our stamp, one transaction. */
  const migrate = (d: Y.Doc, also: (d: Y.Doc) => void = () => {}) =>
    d.transact(() => {
      for (const r of readRecords(d)) upsertRecord(getRecordsMap(d) as never, migrateRecord(schema, older, r)!)
      writeDocSchema(d, schema)
      also(d)
    })

  it('§7.2 a participant\'s migration of an older comedy board (scaffold included) is admitted, as is the facilitator\'s', () => {
    const doc = olderBoard()
    expect(checkDocSchema(doc, schema)).toBe('older')
    expect(attempt(doc, participant, (d) => migrate(d))).toEqual(ok)
    expect(attempt(doc, facilitator, (d) => migrate(d))).toEqual(ok)
  })

  it('§7.2 a scaffold change riding along with the migration is still refused', () => {
    const doc = olderBoard()
    expect(attempt(doc, participant, (d) => migrate(d, (x) => rec(x, heading.id).set('x', 999)))).toEqual(refusedWith('scaffold-locked'))
    expect(attempt(doc, participant, (d) => migrate(d, (x) => rec(x, zoneShape('act1').id).set('y', -500)))).toEqual(refusedWith('scaffold-locked'))
  })

  it('§7.2 an authored note an older board already had in act 1 does not block its migration', () => {
    const at = noteAtZone('act1-gemeente')
    const doc = olderBoard([note('old', at.x, at.y, { author: 'Eva', perspective: 'initiatief' })])
    expect(attempt(doc, participant, (d) => migrate(d))).toEqual(ok)
  })

  it('§7.3 stamping the current schema over records that were not migrated is refused (they would read as current)', () => {
    const doc = olderBoard()
    expect(attempt(doc, participant, (d) => writeDocSchema(d, schema))).toEqual(refusedWith('invalid-record'))
    expect(attempt(doc, facilitator, (d) => writeDocSchema(d, schema))).toEqual(refusedWith('invalid-record'))
  })
})
