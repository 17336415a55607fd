/**
 * Extension point of the board page: panels rendered over the canvas, each with the Editor and
 * the board context. Add one line to `boardPanels` (TPL: templates; ARCHIVE: facilitator tools).
 * The props are a stable contract: { editor, access, readonly, conn }.
 */
import type { ComponentType } from 'react'
import type { Editor } from 'tldraw'
import type { BoardAccess } from './role'
import { TemplatesPanel } from '../templates'
import { FacilitatorTools } from './FacilitatorTools'
import type { BoardConnection } from './sync'
import { FacilitationLayer } from '../facilitation'

export interface BoardPanelProps {
  editor: Editor
  access: BoardAccess
  /** True when this client cannot change the board (viewer, ended session, newer schema). */
  readonly: boolean
  /** The board's connection: Y.Doc (session state) and awareness (presence, follow). */
  conn: BoardConnection
}

export const boardPanels: { id: string; Panel: ComponentType<BoardPanelProps> }[] = [
  {
    id: 'templates',
    Panel: ({ editor, access, readonly }) => (
      <TemplatesPanel
        editor={editor}
        isFacilitator={access.role === 'facilitator' && !readonly}
        titleDefaults={access.copName ? { copName: access.copName, sessionNumber: access.session?.number } : undefined}
      />
    ),
  },
  { id: 'facilitator', Panel: FacilitatorTools },
  { id: 'facilitation', Panel: FacilitationLayer }, // issue 10: agenda/timer, follow, votes, akkoord
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
