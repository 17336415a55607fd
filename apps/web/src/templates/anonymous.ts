/**
 * Anonymous zones (e.g. comedy act 1, TEMPLATES.md): a note whose centre lies in one loses every trace
 * of its author — meta author/perspective (kept as `anonymous: true`), tldraw's own "last edited by"
 * attribution shown on the note, and the perspective colour (anonymous notes are yellow). Applied to
 * the local user's changes; the stripped note is what syncs, is archived and exported.
 */
import type { Editor, TLNoteShape, TLShape } from 'tldraw'
import { boardZones, getTemplate, zoneOfPoint, type BoardZone } from '@copboard/templates'
import { isScaffold } from './scaffoldLock'

export const ANONYMOUS_COLOR = 'yellow'

function revealsAuthor(note: TLNoteShape): boolean {
  const meta = note.meta as Record<string, unknown>
  return !!note.props.textLastEditedBy || meta.author !== undefined || meta.perspective !== undefined || note.props.color !== ANONYMOUS_COLOR || meta.anonymous !== true
}

export function inAnonymousZone(editor: Editor, shape: TLShape, zones: BoardZone[] = boardZones(editor.store.allRecords())): boolean {
  const b = editor.getShapePageBounds(shape.id)
  const pageId = editor.getAncestorPageId(shape.id)
  if (!b || !pageId) return false
  const zone = zoneOfPoint(zones, { x: b.x + b.w / 2, y: b.y + b.h / 2 }, pageId)
  if (!zone) return false
  return !!getTemplate(zone.templateId)?.zones.find((z) => z.id === zone.zoneId)?.anonymous
}

export function installAnonymousZones(editor: Editor): () => void {
  // Zones depend only on scaffold shapes: computed once and recomputed after a scaffold change,
  // not on every frame of a note being dragged across a large board.
  let zones: BoardZone[] | null = null
  const currentZones = () => (zones ??= boardZones(editor.store.allRecords()))
  const invalidate = (...shapes: TLShape[]) => {
    if (shapes.some(isScaffold)) zones = null
  }
  const check = (shape: TLShape, source: 'user' | 'remote') => {
    if (source !== 'user' || shape.type !== 'note' || isScaffold(shape)) return
    const note = shape as TLNoteShape
    if (!revealsAuthor(note) || !inAnonymousZone(editor, note, currentZones())) return
    const meta: Record<string, unknown> = { ...(note.meta as Record<string, unknown>), anonymous: true }
    delete meta.author
    delete meta.perspective
    // the whole record: updateShape would merge meta and keep the author
    editor.store.put([{ ...note, meta: meta as TLNoteShape['meta'], props: { ...note.props, textLastEditedBy: null, color: ANONYMOUS_COLOR } }])
  }
  const offs = [
    editor.sideEffects.registerAfterCreateHandler('shape', (s, source) => {
      invalidate(s)
      check(s, source)
    }),
    editor.sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => {
      invalidate(prev, next)
      check(next, source)
    }),
    editor.sideEffects.registerAfterDeleteHandler('shape', (s) => invalidate(s)),
  ]
  return () => offs.forEach((off) => off())
}
