/**
 * Extension point of the board page: panels rendered over the canvas, each with the Editor and
 * the board context. Add one line to `boardPanels`. The facilitator's tools are sections of the one
 * facilitation panel beside the canvas (facilitation/FacilitatorPanel.tsx).
 * The props are a stable contract: { editor, access, readonly, conn, galleryOpen, setGalleryOpen }.
 */
import type { ComponentType } from 'react'
import type { Editor } from 'tldraw'
import type { BoardAccess } from './role'
import { TemplatesPanel } from '../templates'
import type { BoardConnection } from './sync'
import { FacilitationLayer } from '../facilitation'

export interface BoardPanelProps {
  editor: Editor
  access: BoardAccess
  /** True when this client cannot change the board (viewer, ended session, newer schema). */
  readonly: boolean
  /** The board's connection: Y.Doc (session state) and awareness (presence, follow). */
  conn: BoardConnection
  /** The template gallery (opened from the facilitation panel, shown over the canvas). */
  galleryOpen: boolean
  setGalleryOpen: (open: boolean) => void
}

export const boardPanels: { id: string; Panel: ComponentType<BoardPanelProps> }[] = [
  {
    id: 'templates',
    Panel: ({ editor, access, readonly, galleryOpen, setGalleryOpen }) => (
      <TemplatesPanel
        editor={editor}
        isFacilitator={access.role === 'facilitator' && !readonly}
        readonly={readonly}
        titleDefaults={access.copName ? { copName: access.copName, sessionNumber: access.session?.number } : undefined}
        galleryOpen={galleryOpen}
        onCloseGallery={() => setGalleryOpen(false)}
      />
    ),
  },
  { id: 'facilitation', Panel: FacilitationLayer }, // issue 10: agenda/timer, follow, votes, akkoord (sections of the one panel)
]

export function BoardExtensions(props: BoardPanelProps) {
  return (
    <>
      {boardPanels.map(({ id, Panel }) => (
        <Panel key={id} {...props} />
      ))}
    </>
  )
}
