import { useState } from 'react'
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
  if (!canLaunch) return null
  const launch = (id: string) => {
    const template = templates.find((x) => x.id === id)!
    const pageId = launchTemplate(editor, template, { lang, titleBlock: { copName: copName.trim() || 'CoP', sessionNumber: sessionNumber.trim() || '1', date } })
    onLaunched?.(pageId, id)
    onClose?.()
  }
  return (
    <div className="cb-tpl-gallery" role="dialog" aria-label={t('gallery')} data-testid="template-gallery">
      <div className="cb-tpl-gallery__head">
        <h2>{t('gallery')}</h2>
        <button type="button" onClick={onClose} aria-label={t('close')}>
          ×
        </button>
      </div>
      <p className="cb-tpl-gallery__hint">{t('galleryHint')}</p>
      <div className="cb-tpl-gallery__fields">
        <label>
          {t('copName')}
          <input value={copName} onChange={(e) => setCopName(e.target.value)} data-testid="tpl-cop-name" />
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
  )
}
