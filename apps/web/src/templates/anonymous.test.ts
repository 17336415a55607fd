/** The web client's zone cache drops its zones on the same changes as the server's policy (policy SPEC §4.2). */
import { describe, expect, it } from 'vitest'
import type { TLRecord } from 'tldraw'
import { toMap, zoneTreeIds } from '@copboard/templates'
import { movesZones } from './anonymous'

const shape = (id: string, type: string, parentId: string, meta: Record<string, unknown> = {}) =>
  ({ id, typeName: 'shape', type, x: 0, y: 0, rotation: 0, parentId, index: 'a1', isLocked: false, opacity: 1, props: {}, meta }) as unknown as TLRecord
const zoneMeta = { copboard: { templateId: 'comedy', version: 1, zoneId: 'act1', scaffold: true, part: 'zone' } }

describe('anonymous zones: what moves them', () => {
  const page = { id: 'page:p', typeName: 'page', name: 'Bord', index: 'a1', meta: {} } as unknown as TLRecord
  const holder = shape('shape:holder', 'frame', 'page:p')
  const act1 = shape('shape:act1', 'frame', 'shape:holder', zoneMeta)
  const note = shape('shape:note', 'note', 'shape:act1')
  const tree = zoneTreeIds(toMap([page, holder, act1, note]))

  it('a frame the template sits in (not scaffold, anyone may move it) and the zone itself move zones; a note in it does not', () => {
    expect(movesZones(tree, [holder])).toBe(true)
    expect(movesZones(tree, [act1])).toBe(true)
    expect(movesZones(tree, [note])).toBe(false)
  })

  it('a shape that becomes, or is created as, a zone moves zones', () => {
    expect(movesZones(tree, [shape('shape:new', 'frame', 'page:p', zoneMeta)])).toBe(true)
    expect(movesZones(tree, [note, { ...note, meta: zoneMeta } as TLRecord])).toBe(true)
  })
})
