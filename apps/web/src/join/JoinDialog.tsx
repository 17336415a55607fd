/**
 * Join flow: name + perspective (remembered locally). The facilitator ("procesbegeleider") gives
 * only a name: they take part without a perspective. Viewers never see this form (BoardPage).
 */
import { useState, type FormEvent } from 'react'
import { useT } from '../i18n'
import { joinMessages } from '../board/messages'
import { PERSPECTIVES, PERSPECTIVE_COLOR, randomColor, saveProfile, type Perspective, type Profile } from './profile'
import { setFallbackFacilitator } from '../board/role'
import { LanguageSwitch } from '../board/BoardChrome'
import './join.css'

export function JoinDialog({
  initial,
  showFacilitatorFlag,
  facilitatorFlag,
  onDone,
  title,
  asFacilitator = false,
}: {
  /** The token says facilitator: no perspective to choose. */
  asFacilitator?: boolean
  initial?: Profile | null
  /** Only without a verified token (development/demo); see board/role.ts. */
  showFacilitatorFlag: boolean
  facilitatorFlag?: boolean
  onDone?: () => void
  title?: string
}) {
  const t = useT(joinMessages)
  const [name, setName] = useState(initial?.name ?? '')
  const [perspective, setPerspective] = useState<Perspective>(initial?.perspective ?? 'gemeente')
  const [fac, setFac] = useState(!!facilitatorFlag)
  const [error, setError] = useState(false)
  // in fallback mode the checkbox makes the facilitator too
  const noPerspective = asFacilitator || (showFacilitatorFlag && fac)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const n = name.trim().slice(0, 60)
    if (!n) return setError(true)
    if (showFacilitatorFlag) setFallbackFacilitator(fac)
    saveProfile({ name: n, perspective, color: initial?.color ?? randomColor() })
    onDone?.()
  }
  return (
    <div className="cb-joinflow-backdrop">
      <form className="cb-joinflow" onSubmit={submit} data-testid="join-form">
        <div className="cb-joinflow__lang">
          <LanguageSwitch />
        </div>
        <div className="cb-joinflow__logo" aria-hidden>
          <span style={{ background: PERSPECTIVE_COLOR.gemeente.hex }} />
          <span style={{ background: PERSPECTIVE_COLOR.initiatief.hex }} />
          <span style={{ background: PERSPECTIVE_COLOR.overig.hex }} />
        </div>
        <h1>{asFacilitator ? t('facilitatorTitle') : (title ?? t('title'))}</h1>
        {asFacilitator && title && <p className="cb-joinflow__cop">{title}</p>}
        <p className="cb-joinflow__intro">{noPerspective ? t('facilitatorIntro') : t('intro')}</p>
        <label className="cb-joinflow__label" htmlFor="cb-joinflow-name">{t('name')}</label>
        <input
          id="cb-joinflow-name"
          data-testid="join-name"
          autoFocus
          autoComplete="name"
          value={name}
          maxLength={60}
          placeholder={t('namePlaceholder')}
          onChange={(e) => (setName(e.target.value), setError(false))}
          aria-invalid={error}
        />
        {error && <div className="cb-joinflow__error">{t('nameRequired')}</div>}
        {!noPerspective && <fieldset className="cb-joinflow__persp">
          <legend className="cb-joinflow__label">{t('perspective')}</legend>
          {PERSPECTIVES.map((p) => (
            <label key={p} className="cb-joinflow__option" data-checked={p === perspective} style={{ ['--c' as string]: PERSPECTIVE_COLOR[p].hex }}>
              <input type="radio" name="perspective" value={p} checked={p === perspective} onChange={() => setPerspective(p)} data-testid={`join-${p}`} />
              <span className="cb-joinflow__swatch" />
              <span className="cb-joinflow__opt-text">
                <strong>{t(p)}</strong>
                <small>{t(`${p}Hint` as const)}</small>
              </span>
            </label>
          ))}
        </fieldset>}
        {showFacilitatorFlag && (
          <label className="cb-joinflow__check">
            <input type="checkbox" checked={fac} onChange={(e) => setFac(e.target.checked)} data-testid="join-facilitator" />
            {t('facilitator')}
          </label>
        )}
        <button type="submit" className="cb-joinflow__submit" data-testid="join-submit">
          {initial ? t('save') : t('join')}
        </button>
        <p className="cb-joinflow__note">{t('remembered')}</p>
      </form>
    </div>
  )
}
