/** The web client's zone cache goes stale on the same changes as the server's policy drops its zones (policy SPEC §4.2). */
import { describe, expect, it } from 'vitest'
import type { TLRecord } from 'tldraw'
import { toMap, zoneTreeIds } from '@copboard/templates'
import { zonesStale } from './anonymous'

const shape = (id: string, type: string, parentId: string, meta: Record<string, unknown> = {}) =>
  ({ id, typeName: 'shape', type, x: 0, y: 0, rotation: 0, parentId, index: 'a1', isLocked: false, opacity: 1, props: {}, meta }) as unknown as TLRecord
const zoneMeta = { copboard: { templateId: 'comedy', version: 1, zoneId: 'act1', scaffold: true, part: 'zone' } }

describe('anonymous zones: when the cached zones are stale', () => {
  const page = { id: 'page:p', typeName: 'page', name: 'Bord', index: 'a1', meta: {} } as unknown as TLRecord
  const holder = shape('shape:holder', 'frame', 'page:p')
  const act1 = shape('shape:act1', 'frame', 'shape:holder', zoneMeta)
  const note = shape('shape:note', 'note', 'shape:act1')
  const records = toMap([page, holder, act1, note])
  const tree = new Map([...zoneTreeIds(records)].map((id) => [id, records.get(id)!]))
  const after = (...changed: TLRecord[]) => {
    const now = new Map(records)
    for (const r of changed) now.set(r.id, r)
    return (id: string) => now.get(id)
  }

  it('a frame the template sits in (not scaffold, anyone may move it) or the zone itself changed: stale; a note in the zone moved: not', () => {
    expect(zonesStale(tree, after({ ...holder, x: 500 } as TLRecord))).toBe(true)
    expect(zonesStale(tree, after({ ...act1, x: 5 } as TLRecord))).toBe(true)
    expect(zonesStale(tree, after({ ...note, x: 5 } as TLRecord))).toBe(false)
    expect(zonesStale(tree, after())).toBe(false)
  })

  it('a zone shape deleted: stale', () => {
    expect(zonesStale(tree, (id) => (id === 'shape:act1' ? undefined : records.get(id)))).toBe(true)
  })
})
