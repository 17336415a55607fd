/**
 * The facilitator's ONE panel (issue 10): a column docked beside the canvas (the canvas shrinks,
 * nothing is covered), collapsible from the board header. It is a thin shell: each tool is a
 * section listed in `facilitatorSections` — add a line there for a new tool (agenda/timer, follow,
 * voting, akkoord come from their own modules). Sections are native <details>: keyboard-operable,
 * labelled by their summary, open state remembered per section.
 */
import { useState, type ComponentType } from 'react'
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
function loadOpen(): Record<string, boolean> {
  try {
    return JSON.parse(localStorage.getItem(OPEN_KEY) ?? '{}') as Record<string, boolean>
  } catch {
    return {}
  }
}

export function FacilitatorPanel(props: FacilitatorSectionProps & { id?: string }) {
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
