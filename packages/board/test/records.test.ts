import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createTLSchema, PageRecordType, type TLRecord } from '@tldraw/tlschema'
import { readRecords, writeRecords, getRecordsMap, checkDocSchema, writeDocSchema, deleteRecords } from '../src/index.js'

const page = PageRecordType.create({ id: PageRecordType.createId('p1'), name: 'P', index: 'a1' as any })
const note = {
  id: 'shape:n1', typeName: 'shape', type: 'note', x: 10, y: 20, rotation: 0, index: 'a1', parentId: page.id,
  isLocked: false, opacity: 1, meta: { author: 'A', perspective: 'gemeente' },
  props: { color: 'blue', richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'hi' }] }] } },
} as unknown as TLRecord

describe('readRecords/writeRecords', () => {
  it('round-trips records, nesting props and meta as Y.Maps', () => {
    const doc = new Y.Doc()
    writeRecords(doc, [page, note])
    const back = readRecords(doc).sort((a, b) => a.id.localeCompare(b.id))
    expect(back).toEqual([page, note].sort((a, b) => a.id.localeCompare(b.id)))
    const y = getRecordsMap(doc).get('shape:n1')!
    expect(y.get('props')).toBeInstanceOf(Y.Map)
    expect(y.get('meta')).toBeInstanceOf(Y.Map)
  })
  it('writes only changed fields and replace deletes the rest', () => {
    const doc = new Y.Doc()
    writeRecords(doc, [page, note])
    let n = 0
    doc.on('update', () => n++)
    writeRecords(doc, [page, note])
    expect(n).toBe(0) // nothing changed, no update
    writeRecords(doc, [{ ...note, x: 99 } as TLRecord], { replace: true })
    expect(readRecords(doc).map((r) => r.id)).toEqual(['shape:n1'])
    expect((readRecords(doc)[0] as any).x).toBe(99)
    deleteRecords(doc, ['shape:n1'])
    expect(readRecords(doc)).toEqual([])
  })
  it('survives a sync to another doc', () => {
    const a = new Y.Doc()
    writeRecords(a, [page, note])
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(readRecords(b)).toHaveLength(2)
  })
  it('schema status: empty, same, newer', () => {
    const schema = createTLSchema()
    const doc = new Y.Doc()
    expect(checkDocSchema(doc, schema)).toBe('empty')
    writeDocSchema(doc, schema)
    expect(checkDocSchema(doc, schema)).toBe('same')
    const s = schema.serialize()
    const newer = { ...s, sequences: { ...s.sequences, 'com.tldraw.shape.note': 999 } }
    writeDocSchema(doc, newer as any)
    expect(checkDocSchema(doc, schema)).toBe('newer')
  })
})

describe('schema compatibility between server and web client', () => {
  it('a doc stamped with createTLSchema() (server) is "same" for the web store (createTLStore + default shape utils)', async () => {
    const { createTLStore, defaultShapeUtils, defaultBindingUtils } = await import('tldraw')
    const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    const doc = new Y.Doc()
    writeDocSchema(doc, createTLSchema().serialize())
    expect(checkDocSchema(doc, store.schema)).toBe('same')
    const doc2 = new Y.Doc()
    writeDocSchema(doc2, store.schema)
    expect(checkDocSchema(doc2, createTLSchema())).toBe('same')
  })
})
