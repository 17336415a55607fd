/** Opens the template gallery; links the facilitator guide. */
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import type { FacilitatorSectionProps } from './types'

export function TemplatesSection({ openGallery, readonly }: FacilitatorSectionProps) {
  const t = useT(facilitationMessages)
  return (
    <div className="cb-fpanel__stack">
      <button type="button" className="cb-btn cb-btn--primary" onClick={openGallery} disabled={readonly} data-testid="open-templates">
        {t('chooseTemplate')}
      </button>
      <p className="cb-fpanel__hint">{t('templateHint')}</p>
      <a className="cb-fpanel__link" href="/gids" target="_blank" rel="noopener" data-testid="guide-link">
        {t('guide')} ↗
      </a>
    </div>
  )
}
