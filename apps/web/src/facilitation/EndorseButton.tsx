/**
 * Participant: endorse the current version of the kernstatement, once. Recorded in
 * session.akkoord.endorsements (who endorsed which version) and shown on the board as a signature
 * note in the Ondertekening zone (the report reads both).
 */
import { createShapeId, toRichText, useValue, type TLShape } from 'tldraw'
import { currentVersion, endorse } from '@copboard/board'
import { boardZones } from '@copboard/templates'
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import { useFacilitation } from './context'
import { serverClock } from './serverClock'
import { findStatement, statementShapeHash } from './statement'
import { loadProfile } from '../join/profile'
import { currentTemplateId } from '../templates/launch'

export function EndorseButton() {
  const t = useT(facilitationMessages)
  const { editor, session, writer, participantId, readonly, isFacilitator } = useFacilitation()
  const onAccord = useValue('copboard accord page', () => currentTemplateId(editor) === 'accord', [editor])
  const n = currentVersion(session.akkoord)
  if (!onAccord || !n || readonly || isFacilitator || !participantId) return null
  const mine = session.akkoord?.endorsements[participantId]
  const done = mine?.version === n

  const sign = () => {
    const profile = loadProfile()
    const name = profile?.name ?? editor.user.getName()
    const e = endorse(session.akkoord, participantId, name, profile?.perspective ?? null, serverClock.now())
    if (typeof e === 'string') return
    writer.endorse(participantId, e)
    placeSignatureNote(name, e.version)
  }
  const placeSignatureNote = (name: string, version: number) => {
    const statement = findStatement(editor)
    const pageId = statement ? editor.getAncestorPageId(statement) : editor.getCurrentPageId()
    const zone = boardZones(editor.store.allRecords()).find((z) => z.pageId === pageId && z.templateId === 'accord' && z.zoneId === 'signatures')
    if (!zone) return
    const signature = { statementHash: statementShapeHash(statement), version, participantId }
    const existing = (editor.getCurrentPageShapes() as TLShape[]).find((s) => (s.meta as { copboard?: { signature?: { participantId?: string } } }).copboard?.signature?.participantId === participantId)
    editor.markHistoryStoppingPoint('endorse accord')
    if (existing) {
      editor.updateShape({ id: existing.id, type: 'note', meta: { ...existing.meta, copboard: { signature } } })
      return
    }
    const i = (editor.getCurrentPageShapes() as TLShape[]).filter((s) => (s.meta as { copboard?: { signature?: unknown } }).copboard?.signature).length
    const perRow = Math.max(1, Math.floor((zone.bounds.w - 40) / 170))
    editor.createShape({
      id: createShapeId(),
      type: 'note',
      x: zone.bounds.x + 24 + (i % perRow) * 170,
      y: zone.bounds.y + 150 + Math.floor(i / perRow) * 170,
      props: { richText: toRichText(name), scale: 0.75, color: 'light-green' },
      meta: { author: name, copboard: { signature } },
    })
  }
  return (
    <button type="button" className="cb-endorse" onClick={sign} disabled={done} aria-pressed={done} data-testid="endorse" data-version={n}>
      {done ? `✓ ${t('endorsed', { n })}` : mine ? t('endorsedOld', { old: mine.version, n }) : t('endorse', { n })}
    </button>
  )
}
