/**
 * Dots on the board: while a vote is open each note in scope carries a small control — participants
 * place (+) and take back (−) their own dots and see how many they put there; the facilitator sees
 * the running count. After closing, every note shows its count (a number and a word, not colour).
 */
import { useValue } from 'tldraw'
import { activeVote, dotsLeft, dotsOf, placeDot, removeDot, tally } from '@copboard/board'
import { richTextToPlain } from '@copboard/templates'
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import { useFacilitation } from './context'
import { inScope, scopeNotes } from './voteScope'

export function VoteOverlay() {
  const t = useT(facilitationMessages)
  const { editor, session, writer, participantId, isFacilitator, readonly } = useFacilitation()
  const vote = activeVote(session.votes)
  const visible = !!vote && (vote.state === 'open' || vote.resultsShown)
  const items = useValue(
    'copboard vote badges',
    () => {
      if (!vote || !visible || editor.getCurrentPageId() !== vote.scope.pageId) return []
      const z = editor.getZoomLevel()
      return scopeNotes(editor, vote.scope).flatMap((s) => {
        const b = editor.getShapePageBounds(s.id)
        if (!b) return []
        const p = editor.pageToViewport({ x: b.maxX, y: b.minY })
        return [{ id: s.id as string, x: p.x, y: p.y, w: b.w * z, text: richTextToPlain((s.props as { richText?: unknown }).richText).slice(0, 60) }]
      })
    },
    [editor, vote, visible],
  )
  if (!vote || !items.length) return null
  const counts = tally(vote)
  const mine = participantId ? dotsOf(vote, participantId) : []
  const left = participantId ? dotsLeft(vote, participantId) : 0
  const canVote = vote.state === 'open' && !isFacilitator && !readonly && !!participantId
  const countLabel = (n: number) => (n === 1 ? t('oneDot') : t('dotsOnNote', { n }))

  const place = (id: string) => {
    if (!participantId) return
    const next = placeDot(vote, participantId, id, inScope(editor, vote.scope))
    if (Array.isArray(next)) writer.setDots(vote.id, participantId, next)
  }
  const remove = (id: string) => {
    if (!participantId) return
    const next = removeDot(vote, participantId, id)
    if (Array.isArray(next)) writer.setDots(vote.id, participantId, next)
  }

  return (
    <div className="cb-dots-layer" data-testid="vote-overlay">
      {items.map((it) => {
        const total = counts.get(it.id) ?? 0
        const own = mine.filter((x) => x === it.id).length
        return (
          <div key={it.id} className="cb-dots" style={{ left: it.x, top: it.y }} data-small={it.w < 90} data-testid="vote-badge" data-shape-id={it.id} data-count={total} data-own={own}>
            {canVote ? (
              <>
                {own > 0 && (
                  <button type="button" className="cb-dots__btn" onClick={() => remove(it.id)} aria-label={`${t('removeDot')}: ${it.text}`} data-testid="dot-remove">
                    −
                  </button>
                )}
                {own > 0 && (
                  <span className="cb-dots__own" aria-label={t('yourDots', { n: own })}>
                    {'●'.repeat(Math.min(own, 5))}
                    {own > 5 ? `+${own - 5}` : ''}
                  </span>
                )}
                <button type="button" className="cb-dots__btn cb-dots__btn--add" onClick={() => place(it.id)} disabled={left === 0} aria-label={`${t('placeDot')}: ${it.text}`} data-testid="dot-add">
                  +●
                </button>
              </>
            ) : (
              (vote.state === 'closed' || isFacilitator) && total > 0 && <span className="cb-dots__count" data-testid="dot-count">{countLabel(total)}</span>
            )}
          </div>
        )
      })}
    </div>
  )
}
