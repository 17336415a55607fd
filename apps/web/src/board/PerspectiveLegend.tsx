/**
 * Perspective legend and filter (issue 10): one toggle per perspective with its icon, name and
 * colour; pressing one highlights that perspective's notes (the others fade), pressing it again
 * shows all. Notes carry the same icon + name as a badge (NoteBadges), so colour is never alone.
 */
import { PERSPECTIVES, PERSPECTIVE_COLOR } from '../join/profile'
import { useT } from '../i18n'
import { boardMessages } from './messages'
import { PERSPECTIVE_MARK, setPerspectiveFilter, usePerspectiveFilter } from './perspectiveFilter'

export function PerspectiveLegend() {
  const t = useT(boardMessages)
  const active = usePerspectiveFilter()
  return (
    <div className="cb-legend" role="group" aria-label={t('legend')} data-testid="perspective-legend">
      <span className="cb-legend__label" aria-hidden>{t('legendShort')}</span>
      {PERSPECTIVES.map((p) => (
        <button
          key={p}
          type="button"
          className="cb-legend__item"
          aria-pressed={active === p}
          title={active === p ? t('showAll') : t('highlight', { p: t(p) })}
          onClick={() => setPerspectiveFilter(active === p ? null : p)}
          style={{ ['--c' as string]: PERSPECTIVE_COLOR[p].hex }}
          data-testid={`legend-${p}`}
        >
          <span className="cb-legend__icon" aria-hidden>{PERSPECTIVE_MARK[p].icon}</span>
          {t(p)}
        </button>
      ))}
    </div>
  )
}
