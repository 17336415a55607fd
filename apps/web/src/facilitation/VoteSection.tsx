/**
 * Facilitator: open a dot vote on a zone of the template on this page (or every note on the page)
 * with N dots each, follow it live, close it, show or hide the results on the board.
 */
import { useMemo, useState } from 'react'
import { useValue } from 'tldraw'
import { activeVote, closeVote as close, openVote, voteResults, type VoteScope } from '@copboard/board'
import { getTemplate, richTextToPlain } from '@copboard/templates'
import { useLang, useT } from '../i18n'
import { facilitationMessages } from './messages'
import { useFacilitation } from './context'
import { serverClock } from './serverClock'
import { currentTemplateId } from '../templates/launch'
import { scopeNotes } from './voteScope'

export function VoteSection() {
  const t = useT(facilitationMessages)
  const lang = useLang()
  const { editor, session, writer } = useFacilitation()
  const vote = activeVote(session.votes)
  const pageId = useValue('copboard page', () => editor.getCurrentPageId() as string, [editor])
  const templateId = useValue('copboard template', () => currentTemplateId(editor), [editor])
  const template = templateId ? getTemplate(templateId) : undefined
  const zones = (template?.zones ?? []).filter((z) => !z.statement && !z.signatures)
  const [title, setTitle] = useState('')
  const [scopeKey, setScopeKey] = useState('page')
  const [dots, setDots] = useState(3)

  const scope: VoteScope = scopeKey === 'page' || !template ? { kind: 'board', pageId } : { kind: 'zone', pageId, templateId: template.id, zoneId: scopeKey }
  const open = () => {
    const id = `v${serverClock.now().toString(36)}`
    writer.openVote(openVote(id, title.trim() || t('voteTitleDefault'), scope, dots, serverClock.now()))
  }

  return (
    <div className="cb-fac-vote" data-testid="vote-section">
      {vote?.state === 'open' ? (
        <>
          <p className="cb-fac-vote__q">
            <strong>{t('voteOpen')}:</strong> {vote.title}
          </p>
          <VoteResults />
          <button type="button" className="cb-fac-primary" onClick={() => writer.closeVote(vote.id, close(vote, serverClock.now()).closedAt!)} data-testid="close-vote">
            ■ {t('closeVote')}
          </button>
        </>
      ) : (
        <>
          <label className="cb-fac-field">
            {t('voteTitle')}
            <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder={t('voteTitleDefault')} maxLength={200} data-testid="vote-title" />
          </label>
          <label className="cb-fac-field">
            {t('voteScope')}
            <select value={scopeKey} onChange={(e) => setScopeKey(e.target.value)} data-testid="vote-scope">
              <option value="page">{t('voteWholePage')}</option>
              {zones.map((z) => (
                <option key={z.id} value={z.id}>
                  {z.label[lang]}
                </option>
              ))}
            </select>
          </label>
          <label className="cb-fac-field cb-fac-field--row">
            {t('voteDots')}
            <input type="number" min={1} max={20} value={dots} onChange={(e) => setDots(Math.max(1, Math.min(20, Number(e.target.value) || 1)))} data-testid="vote-dots" />
          </label>
          <button type="button" className="cb-fac-primary" onClick={open} data-testid="open-vote">
            ● {t('openVote')}
          </button>
          {vote && (
            <div className="cb-fac-vote__last">
              <p className="cb-fac-vote__q">
                <strong>{t('voteClosed')}:</strong> {vote.title}
              </p>
              <VoteResults />
              <label className="cb-fac-check">
                <input type="checkbox" checked={vote.resultsShown} onChange={(e) => writer.showResults(vote.id, e.target.checked)} data-testid="vote-results-shown" />
                {t('showResults')}
              </label>
            </div>
          )}
        </>
      )}
    </div>
  )
}

/** Ranked results of the active vote: note text, dots, participants; a click shows the note. */
export function VoteResults() {
  const t = useT(facilitationMessages)
  const { editor, session } = useFacilitation()
  const vote = activeVote(session.votes)
  const results = useMemo(() => (vote ? voteResults(vote) : []), [vote])
  const texts = useValue(
    'copboard vote note texts',
    () => results.map((r) => {
      const s = editor.getShape(r.shapeId as never)
      return s ? richTextToPlain((s.props as { richText?: unknown }).richText).slice(0, 80) : '—'
    }),
    [editor, results],
  )
  if (!vote) return null
  const participants = Object.values(vote.dots).filter((l) => l.length).length
  const total = results.reduce((n, r) => n + r.dots, 0)
  const scoped = scopeNotes(editor, vote.scope).length
  return (
    <div className="cb-fac-results" data-testid="vote-results">
      <p className="cb-fac-hint">{t('dotsTotal', { n: total, p: participants })}</p>
      {!results.length ? (
        <p className="cb-fac-hint">{scoped ? t('resultsEmpty') : t('noNotesInScope')}</p>
      ) : (
        <ol>
          {results.map((r, i) => (
            <li key={r.shapeId} data-testid="vote-result">
              <button type="button" onClick={() => editor.select(r.shapeId as never).zoomToSelection({ animation: { duration: 300 } })} title={t('showNote')}>
                <span className="cb-fac-results__text">{texts[i]}</span>
                <span className="cb-fac-results__n" data-testid="vote-result-dots">
                  {r.dots === 1 ? t('oneDot') : t('dotsOnNote', { n: r.dots })}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}
