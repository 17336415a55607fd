/**
 * New notes carry who wrote them: a participant's get their perspective colour and
 * meta { author, perspective }; the facilitator's ("procesbegeleider") are grey with
 * meta { author, role: 'facilitator' } and count for no perspective.
 */
import type { Editor, TLShape } from 'tldraw'
import { PERSPECTIVE_COLOR, type Perspective } from '../join/profile'
import type { Role } from './role'

export interface Identity {
  name: string
  color: string
  /** null for the facilitator and viewers */
  perspective: Perspective | null
  role: Role
}

export const FACILITATOR_NOTE_COLOR = 'grey'

export function installNoteAuthorship(editor: Editor, getIdentity: () => Identity | null): () => void {
  return editor.sideEffects.registerBeforeCreateHandler('shape', (shape: TLShape, source) => {
    if (source !== 'user' || shape.type !== 'note') return shape
    const meta = (shape.meta ?? {}) as Record<string, unknown>
    // copies keep their author; template scaffolds (meta.copboard) keep their own look
    if (meta.author || meta.copboard) return shape
    const who = getIdentity()
    if (!who || who.role === 'viewer') return shape
    const authorship = who.perspective ? { author: who.name, perspective: who.perspective } : { author: who.name, role: 'facilitator' }
    const color = who.perspective ? PERSPECTIVE_COLOR[who.perspective].tl : FACILITATOR_NOTE_COLOR
    return { ...shape, props: { ...(shape.props as object), color }, meta: { ...meta, ...authorship } } as unknown as TLShape
  })
}
