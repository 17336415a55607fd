/**
 * THE facilitator panel: one docked column at the left edge (the canvas shrinks beside it instead
 * of being covered), one collapsible section per tool. Sections are self-contained components.
 * MERGE NOTE: the "private" helper owns this shell; their sections and these belong in one list.
 */
import { useEffect, useState, type ReactNode } from 'react'
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import { useFacilitation } from './context'
import { AgendaTimerSection } from './AgendaTimerSection'
import { FollowSection } from './FollowSection'
import { VoteSection } from './VoteSection'
import { AkkoordSection } from './AkkoordSection'

const OPEN_KEY = 'copboard.facilitatorPanel'

export function FacilitatorPanel({ onEditStatement, onOpenChange }: { onEditStatement: () => void; onOpenChange?: (open: boolean) => void }) {
  const t = useT(facilitationMessages)
  const { editor } = useFacilitation()
  const [open, setOpen] = useState(() => {
    try {
      return localStorage.getItem(OPEN_KEY) !== '0'
    } catch {
      return true
    }
  })
  useEffect(() => {
    try {
      localStorage.setItem(OPEN_KEY, open ? '1' : '0')
    } catch {
      /* private mode */
    }
    onOpenChange?.(open)
    // dock: the canvas makes room for the panel
    const board = editor.getContainer().closest('.cb-board')
    board?.classList.toggle('cb-board--docked', open)
    return () => board?.classList.remove('cb-board--docked')
  }, [open, editor, onOpenChange])

  if (!open) {
    return (
      <button type="button" className="cb-fac-show" onClick={() => setOpen(true)} aria-expanded="false" data-testid="facilitator-panel-show">
        ☰ {t('panelShow')}
      </button>
    )
  }
  return (
    <aside className="cb-fac-panel" aria-label={t('panel')} data-testid="facilitator-panel">
      <header className="cb-fac-panel__head">
        <h2>{t('panel')}</h2>
        <button type="button" onClick={() => setOpen(false)} aria-label={t('panelHide')} aria-expanded="true" title={t('panelHide')} data-testid="facilitator-panel-hide">
          «
        </button>
      </header>
      <Section id="agenda" title={t('agendaTimer')}>
        <AgendaTimerSection />
      </Section>
      <Section id="follow" title={t('follow')}>
        <FollowSection />
      </Section>
      <Section id="vote" title={t('vote')}>
        <VoteSection />
      </Section>
      <Section id="akkoord" title={t('akkoord')}>
        <AkkoordSection onEdit={onEditStatement} />
      </Section>
    </aside>
  )
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <details className="cb-fac-section" open data-testid={`section-${id}`}>
      <summary>{title}</summary>
      <div className="cb-fac-section__body">{children}</div>
    </details>
  )
}
