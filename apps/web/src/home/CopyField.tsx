import { useState } from 'react'

/**
 * A read-only link with its copy button. `name` says whose link it is, so every field and button
 * has its own accessible name ("Kopieer de link voor Deelnemers"), never three identical "Kopiëren".
 */
export function CopyField({ value, copyLabel, copiedLabel, testId, fieldLabel, buttonLabel }: { value: string; copyLabel: string; copiedLabel: string; testId?: string; fieldLabel?: string; buttonLabel?: string }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
    } catch {
      const ta = document.createElement('textarea')
      ta.value = value
      document.body.appendChild(ta)
      ta.select()
      document.execCommand('copy')
      ta.remove()
    }
    setCopied(true)
    setTimeout(() => setCopied(false), 1500)
  }
  return (
    <div className="cb-copy">
      <input readOnly value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} aria-label={fieldLabel ?? copyLabel} />
      <button type="button" className="cb-btn cb-btn--ghost" onClick={copy} aria-label={buttonLabel} data-testid={testId ? `copy-${testId}` : undefined}>
        {copied ? copiedLabel : copyLabel}
      </button>
      <span className="cb-visually-hidden" role="status">
        {copied ? copiedLabel : ''}
      </span>
    </div>
  )
}
