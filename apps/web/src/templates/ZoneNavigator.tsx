import { useState } from 'react'
import { useValue, type Editor } from 'tldraw'
import { getTemplate } from '@copboard/templates'
import { useLang, useT } from '../i18n'
import { messages } from './messages'
import { currentTemplateId, frameTemplate, frameZones } from './launch'

/** The agenda of the template on the current page; clicking a step frames its zones. */
export function ZoneNavigator({ editor }: { editor: Editor }) {
  const t = useT(messages)
  const lang = useLang()
  const templateId = useValue('copboard template on page', () => currentTemplateId(editor), [editor])
  const template = templateId ? getTemplate(templateId) : undefined
  const [open, setOpen] = useState(false)
  if (!template) return null
  return (
    <nav className="cb-tpl-nav" aria-label={t('agenda')} data-testid="zone-navigator" data-open={open}>
      <button type="button" className="cb-tpl-nav__toggle" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="navigator-toggle">
        {t('agenda')} {open ? '▾' : '▸'}
      </button>
      {open && <strong>{template.title[lang]}</strong>}
      {open && <ol>
        {template.agenda.map((step) => (
          <li key={step.id}>
            <button type="button" onClick={() => frameZones(editor, template.id, step.zoneIds)} data-testid={`step-${step.id}`}>
              <span>{step.title[lang]}</span>
              <small>{t('minutes', { n: step.minutes })}</small>
            </button>
          </li>
        ))}
      </ol>}
      <button type="button" className="cb-tpl-nav__all" onClick={() => frameTemplate(editor)} data-testid="step-all">
        {t('wholeBoard')}
      </button>
    </nav>
  )
}
