/**
 * The run-of-show layer of a board (issue 10): session state + writer + identity for every tool,
 * the participant's follow behaviour, the session bar, dots on notes, the facilitator panel and
 * the in-place statement editor. Registered once in board/BoardExtensions.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { readSession, SessionWriter } from '@copboard/board'
import { serverClock } from './serverClock'
import type { BoardPanelProps } from '../board/BoardExtensions'
import { FacilitationProvider, useFacilitation, useParticipantId, useSessionState, type Facilitation } from './context'
import { useFollowRuntime } from './followRuntime'
import { ParticipantActions, SessionBar } from './SessionBar'
import { VoteOverlay } from './VoteOverlay'
import { FacilitatorPanel } from './FacilitatorPanel'
import { StatementEditor, useStatementDoubleClick } from './AkkoordSection'
import './facilitation.css'

export function FacilitationLayer({ editor, access, readonly, conn }: BoardPanelProps) {
  const session = useSessionState(conn)
  const participantId = useParticipantId()
  const writer = useMemo(() => new SessionWriter(conn.doc), [conn])
  const isFacilitator = access.role === 'facilitator' && !readonly
  const value: Facilitation = useMemo(
    () => ({ editor, conn, access, session, writer, participantId, isFacilitator, readonly }),
    [editor, conn, access, session, writer, participantId, isFacilitator, readonly],
  )
  useFollowRuntime(editor, conn, session.follow, !isFacilitator)
  // for the browser tests and the console, beside window.copboard = { conn, editor } (set by BoardPage)
  useEffect(() => {
    ;(window as unknown as { copboardSession?: unknown }).copboardSession = { writer, read: () => readSession(conn.doc), participantId, clock: serverClock }
  }, [writer, conn, participantId])
  return (
    <FacilitationProvider value={value}>
      <Inner />
    </FacilitationProvider>
  )
}

function Inner() {
  const [editing, setEditing] = useState(false)
  const [panelOpen, setPanelOpen] = useState(false)
  const open = useCallback(() => setEditing(true), [])
  const { isFacilitator } = useFacilitation()
  useStatementDoubleClick(isFacilitator, open)
  return (
    <>
      {isFacilitator && <FacilitatorPanel onEditStatement={open} onOpenChange={setPanelOpen} />}
      <div className="cb-fac-canvas">
        <VoteOverlay />
        {!panelOpen && <SessionBar />}
        <ParticipantActions />
        {editing && isFacilitator && <StatementEditor onClose={() => setEditing(false)} />}
      </div>
    </>
  )
}

