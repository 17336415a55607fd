/** `/`: create a CoP (name, theme, co-host), then show the three links. */
import { useState, type FormEvent } from 'react'
import { setLang, useLang, useT } from '../i18n'
import { api, rememberLinks, type CreatedCop } from '../archive/api'
import { CopyField } from './CopyField'
import { homeMessages } from './messages'
import './home.css'

export function HomePage() {
  const t = useT(homeMessages)
  const lang = useLang()
  const [name, setName] = useState('')
  const [theme, setTheme] = useState('')
  const [coHost, setCoHost] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<CreatedCop | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!name.trim()) return
    setBusy(true)
    setError(null)
    try {
      const res = await api.createCop({ name: name.trim(), theme: theme.trim(), coHost: coHost.trim(), sessionTitle: lang === 'en' ? 'Session 1' : 'Sessie 1' })
      rememberLinks(res.cop.id, { ...res.links, participantCop: res.copLinks.participant, viewerCop: res.copLinks.viewer })
      setCreated(res)
    } catch (err) {
      setError(t('error', { message: (err as Error).message }))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="cb-home">
      <header className="cb-home__header">
        <div className="cb-logo" aria-hidden>
          <span className="cb-logo__note cb-logo__note--a" />
          <span className="cb-logo__note cb-logo__note--b" />
        </div>
        <h1>copboard</h1>
        <button type="button" className="cb-lang" onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')}>
          {t('language')}
        </button>
      </header>
      <p className="cb-home__tagline">{t('tagline')}</p>

      {!created ? (
        <form className="cb-card cb-home__form" onSubmit={submit} data-testid="create-cop-form">
          <h2>{t('createTitle')}</h2>
          <p className="cb-muted">{t('intro')}</p>
          <label>
            <span>{t('name')}</span>
            <input name="name" required maxLength={120} value={name} placeholder={t('namePlaceholder')} onChange={(e) => setName(e.target.value)} autoFocus />
          </label>
          <label>
            <span>
              {t('theme')} <em>({t('optional')})</em>
            </span>
            <input name="theme" maxLength={300} value={theme} placeholder={t('themePlaceholder')} onChange={(e) => setTheme(e.target.value)} />
          </label>
          <label>
            <span>
              {t('coHost')} <em>({t('optional')})</em>
            </span>
            <input name="coHost" maxLength={120} value={coHost} placeholder={t('coHostPlaceholder')} onChange={(e) => setCoHost(e.target.value)} />
          </label>
          {error && (
            <p className="cb-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="cb-btn cb-btn--primary" disabled={busy || !name.trim()} data-testid="create-cop">
            {busy ? t('creating') : t('create')}
          </button>
        </form>
      ) : (
        <section className="cb-card cb-home__created" data-testid="cop-created">
          <h2>{t('createdTitle', { name: created.cop.name })}</h2>
          <p className="cb-muted">{t('createdIntro')}</p>
          <ul className="cb-links">
            {(
              [
                ['facilitator', t('facilitatorLink'), t('facilitatorHelp')],
                ['participant', t('participantLink'), t('participantHelp')],
                ['viewer', t('viewerLink'), t('viewerHelp')],
              ] as const
            ).map(([role, label, help]) => (
              <li key={role} className={`cb-links__item cb-links__item--${role}`}>
                <div className="cb-links__label">
                  <strong>{label}</strong>
                  <span className="cb-muted">{help}</span>
                </div>
                <CopyField value={created.links[role]} copyLabel={t('copy')} copiedLabel={t('copied')} testId={`link-${role}`} />
              </li>
            ))}
          </ul>
          <div className="cb-actions">
            <a className="cb-btn cb-btn--primary" href={created.boardLinks.facilitator} data-testid="open-board">
              {t('openBoard')}
            </a>
            <a className="cb-btn" href={created.links.facilitator} data-testid="open-cop">
              {t('openArchive')}
            </a>
            <button type="button" className="cb-btn cb-btn--ghost" onClick={() => setCreated(null)}>
              {t('another')}
            </button>
          </div>
        </section>
      )}
    </div>
  )
}

export default HomePage
