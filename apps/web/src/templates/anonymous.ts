/**
 * Anonymous zones (e.g. comedy act 1, TEMPLATES.md): a note whose centre lies in one loses every trace
 * of its author — meta author/perspective (kept as `anonymous: true`), tldraw's own "last edited by"
 * attribution shown on the note, and the perspective colour (anonymous notes are yellow). Applied to
 * the local user's changes; the stripped note is what syncs, is archived and exported.
 */
import type { Editor, TLNoteShape, TLShape } from 'tldraw'
import { boardZones, getTemplate, zoneOfPoint } from '@copboard/templates'
import { isScaffold } from './scaffoldLock'

export const ANONYMOUS_COLOR = 'yellow'

function revealsAuthor(note: TLNoteShape): boolean {
  const meta = note.meta as Record<string, unknown>
  return !!note.props.textLastEditedBy || meta.author !== undefined || meta.perspective !== undefined || note.props.color !== ANONYMOUS_COLOR || meta.anonymous !== true
}

export function inAnonymousZone(editor: Editor, shape: TLShape): boolean {
  const b = editor.getShapePageBounds(shape.id)
  const pageId = editor.getAncestorPageId(shape.id)
  if (!b || !pageId) return false
  const zone = zoneOfPoint(boardZones(editor.store.allRecords()), { x: b.x + b.w / 2, y: b.y + b.h / 2 }, pageId)
  if (!zone) return false
  return !!getTemplate(zone.templateId)?.zones.find((z) => z.id === zone.zoneId)?.anonymous
}

export function installAnonymousZones(editor: Editor): () => void {
  const check = (shape: TLShape, source: 'user' | 'remote') => {
    if (source !== 'user' || shape.type !== 'note' || isScaffold(shape)) return
    const note = shape as TLNoteShape
    if (!revealsAuthor(note) || !inAnonymousZone(editor, note)) return
    const meta: Record<string, unknown> = { ...(note.meta as Record<string, unknown>), anonymous: true }
    delete meta.author
    delete meta.perspective
    // the whole record: updateShape would merge meta and keep the author
    editor.store.put([{ ...note, meta: meta as TLNoteShape['meta'], props: { ...note.props, textLastEditedBy: null, color: ANONYMOUS_COLOR } }])
  }
  const offs = [
    editor.sideEffects.registerAfterCreateHandler('shape', (s, source) => check(s, source)),
    editor.sideEffects.registerAfterChangeHandler('shape', (_prev, next, source) => check(next, source)),
  ]
  return () => offs.forEach((off) => off())
}
