import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { Editor } from 'tldraw'
import { templates, type TitleBlockInfo } from '@copboard/templates'
import { useLang, useT } from '../i18n'
import { messages } from './messages'
import { TemplateThumbnail } from './Thumbnail'
import { launchTemplate } from './launch'

export interface TemplateGalleryProps {
  editor: Editor
  /** Facilitator only (from board/role.ts); the gallery renders nothing for anyone else. */
  canLaunch: boolean
  defaults?: Partial<TitleBlockInfo>
  onClose?: () => void
  onLaunched?: (pageId: string, templateId: string) => void
}

const today = () => new Date().toISOString().slice(0, 10)

export function TemplateGallery({ editor, canLaunch, defaults, onClose, onLaunched }: TemplateGalleryProps) {
  const t = useT(messages)
  const lang = useLang()
  const [copName, setCopName] = useState(defaults?.copName ?? '')
  const [sessionNumber, setSessionNumber] = useState(String(defaults?.sessionNumber ?? '1'))
  const [date, setDate] = useState(defaults?.date ?? today())
  const dialog = useRef<HTMLDivElement>(null)
  // a modal dialog: takes focus when it opens, gives it back to the opener when it closes
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    dialog.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    return () => opener?.focus?.()
  }, [])
  if (!canLaunch) return null
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      onClose?.()
      return
    }
    if (e.key !== 'Tab' || !dialog.current) return
    // keep Tab inside the dialog
    const items = [...dialog.current.querySelectorAll<HTMLElement>('button, input, a[href]')].filter((el) => !el.hasAttribute('disabled'))
    const first = items[0]
    const last = items[items.length - 1]
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault()
      last?.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first?.focus()
    }
  }
  const launch = (id: string) => {
    const template = templates.find((x) => x.id === id)!
    const pageId = launchTemplate(editor, template, { lang, titleBlock: { copName: copName.trim() || 'CoP', sessionNumber: sessionNumber.trim() || '1', date } })
    onLaunched?.(pageId, id)
    onClose?.()
  }
  return (
    <div className="cb-tpl-gallery-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose?.()}>
    <div ref={dialog} className="cb-tpl-gallery" role="dialog" aria-modal="true" aria-labelledby="cb-tpl-gallery-title" onKeyDown={onKeyDown} data-testid="template-gallery">
      <div className="cb-tpl-gallery__head">
        <h2 id="cb-tpl-gallery-title">{t('gallery')}</h2>
        <a className="cb-tpl-gallery__guide" href="/gids" target="_blank" rel="noopener" data-testid="gallery-guide">
          {t('guide')} ↗
        </a>
        <button type="button" onClick={onClose} aria-label={t('close')} title={t('closeHint')} data-testid="gallery-close">
          ×
        </button>
      </div>
      <p className="cb-tpl-gallery__hint">{t('galleryHint')}</p>
      <div className="cb-tpl-gallery__fields">
        <label>
          {t('copName')}
          <input value={copName} onChange={(e) => setCopName(e.target.value)} data-testid="tpl-cop-name" data-autofocus />
        </label>
        <label>
          {t('session')}
          <input value={sessionNumber} onChange={(e) => setSessionNumber(e.target.value)} inputMode="numeric" size={4} data-testid="tpl-session" />
        </label>
        <label>
          {t('date')}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="tpl-date" />
        </label>
      </div>
      <ul className="cb-tpl-gallery__list">
        {templates.map((tpl) => (
          <li key={tpl.id}>
            <button type="button" className="cb-tpl-card" onClick={() => launch(tpl.id)} data-testid={`launch-${tpl.id}`}>
              <TemplateThumbnail template={tpl} />
              <strong>{tpl.title[lang]}</strong>
              <span>{tpl.description[lang]}</span>
              <em>
                {t('agenda')}: {tpl.agenda.reduce((s, a) => s + a.minutes, 0)} min · {t('zones', { n: tpl.zones.length })}
              </em>
            </button>
          </li>
        ))}
      </ul>
    </div>
    </div>
  )
}
