/** New notes get the author's perspective colour and meta { author, perspective }. */
import type { Editor, TLShape } from 'tldraw'
import { PERSPECTIVE_COLOR, type Profile } from '../join/profile'

export function installNoteAuthorship(editor: Editor, getProfile: () => Profile | null): () => void {
  return editor.sideEffects.registerBeforeCreateHandler('shape', (shape: TLShape, source) => {
    if (source !== 'user' || shape.type !== 'note') return shape
    const meta = (shape.meta ?? {}) as Record<string, unknown>
    // copies keep their author; template scaffolds (meta.copboard) keep their own look
    if (meta.author || meta.copboard) return shape
    const p = getProfile()
    if (!p) return shape
    return {
      ...shape,
      props: { ...(shape.props as object), color: PERSPECTIVE_COLOR[p.perspective].tl },
      meta: { ...meta, author: p.name, perspective: p.perspective },
    } as unknown as TLShape
  })
}
