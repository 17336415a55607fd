/**
 * The page people wrote most on (archive SPEC A2, the same rule as the server's thumbnail): most
 * notes that are neither template scaffold nor pre-filled examples, then most shapes, then the first.
 */
import type { Editor, TLPageId } from 'tldraw'

export function mainPageOf(editor: Editor): TLPageId {
  let best: TLPageId = editor.getCurrentPageId()
  let bestNotes = -1
  let bestShapes = -1
  for (const p of editor.getPages()) {
    const ids = [...editor.getPageShapeIds(p.id)]
    let notes = 0
    for (const id of ids) {
      const s = editor.getShape(id)
      const m = (s?.meta ?? {}) as { prefilled?: unknown; copboard?: { scaffold?: unknown } }
      if (s?.type === 'note' && m.prefilled !== true && m.copboard?.scaffold !== true) notes++
    }
    if (notes > bestNotes || (notes === bestNotes && ids.length > bestShapes)) [best, bestNotes, bestShapes] = [p.id, notes, ids.length]
  }
  return best
}
