/**
 * Anonymous zones and the reveal of private drafts (SPEC rules 17–18).
 *
 * `isAnonymousAt`: the innermost zone at a page point is one a template marks anonymous.
 * `planReveal`: turns one participant's draft records (private shapes + bindings touching them)
 * into board records: fresh ids (the draft copy and the board copy never share an id, so a client
 * that sees the draft removal and the board addition in either order shows the note once),
 * `meta.private` dropped, parents/bindings remapped, and every trace of the author removed from
 * a note that lands in an anonymous zone (meta author/perspective, tldraw's textLastEditedBy,
 * the perspective colour). Shapes whose page is gone stay in the draft.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { getTemplate } from './registry'
import { boardZones, noteCenter, pageOf, toMap, zoneOfPoint, type BoardZone, type RecordMap } from './zones'

export const ANONYMOUS_NOTE_COLOR = 'yellow'

export function isAnonymousZone(zone: BoardZone | null): boolean {
  if (!zone) return false
  return getTemplate(zone.templateId)?.zones.find((z) => z.id === zone.zoneId)?.anonymous === true
}

export function isAnonymousAt(zones: BoardZone[], point: { x: number; y: number }, pageId: string): boolean {
  return isAnonymousZone(zoneOfPoint(zones, point, pageId))
}

/** A note without any trace of who wrote it (as the client's anonymous-zone rule leaves it). */
export function anonymizeNote<T extends TLShape>(note: T): T {
  const meta: Record<string, unknown> = { ...(note.meta as Record<string, unknown>), anonymous: true }
  delete meta.author
  delete meta.perspective
  return { ...note, meta, props: { ...(note.props as object), textLastEditedBy: null, color: ANONYMOUS_NOTE_COLOR } } as T
}

export interface RevealPlan {
  /** Records to write into the board. */
  put: TLRecord[]
  /** Draft record ids that were moved (to delete from the draft). */
  moved: string[]
  /** Notes that landed in an anonymous zone (authors stripped). */
  anonymized: number
}

export function planReveal(board: RecordMap | TLRecord[], draft: TLRecord[], newId: (typeName: 'shape' | 'binding') => string): RevealPlan {
  const boardMap = board instanceof Map ? board : toMap(board)
  const zones = boardZones([], boardMap)
  const shapes = draft.filter((r): r is TLShape => r.typeName === 'shape')
  const ids = new Map<string, string>()
  for (const s of shapes) ids.set(s.id, newId('shape'))
  const draftMap = toMap(draft)
  // positions are computed through the draft's own parents first, then the board's
  const both: RecordMap = new Map([...boardMap, ...draftMap])
  const put: TLRecord[] = []
  const moved: string[] = []
  let anonymized = 0
  for (const s of shapes) {
    const page = pageOf(both, s)
    if (!boardMap.has(page)) continue // its page was deleted: keep it private
    const parentId = ids.get(s.parentId) ?? s.parentId
    if (!ids.has(s.parentId) && !boardMap.has(parentId)) continue // parent shape gone
    const meta = { ...(s.meta as Record<string, unknown>) }
    delete meta.private
    let next = { ...s, id: ids.get(s.id)!, parentId, meta } as TLShape
    if (s.type === 'note' && isAnonymousAt(zones, noteCenter(both, s), page)) {
      next = anonymizeNote(next)
      anonymized++
    }
    put.push(next)
    moved.push(s.id)
  }
  const placed = new Set(moved)
  for (const r of draft) {
    if (r.typeName !== 'binding') continue
    const b = r as unknown as { fromId: string; toId: string }
    const ends = [b.fromId, b.toId]
    if (ends.some((e) => (ids.has(e) && !placed.has(e)) || (!ids.has(e) && !boardMap.has(e)))) continue
    put.push({ ...r, id: newId('binding'), fromId: ids.get(b.fromId) ?? b.fromId, toId: ids.get(b.toId) ?? b.toId } as TLRecord)
    moved.push(r.id)
  }
  return { put, moved, anonymized }
}
