/**
 * A snapshot on the real tldraw canvas, read-only: state.bin -> local Y.Doc -> BOARD's binding
 * (schema migration included) -> tldraw store with isReadonly. Optional compare highlights:
 * added (green) and changed (orange) notes outlined, removed notes as red ghosts.
 */
import { useEffect, useMemo, useState } from 'react'
import { Tldraw, createTLStore, defaultBindingUtils, defaultShapeUtils, useEditor, useValue, type Editor, type TLPageId, type TLShapeId } from 'tldraw'
import * as Y from 'yjs'
import { bindStoreToDoc, readRecords } from '@copboard/board'
import { useLang, useT } from '../i18n'
import { archiveMessages } from './messages'
import { mainPageOf } from './mainPage'
import 'tldraw/tldraw.css'
import '../templates/templates.css' // template frames as on the board
import { tldrawAssetUrls } from '../tldrawAssets'


export interface Ghost {
  id: string
  /** the page the note was on */
  pageId: string
  x: number
  y: number
  w: number
  h: number
  text: string
}
export interface Highlights {
  added: string[]
  changed: string[]
  removed: Ghost[]
}

/** Page-space boxes of notes in a snapshot (for ghosts of removed notes); rotation ignored. */
export function noteBoxes(state: Uint8Array): Map<string, Ghost> {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const recs = readRecords(doc) as unknown as { id: string; typeName: string; type?: string; x?: number; y?: number; parentId?: string; props?: Record<string, unknown> }[]
  const byId = new Map(recs.map((r) => [r.id, r]))
  const out = new Map<string, Ghost>()
  for (const r of recs) {
    if (r.typeName !== 'shape' || r.type !== 'note') continue
    let x = r.x ?? 0
    let y = r.y ?? 0
    let pageId = r.parentId ?? ''
    let p = byId.get(r.parentId ?? '')
    for (let i = 0; p && p.typeName === 'shape' && i < 50; i++) {
      x += p.x ?? 0
      y += p.y ?? 0
      pageId = p.parentId ?? ''
      p = byId.get(p.parentId ?? '')
    }
    const scale = typeof r.props?.scale === 'number' ? (r.props.scale as number) : 1
    out.set(r.id, { id: r.id, pageId, x, y, w: 200 * scale, h: (200 + ((r.props?.growY as number) ?? 0)) * scale, text: '' })
  }
  return out
}

function HighlightLayer({ highlights }: { highlights: Highlights }) {
  const editor = useEditor()
  // only what is on the page shown: a note on another page must not be outlined here
  const pageId = useValue('page', () => editor.getCurrentPageId(), [editor])
  const boxes = useValue(
    'compare boxes',
    () =>
      [
        ...highlights.added.map((id) => ({ id, kind: 'added' as const })),
        ...highlights.changed.map((id) => ({ id, kind: 'changed' as const })),
      ]
        .filter(({ id }) => editor.getShape(id as TLShapeId) && editor.getAncestorPageId(id as TLShapeId) === pageId)
        .map((h) => ({ ...h, b: editor.getShapePageBounds(h.id as TLShapeId) })),
    [editor, highlights, pageId],
  )
  const ghosts = highlights.removed.filter((g) => g.pageId === pageId)
  const color = { added: '#2f9e44', changed: '#f08c00', removed: '#e03131' }
  return (
    <div style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none' }} data-testid="compare-highlights">
      {boxes.map(({ id, kind, b }) =>
        b ? (
          <div
            key={id}
            data-kind={kind}
            style={{ position: 'absolute', left: b.x - 8, top: b.y - 8, width: b.w + 16, height: b.h + 16, border: `6px solid ${color[kind]}`, borderRadius: 10, boxSizing: 'border-box' }}
          />
        ) : null,
      )}
      {ghosts.map((g) => (
        <div
          key={g.id}
          data-kind="removed"
          style={{ position: 'absolute', left: g.x, top: g.y, width: g.w, height: g.h, border: `5px dashed ${color.removed}`, borderRadius: 8, background: 'rgba(224,49,49,0.08)', boxSizing: 'border-box', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 12, color: color.removed, font: '600 18px system-ui', textAlign: 'center' }}
        >
          {g.text}
        </div>
      ))}
    </div>
  )
}

export function SnapshotViewer({ state, highlights, pageId, licenseKey, onEditor }: { state: Uint8Array; highlights?: Highlights; pageId?: string; licenseKey?: string | null; onEditor?: (e: Editor) => void }) {
  const t = useT(archiveMessages)
  const lang = useLang()
  const store = useMemo(() => createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils }), [])
  const [ready, setReady] = useState(false)
  useEffect(() => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    const binding = bindStoreToDoc(store as never, doc, {})
    setReady(true)
    return () => binding.unbind()
  }, [store, state])

  const components = useMemo(() => (highlights ? { OnTheCanvas: () => <HighlightLayer highlights={highlights} /> } : {}), [highlights])

  const onMount = (editor: Editor) => {
    editor.updateInstanceState({ isReadonly: true })
    editor.user.updateUserPreferences({ locale: lang })
    // the page asked for (compare: where the changes are), else where people wrote most (SPEC A2)
    const target = pageId && editor.getPage(pageId as TLPageId) ? (pageId as TLPageId) : mainPageOf(editor)
    editor.setCurrentPage(target)
    editor.zoomToFit({ animation: { duration: 0 } })
    onEditor?.(editor)
  }

  if (!ready) return <div className="cb-viewer cb-viewer--loading">{t('loading')}</div>
  return (
    <div className="cb-viewer" data-testid="snapshot-viewer">
      <div className="cb-viewer__badge">{t('readOnly')}</div>
      <Tldraw store={store} assetUrls={tldrawAssetUrls} licenseKey={licenseKey ?? undefined} onMount={onMount} components={components} />
    </div>
  )
}
