import { useState } from 'react'

export function CopyField({ value, copyLabel, copiedLabel, testId }: { value: string; copyLabel: string; copiedLabel: string; testId?: string }) {
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
      <input readOnly value={value} data-testid={testId} onFocus={(e) => e.currentTarget.select()} aria-label={copyLabel} />
      <button type="button" className="cb-btn cb-btn--ghost" onClick={copy}>
        {copied ? copiedLabel : copyLabel}
      </button>
    </div>
  )
}
