/**
 * Where tldraw's licence gate would leave a blank page (an unlicensed or expired key on an HTTPS
 * production host: tldraw renders nothing after 5 s), the operator gets an explanation, in Dutch
 * and in English at once (whoever reads it may not be the participant who set the language).
 * This only reads tldraw's licence state; it never changes or bypasses the check.
 */
import { boardMessages } from './messages'
import { format } from '../i18n'

/** tldraw licence states that end with the editor hidden (LicenseProvider's shouldHideEditorAfterDelay). */
export const BLOCKING_LICENCE_STATES = ['unlicensed-production', 'expired'] as const

export function isBlockingLicenceState(state: string | null): boolean {
  return !!state && (BLOCKING_LICENCE_STATES as readonly string[]).includes(state)
}

export function LicenceNotice({ state }: { state: string }) {
  const host = location.host
  return (
    <main className="cb-licence" data-testid="licence-notice" role="alert">
      {(['nl', 'en'] as const).map((lang) => {
        const m = boardMessages[lang]
        return (
          <section key={lang} lang={lang} className="cb-licence__part">
            <h1>{m.licenceTitle}</h1>
            <p>{m.licenceBody}</p>
            <p>{m.licenceSafe}</p>
            <p className="cb-licence__operator">{format(m.licenceOperator, { host })}</p>
            <p className="cb-licence__state">{format(m.licenceState, { state })}</p>
          </section>
        )
      })}
    </main>
  )
}

/**
 * tldraw's licence tracking (an unlicensed production host) is a bare `fetch()` to its CDN without
 * a catch; our CSP blocks that request on purpose (it would carry the page URL), so the browser
 * reports an uncaught "Failed to fetch" from tldraw. That one rejection is expected and silenced;
 * every other rejection is reported as before.
 */
export function silenceBlockedLicenceTracking(): void {
  if (typeof addEventListener === 'undefined') return
  addEventListener('unhandledrejection', (e) => {
    const r = e.reason as { name?: string; stack?: string } | undefined
    if (r?.name === 'TypeError' && typeof r.stack === 'string' && /\bmaybeTrack\b/.test(r.stack)) e.preventDefault()
  })
}
