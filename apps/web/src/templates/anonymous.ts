/**
 * Anonymous zones (e.g. comedy act 1, TEMPLATES.md), templates SPEC rules 17 + 19:
 * - a note whose centre lies in one loses every trace of its author — meta author/perspective
 *   (kept as `anonymous: true`), tldraw's own "last edited by" attribution, and the perspective
 *   colour (`anonymizeNote`). Applied to the local user's changes; the stripped note is what syncs.
 * - while someone points or selects there, their presence carries no cursor or selection
 *   (`anonymousPresence`), so nobody sees whose cursor sits on the note being typed. The server
 *   applies the same rule to every presence it relays.
 */
import type { Editor, TLInstancePresence, TLNoteShape, TLRecord, TLShape } from 'tldraw'
import { ANONYMOUS_NOTE_COLOR, anonymizeNote, anonymousPresence, boardZones, isAnonymousZone, isZoneShape, toMap, zoneOfPoint, zoneTreeIds, type BoardZone, type RecordMap } from '@copboard/templates'
import { isScaffold } from './scaffoldLock'

export const ANONYMOUS_COLOR = ANONYMOUS_NOTE_COLOR

function revealsAuthor(note: TLNoteShape): boolean {
  const meta = note.meta as Record<string, unknown>
  return !!note.props.textLastEditedBy || meta.author !== undefined || meta.perspective !== undefined || note.props.color !== ANONYMOUS_COLOR || meta.anonymous !== true
}

export function inAnonymousZone(editor: Editor, shape: TLShape, zones: BoardZone[] = boardZones(editor.store.allRecords())): boolean {
  const b = editor.getShapePageBounds(shape.id)
  const pageId = editor.getAncestorPageId(shape.id)
  if (!b || !pageId) return false
  return isAnonymousZone(zoneOfPoint(zones, { x: b.x + b.w / 2, y: b.y + b.h / 2 }, pageId))
}

/** Zones as computed, and the records they hang from as read then (templates' zoneTreeIds). */
interface ComputedZones {
  zones: BoardZone[]
  tree: ReadonlyMap<string, TLRecord>
}

/**
 * Whether computed zones are stale: a record they hang from (a zone shape or an ancestor, e.g. the
 * frame a template was placed in) changed or went. tldraw records are immutable, so a changed one
 * is a new object. The server's policy drops its zones on the same changes (policy SPEC §4.2).
 */
export function zonesStale(tree: ReadonlyMap<string, TLRecord>, current: (id: string) => TLRecord | undefined): boolean {
  for (const [id, rec] of tree) if (current(id) !== rec) return true
  return false
}

/**
 * A board's zones, computed again only when they are stale or a shape became a zone: not on every
 * frame of a note being dragged or every cursor move. Checked when read, and a new zone shape is
 * seen by a side effect, both in the same turn as the change (a store listener runs a frame later,
 * when a note dragged into a zone just moved, by a remote facilitator, would be judged against
 * the zones before and keep its author, which the server refuses).
 */
function zoneCache(editor: Editor) {
  let computed: ComputedZones | null = null
  const dropIfZone = (shape: TLShape) => {
    if (isZoneShape(shape)) computed = null
  }
  const offs = [
    editor.sideEffects.registerAfterCreateHandler('shape', (shape) => dropIfZone(shape)),
    editor.sideEffects.registerAfterChangeHandler('shape', (_prev, next) => dropIfZone(next)),
  ]
  const current = (id: string) => editor.store.get(id as TLShape['id']) as TLRecord | undefined
  const get = (): BoardZone[] => {
    if (!computed || zonesStale(computed.tree, current)) {
      const map = toMap(editor.store.allRecords() as TLRecord[])
      computed = { zones: boardZones([], map), tree: new Map([...zoneTreeIds(map)].map((id) => [id, map.get(id)!])) }
    }
    return computed.zones
  }
  return { get, stop: () => offs.forEach((off) => off()) }
}

export function installAnonymousZones(editor: Editor): () => void {
  const zones = zoneCache(editor)
  const check = (shape: TLShape, source: 'user' | 'remote') => {
    if (source !== 'user' || shape.type !== 'note' || isScaffold(shape)) return
    const note = shape as TLNoteShape
    if (!revealsAuthor(note) || !inAnonymousZone(editor, note, zones.get())) return
    // the whole record: updateShape would merge meta and keep the author
    editor.store.put([anonymizeNote(note)])
  }
  const offs = [
    editor.sideEffects.registerAfterCreateHandler('shape', (s, source) => check(s, source)),
    editor.sideEffects.registerAfterChangeHandler('shape', (_prev, next, source) => check(next, source)),
    zones.stop,
  ]
  return () => offs.forEach((off) => off())
}

/** The presence rewrite for BoardConnection.presenceFilter (rule 19). Returns it and its disposer. */
export function anonymousPresenceFilter(editor: Editor): { filter: (p: TLInstancePresence) => TLInstancePresence; dispose: () => void } {
  const zones = zoneCache(editor)
  const records = { get: (id: string) => editor.store.get(id as never) } as unknown as Pick<RecordMap, 'get'>
  return {
    filter: (p) => anonymousPresence(p as unknown as Record<string, unknown>, zones.get(), records) as unknown as TLInstancePresence,
    dispose: zones.stop,
  }
}
