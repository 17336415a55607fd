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

/**
 * Whether changed records (every added, removed, and both sides of every updated one) may move a
 * zone: one of the records the zones hang from (`tree`, templates' zoneTreeIds), or a new zone
 * shape. The server's policy drops its zones on the same changes (policy SPEC §4.2).
 */
export function movesZones(tree: ReadonlySet<string>, touched: readonly TLRecord[]): boolean {
  return touched.some((r) => tree.has(r.id) || isZoneShape(r))
}

/**
 * Zones depend only on zone shapes and their ancestors (e.g. a frame the template was placed in):
 * computed once and again only after one of those changed, not on every frame of a note being
 * dragged or every cursor move.
 */
function zoneCache(editor: Editor) {
  let cached: { zones: BoardZone[]; tree: Set<string> } | null = null
  const stop = editor.store.listen(
    ({ changes }) => {
      if (!cached) return
      const touched = [...Object.values(changes.added), ...Object.values(changes.removed), ...Object.values(changes.updated).flat()] as TLRecord[]
      if (movesZones(cached.tree, touched)) cached = null
    },
    { scope: 'document' },
  )
  const get = (): BoardZone[] => {
    if (!cached) {
      const map = toMap(editor.store.allRecords() as TLRecord[])
      cached = { zones: boardZones([], map), tree: zoneTreeIds(map) }
    }
    return cached.zones
  }
  return { get, stop }
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
