/**
 * Akkoord: the facilitator edits the kernstatement in place (every saved edit a new version, kept in
 * session.akkoord with who endorsed which version); participants endorse the current version once.
 */
import { useEffect, useRef, useState } from 'react'
import { useValue } from 'tldraw'
import { currentText, currentVersion, endorsementsByVersion, newVersion } from '@copboard/board'
import { useT } from '../i18n'
import { facilitationMessages } from './messages'
import { useFacilitation } from './context'
import { serverClock } from './serverClock'
import { findStatement, statementZoneBounds, writeStatementShape } from './statement'
import { loadProfile } from '../join/profile'

export function AkkoordSection({ onEdit }: { onEdit: () => void }) {
  const t = useT(facilitationMessages)
  const { editor, session } = useFacilitation()
  const hasStatement = useValue('copboard statement exists', () => !!findStatement(editor), [editor])
  if (!hasStatement) return null
  const a = session.akkoord
  const n = currentVersion(a)
  return (
    <div className="cb-fac-akkoord" data-testid="akkoord-section">
      {n ? (
        <blockquote className="cb-fac-statement">
          <span className="cb-fac-tag">{t('version', { n })}</span>
          {currentText(a)}
        </blockquote>
      ) : (
        <p className="cb-fac-hint">{t('noVersion')}</p>
      )}
      <button type="button" className="cb-fac-primary" onClick={onEdit} data-testid="edit-statement">
        ✎ {t('editStatement')}
      </button>
      {n > 0 && (
        <ul className="cb-fac-versions" data-testid="akkoord-versions">
          {endorsementsByVersion(a)
            .reverse()
            .map((v) => (
              <li key={v.version}>
                <strong>{t('version', { n: v.version })}</strong> · {t('endorsers', { n: v.endorsers.length })}
                {v.endorsers.length ? `: ${v.endorsers.map((e) => e.name).join(', ')}` : ''}
              </li>
            ))}
        </ul>
      )}
    </div>
  )
}

/** The in-place editor over the statement zone (opened by the panel button or a double-click there). */
export function StatementEditor({ onClose }: { onClose: () => void }) {
  const t = useT(facilitationMessages)
  const { editor, session, writer } = useFacilitation()
  const shape = findStatement(editor)
  const [text, setText] = useState(() => currentText(session.akkoord))
  const ref = useRef<HTMLTextAreaElement>(null)
  const rect = useValue(
    'copboard statement rect',
    () => {
      const s = findStatement(editor)
      const b = s && statementZoneBounds(editor, s)
      if (!b) return null
      const tl = editor.pageToViewport({ x: b.x, y: b.y })
      const z = editor.getZoomLevel()
      return { x: tl.x, y: tl.y, w: b.w * z, h: b.h * z }
    },
    [editor],
  )
  useEffect(() => {
    const s = findStatement(editor)
    if (s && editor.getCurrentPageId() !== editor.getAncestorPageId(s)) editor.setCurrentPage(editor.getAncestorPageId(s)!)
    ref.current?.focus()
  }, [editor])
  if (!shape) return null

  const save = () => {
    const v = newVersion(session.akkoord, text, loadProfile()?.name ?? '', serverClock.now())
    if (typeof v !== 'string') {
      writer.publishVersion(v)
      writeStatementShape(editor, shape, v.text)
    }
    onClose()
  }
  // at least readable, at most the viewport
  const box = rect
    ? { left: Math.max(8, rect.x), top: Math.max(56, rect.y), width: Math.max(360, Math.min(rect.w, innerWidth - 16)), minHeight: Math.max(180, Math.min(rect.h, innerHeight - 160)) }
    : { left: 80, top: 80, width: 480, minHeight: 200 }
  return (
    <div className="cb-stmt-editor" style={box} role="dialog" aria-modal="false" aria-labelledby="cb-stmt-label" data-testid="statement-editor">
      <label id="cb-stmt-label" htmlFor="cb-stmt-text">
        {t('statementLabel')} · {t('version', { n: currentVersion(session.akkoord) + 1 })}
      </label>
      <textarea
        id="cb-stmt-text"
        ref={ref}
        value={text}
        maxLength={4000}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          e.stopPropagation() // keep tldraw's shortcuts out of the text
          if (e.key === 'Escape') onClose()
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) save()
        }}
        aria-describedby="cb-stmt-hint"
        data-testid="statement-text"
      />
      <p id="cb-stmt-hint" className="cb-fac-hint">
        {t('editHint')}
      </p>
      <div className="cb-fac-row">
        <button type="button" onClick={onClose}>
          {t('cancel')}
        </button>
        <button type="button" className="cb-fac-primary" onClick={save} data-testid="statement-save">
          {t('saveVersion')}
        </button>
      </div>
    </div>
  )
}

/** Facilitator double-click inside the statement zone opens the editor (instead of tldraw dropping a text). */
export function useStatementDoubleClick(enabled: boolean, open: () => void) {
  const { editor } = useFacilitation()
  useEffect(() => {
    if (!enabled) return
    const el = editor.getContainer()
    let last = { t: 0, x: 0, y: 0 }
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0) return
      const s = findStatement(editor)
      const b = s && editor.getAncestorPageId(s) === editor.getCurrentPageId() ? statementZoneBounds(editor, s) : null
      const p = editor.screenToPage({ x: e.clientX, y: e.clientY })
      const inside = !!b && p.x >= b.x && p.x <= b.x + b.w && p.y >= b.y && p.y <= b.y + b.h
      const second = inside && e.timeStamp - last.t < 450 && Math.hypot(e.clientX - last.x, e.clientY - last.y) < 8
      last = { t: e.timeStamp, x: e.clientX, y: e.clientY }
      if (!second) return
      e.stopPropagation()
      e.preventDefault()
      last.t = 0
      open()
    }
    el.addEventListener('pointerdown', onDown, true)
    return () => el.removeEventListener('pointerdown', onDown, true)
  }, [editor, enabled, open])
}
