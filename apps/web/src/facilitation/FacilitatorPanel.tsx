/**
 * The facilitator's ONE panel (issue 10): a column docked beside the canvas (the canvas shrinks,
 * nothing is covered), collapsible from the board header. It is a thin shell: each tool is a
 * section listed in `facilitatorSections` — add a line there for a new tool (agenda/timer, follow,
 * voting, akkoord come from their own modules). Sections are native <details>: keyboard-operable,
 * labelled by their summary, open state remembered per section.
 */
import { useEffect, useState, type ComponentType, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { useFacilitation } from './context'
import { AgendaTimerSection } from './AgendaTimerSection'
import { FollowSection } from './FollowSection'
import { VoteSection } from './VoteSection'
import { AkkoordSection } from './AkkoordSection'
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import { SessionSection } from './SessionSection'
import { TemplatesSection } from './TemplatesSection'
import { PrivateModeSection } from '../privacy/PrivateModeSection'
import type { FacilitatorSectionProps } from './types'
import './facilitation.css'

export type { FacilitatorSectionProps } from './types'

export interface FacilitatorSection {
  id: string
  /** message key in facilitationMessages (Dutch first, English too) */
  title: 'sectionSession' | 'sectionTemplates' | 'sectionPrivate' | (string & {})
  Section: ComponentType<FacilitatorSectionProps>
}

export const facilitatorSections: FacilitatorSection[] = [
  { id: 'session', title: 'sectionSession', Section: SessionSection },
  { id: 'templates', title: 'sectionTemplates', Section: TemplatesSection },
  { id: 'private', title: 'sectionPrivate', Section: PrivateModeSection },
]

const OPEN_KEY = 'copboard.facilitator.sections'
const TOOLS_SLOT = 'cb-fpanel-tools'
function loadOpen(): Record<string, boolean> {
  try {
    return JSON.parse(localStorage.getItem(OPEN_KEY) ?? '{}') as Record<string, boolean>
  } catch {
    return {}
  }
}

/** The shell (rendered by BoardPage beside the canvas). The run-of-show tools fill its first slot. */
export function FacilitatorShell(props: FacilitatorSectionProps & { id?: string }) {
  const t = useT(facilitationMessages)
  const [open, setOpen] = useState(loadOpen)
  const toggle = (id: string, value: boolean) => {
    const next = { ...open, [id]: value }
    setOpen(next)
    try {
      localStorage.setItem(OPEN_KEY, JSON.stringify(next))
    } catch {
      /* not remembered */
    }
  }
  return (
    <aside className="cb-fpanel" id={props.id} aria-label={t('panel')} data-testid="facilitator-panel">
      <h2 className="cb-fpanel__title">{t('panel')}</h2>
      {/* agenda/timer, follow, voting, akkoord: rendered here by FacilitatorPanel (below) from inside their provider */}
      <div id={TOOLS_SLOT} className="cb-fpanel__tools" />
      {facilitatorSections.map(({ id, title, Section }) => (
        <details
          key={id}
          className="cb-fpanel__section"
          open={open[id] ?? true}
          onToggle={(e) => toggle(id, (e.target as HTMLDetailsElement).open)}
          data-testid={`fsection-${id}`}
        >
          <summary>{t(title as keyof typeof facilitationMessages.nl) ?? title}</summary>
          <div className="cb-fpanel__body">
            <Section {...props} />
          </div>
        </details>
      ))}
    </aside>
  )
}

/**
 * The run-of-show sections (agenda/timer, follow, voting, akkoord). They need the facilitation
 * context, which lives in FacilitationLayer (a board panel), so they are portalled into the
 * shell's slot: ONE panel, beside the canvas, for every facilitator tool.
 */
export function FacilitatorPanel({ onEditStatement, onOpenChange }: { onEditStatement: () => void; onOpenChange?: (open: boolean) => void }) {
  const t = useT(facilitationMessages)
  useFacilitation()
  const [slot, setSlot] = useState<HTMLElement | null>(null)
  useEffect(() => {
    // the shell mounts and unmounts with the header toggle: follow its slot
    const find = () => setSlot(document.getElementById(TOOLS_SLOT))
    find()
    const mo = new MutationObserver(find)
    mo.observe(document.body, { childList: true, subtree: true })
    return () => mo.disconnect()
  }, [])
  useEffect(() => onOpenChange?.(!!slot), [slot, onOpenChange])
  if (!slot) return null
  return createPortal(
    <>
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
    </>,
    slot,
  )
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <details className="cb-fpanel__section cb-fac-section" open data-testid={`section-${id}`}>
      <summary>{title}</summary>
      <div className="cb-fpanel__body cb-fac-section__body">{children}</div>
    </details>
  )
}
