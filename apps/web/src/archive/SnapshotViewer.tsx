/**
 * A snapshot on the real tldraw canvas, read-only: state.bin -> local Y.Doc -> BOARD's binding
 * (schema migration included) -> tldraw store with isReadonly. Optional compare highlights:
 * added and changed notes outlined, removed notes as ghosts, each with a text label (COMPARE_MARK).
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
/**
 * How compare marks look. Never a perspective colour (gemeente blue, initiatief green, overig
 * violet: a green "new" outline read as an initiatief note), never colour alone (a line style and
 * a text label per kind), and AA contrast: outlines >= 3:1 on the canvas, white label text >= 4.5:1.
 */
export const COMPARE_MARK = {
  added: { color: '#1e1e1e', line: 'solid', label: 'markAdded' },
  changed: { color: '#a14e00', line: 'double', label: 'markChanged' },
  removed: { color: '#c92a2a', line: 'dashed', label: 'markRemoved' },
} as const
export type CompareKind = keyof typeof COMPARE_MARK

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

/**
 * The text label of a mark, above its top-left corner: 14 px on screen whatever the zoom, smaller
 * (down to 10 px) when the note is narrower on screen, so labels of neighbouring notes do not overlap.
 */
function MarkLabel({ kind, zoom, width }: { kind: CompareKind; zoom: number; width: number }) {
  const t = useT(archiveMessages)
  const s = Math.max(10 / 14, Math.min(1, (width * zoom) / (14 * 6))) / zoom
  return (
    <span
      data-role="label"
      style={{ position: 'absolute', left: -6 * s, top: -6 * s, transform: 'translateY(-100%)', background: COMPARE_MARK[kind].color, color: '#fff', font: `700 ${14 * s}px/1.25 system-ui, sans-serif`, padding: `${2 * s}px ${8 * s}px`, borderRadius: 6 * s, whiteSpace: 'nowrap' }}
    >
      {t(COMPARE_MARK[kind].label)}
    </span>
  )
}

function HighlightLayer({ highlights }: { highlights: Highlights }) {
  const editor = useEditor()
  // only what is on the page shown: a note on another page must not be outlined here
  const pageId = useValue('page', () => editor.getCurrentPageId(), [editor])
  const zoom = useValue('zoom', () => editor.getZoomLevel(), [editor])
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
  const removed = COMPARE_MARK.removed
  return (
    // above every shape (tldraw gives each shape a z-index): a zone's filled frame must not hide a mark
    <div style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none', zIndex: 1e7 }} data-testid="compare-highlights">
      {boxes.map(({ id, kind, b }) =>
        b ? (
          <div
            key={id}
            data-kind={kind}
            style={{ position: 'absolute', left: b.x - 8, top: b.y - 8, width: b.w + 16, height: b.h + 16, border: `8px ${COMPARE_MARK[kind].line} ${COMPARE_MARK[kind].color}`, borderRadius: 10, boxSizing: 'border-box' }}
          >
            <MarkLabel kind={kind} zoom={zoom} width={b.w + 16} />
          </div>
        ) : null,
      )}
      {ghosts.map((g) => (
        <div
          key={g.id}
          data-kind="removed"
          style={{ position: 'absolute', left: g.x, top: g.y, width: g.w, height: g.h, border: `5px ${removed.line} ${removed.color}`, borderRadius: 8, background: 'rgba(201,42,42,0.08)', boxSizing: 'border-box', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 12, color: removed.color, font: '600 18px system-ui', textAlign: 'center' }}
        >
          <MarkLabel kind="removed" zoom={zoom} width={g.w} />
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
