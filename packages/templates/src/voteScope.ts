/**
 * Which notes a dot vote covers (board SPEC S4): every participant note on the page, or the notes
 * whose centre lies inside one zone (its sub-zones included). Used by the board (where to show dot
 * buttons) and by the server policy (dots only on notes in scope), so both decide alike.
 */
import type { TLShape } from '@tldraw/tlschema'
import { boardZones, isNote, isShape, noteCenter, pageOf, rectContains, type RecordMap } from './zones'

/** Structurally the board package's VoteScope (templates does not depend on board). */
export type VoteScopeLike = { kind: 'board'; pageId: string } | { kind: 'zone'; pageId: string; templateId: string; zoneId: string }

export function noteInVoteScope(map: RecordMap, scope: VoteScopeLike, shapeId: string): boolean {
  const r = map.get(shapeId)
  if (!r || !isShape(r) || !isNote(r)) return false
  if (pageOf(map, r) !== scope.pageId) return false
  if (scope.kind === 'board') return true
  const zone = boardZones([], map).find((z) => z.pageId === scope.pageId && z.templateId === scope.templateId && z.zoneId === scope.zoneId)
  return !!zone && rectContains(zone.bounds, noteCenter(map, r))
}

/** All notes in the vote's scope. */
export function notesInVoteScope(map: RecordMap, scope: VoteScopeLike): TLShape[] {
  const zone = scope.kind === 'zone' ? boardZones([], map).find((z) => z.pageId === scope.pageId && z.templateId === scope.templateId && z.zoneId === scope.zoneId) : null
  if (scope.kind === 'zone' && !zone) return []
  const out: TLShape[] = []
  for (const r of map.values()) {
    if (!isShape(r) || !isNote(r) || pageOf(map, r) !== scope.pageId) continue
    if (zone && !rectContains(zone.bounds, noteCenter(map, r))) continue
    out.push(r)
  }
  return out
}
