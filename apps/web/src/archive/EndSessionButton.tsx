/**
 * Facilitator panel button "Sessie beëindigen" on the board: exports the board with tldraw's own
 * renderer (PNG full + thumbnail, SVG), ends the session with those renders (the server stores the
 * snapshot), then opens the CoP page. For BOARD's facilitator panel extension point.
 */
import { useState } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import { useT } from '../i18n'
import { api } from './api'
import { archiveMessages } from './messages'
import { mainPageOf } from './mainPage'
import '../home/home.css' // .cb-btn styles on the board page too

const MAX_PNG_BYTES = 12 * 1024 * 1024

async function blobToBase64(b: Blob): Promise<string> {
  const buf = new Uint8Array(await b.arrayBuffer())
  let s = ''
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000))
  return btoa(s)
}

/**
 * tldraw's own export of the page people wrote most on (archive SPEC A2): the thumbnail always;
 * the full PNG/SVG are used by the server only when the board has one page with content (else it
 * draws every page itself).
 */
export async function exportBoard(editor: Editor): Promise<{ png?: string; thumbnail?: string; svg?: string }> {
  const out: { png?: string; thumbnail?: string; svg?: string } = {}
  const pageId = mainPageOf(editor)
  const ids = [...editor.getPageShapeIds(pageId)] as TLShapeId[]
  if (!ids.length) return out
  try {
    const full = await editor.toImage(ids, { format: 'png', background: true, scale: 1, pixelRatio: 1 })
    if (full.blob.size <= MAX_PNG_BYTES) out.png = await blobToBase64(full.blob)
    const bounds = editor.getShapesPageBounds(ids)
    const scale = bounds ? Math.min(1, 480 / bounds.w) : 0.25
    const thumb = await editor.toImage(ids, { format: 'png', background: true, scale, pixelRatio: 1 })
    out.thumbnail = await blobToBase64(thumb.blob)
    const svg = await editor.getSvgString(ids, { background: true })
    if (svg && svg.svg.length <= MAX_PNG_BYTES) out.svg = svg.svg
  } catch {
    /* the server renders its own SVG/PNG when the browser export fails */
  }
  return out
}

export function EndSessionButton({ editor, token, copId, sessionId, sessionNumber, onEnded }: { editor: Editor; token: string; copId: string; sessionId: string; sessionNumber: number; onEnded?: () => void }) {
  const t = useT(archiveMessages)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const end = async () => {
    if (!confirm(t('confirmEnd', { n: sessionNumber }))) return
    setBusy(true)
    setError(null)
    try {
      const renders = await exportBoard(editor)
      await api.end(token, copId, sessionId, renders)
      if (onEnded) onEnded()
      else location.assign(`/cop/${copId}#t=${token}`)
    } catch (err) {
      setError(t('error', { message: (err as Error).message }))
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" className="cb-btn cb-btn--danger" onClick={end} disabled={busy} data-testid="end-session-board">
        {busy ? t('ending') : t('end')}
      </button>
      {error && <span className="cb-error">{error}</span>}
    </>
  )
}
