/** Lock / open-lock / eye as inline SVG (emoji are missing on many systems and in headless browsers). */
export function PrivacyIcon({ kind, size = 16 }: { kind: 'locked' | 'open' | 'eye'; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" aria-hidden focusable="false" style={{ flex: 'none' }}>
      {kind === 'eye' ? (
        <>
          <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
          <circle cx="12" cy="12" r="3" />
        </>
      ) : (
        <>
          <rect x="4" y="11" width="16" height="10" rx="2" />
          <path d={kind === 'locked' ? 'M8 11V7a4 4 0 0 1 8 0v4' : 'M8 11V7a4 4 0 0 1 7.5-2'} />
        </>
      )}
    </svg>
  )
}
