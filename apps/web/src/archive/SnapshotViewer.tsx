/**
 * A snapshot on the real tldraw canvas, read-only: state.bin -> local Y.Doc -> BOARD's binding
 * (schema migration included) -> tldraw store with isReadonly. Optional compare highlights:
 * added and changed notes outlined, removed notes as ghosts, each with a text label (COMPARE_MARK)
 * placed so that marks lying on top of each other stay readable (compareLayout.ts).
 */
import { useEffect, useId, useMemo, useState } from 'react'
import { Tldraw, createTLStore, defaultBindingUtils, defaultShapeUtils, useEditor, useValue, type Editor, type TLPageId, type TLShapeId } from 'tldraw'
import * as Y from 'yjs'
import { bindStoreToDoc, readRecords } from '@copboard/board'
import { useLang, useT } from '../i18n'
import { archiveMessages } from './messages'
import { mainPageOf } from './mainPage'
import { overlaps, placeLabels, type Box } from './compareLayout'
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

/** A label's scale: 14 px on screen whatever the zoom, smaller (down to 10 px) on a note narrow on screen. */
const labelScale = (width: number, zoom: number) => Math.max(10 / 14, Math.min(1, (width * zoom) / (14 * 6))) / zoom
/** A label's size in page units (bold system font: at most ~0.66 em a character). */
const labelSize = (text: string, s: number) => ({ w: (text.length * 14 * 0.66 + 16) * s, h: (14 * 1.25 + 4) * s })

/** The text label of a mark at `at` (page coordinates; placed by compareLayout), above every outline. */
function MarkLabel({ kind, text, at, origin, s }: { kind: CompareKind; text: string; at: Box; origin: { x: number; y: number }; s: number }) {
  return (
    <span
      data-role="label"
      style={{ position: 'absolute', zIndex: 1, left: at.x - origin.x, top: at.y - origin.y, width: at.w, height: at.h, boxSizing: 'border-box', textAlign: 'center', overflow: 'hidden', background: COMPARE_MARK[kind].color, color: '#fff', font: `700 ${14 * s}px/1.25 system-ui, sans-serif`, padding: `${2 * s}px ${8 * s}px`, borderRadius: 6 * s, whiteSpace: 'nowrap' }}
    >
      {text}
    </span>
  )
}

const grow = (b: Box, by: number): Box => ({ x: b.x - by, y: b.y - by, w: b.w + 2 * by, h: b.h + 2 * by })

/**
 * A removed note's dashed outline (and its faint fill when no note stands on it), cut out where
 * `cut` (boxes relative to the note) lie: what stands there now is drawn over it, not crossed.
 */
function RemovedOutline({ w, h, cut, filled, maskId }: { w: number; h: number; cut: Box[]; filled: boolean; maskId: string }) {
  const { color } = COMPARE_MARK.removed
  const stroke = 5
  return (
    <svg data-role="outline" aria-hidden="true" width={w} height={h} style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible' }}>
      {cut.length > 0 && (
        <mask id={maskId} maskUnits="userSpaceOnUse" x={-stroke} y={-stroke} width={w + 2 * stroke} height={h + 2 * stroke}>
          <rect x={-stroke} y={-stroke} width={w + 2 * stroke} height={h + 2 * stroke} fill="white" />
          {cut.map((b, i) => <rect key={i} x={b.x} y={b.y} width={b.w} height={b.h} fill="black" />)}
        </mask>
      )}
      <rect
        x={stroke / 2} y={stroke / 2} width={w - stroke} height={h - stroke} rx={8}
        fill={filled ? 'rgba(201,42,42,0.08)' : 'none'} stroke={color} strokeWidth={stroke} strokeDasharray={`${3 * stroke} ${2 * stroke}`}
        mask={cut.length > 0 ? `url(#${maskId})` : undefined}
      />
    </svg>
  )
}

function HighlightLayer({ highlights }: { highlights: Highlights }) {
  const editor = useEditor()
  // mask ids are document-wide: two viewers on one page must not share one
  const idPrefix = useId().replace(/[^a-zA-Z0-9_-]/g, '')
  const t = useT(archiveMessages)
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
  // what a label should not cover: the notes on the board now, and its texts (zone headings, prompts)
  const board = useValue(
    'compare obstacles',
    () => {
      const notes: (Box & { id: string })[] = []
      const texts: Box[] = []
      for (const shape of editor.getCurrentPageShapes()) {
        if (shape.type !== 'note' && shape.type !== 'text') continue
        const b = editor.getShapePageBounds(shape)
        if (!b) continue
        if (shape.type === 'note') notes.push({ id: shape.id, x: b.x, y: b.y, w: b.w, h: b.h })
        else texts.push({ x: b.x, y: b.y, w: b.w, h: b.h })
      }
      return { notes, texts }
    },
    [editor, pageId],
  )
  const ghosts = highlights.removed.filter((g) => g.pageId === pageId)
  const removed = COMPARE_MARK.removed
  const marks = [
    ...boxes.flatMap(({ id, kind, b }) => (b ? [{ id, kind, box: { x: b.x - 8, y: b.y - 8, w: b.w + 16, h: b.h + 16 } }] : [])),
    ...ghosts.map((g) => ({ id: g.id, kind: 'removed' as const, box: { x: g.x, y: g.y, w: g.w, h: g.h } })),
  ]
  const labels = marks.map((m) => {
    const s = labelScale(m.box.w, zoom)
    const text = t(COMPARE_MARK[m.kind].label)
    return { ...m, s, text, size: labelSize(text, s) }
  })
  // the board as it is now first (new, changed), then the removed notes' labels where there is room
  const at = placeLabels(labels.map((l) => ({ id: l.id, box: l.box, size: l.size, gap: 6 * l.s })), { marks: [...marks.map((m) => ({ id: m.id, ...m.box })), ...board.notes], texts: board.texts })
  const labelOf = (id: string) => {
    const l = labels.find((x) => x.id === id)!
    // positioned inside the mark's border (8 px for new and changed; a removed note's outline is drawn in its own SVG)
    const border = l.kind === 'removed' ? 0 : 8
    return <MarkLabel kind={l.kind} text={l.text} at={at.get(id)!} origin={{ x: l.box.x + border, y: l.box.y + border }} s={l.s} />
  }
  // what stands on a removed note's place now (notes with their outlines, texts): a removed note
  // lies beneath the board as it is now, so its outline is cut where they are (it crossed them)
  // and it shows no text of its own there (it would mix with the new note's)
  const standingOn = (g: Ghost) => [...board.notes.map((n) => grow(n, 8)), ...board.texts].filter((b) => overlaps(b, g))
  return (
    // above every shape (tldraw gives each shape a z-index): a zone's filled frame must not hide a mark.
    // Removed notes first, so the outlines of the board as it is now lie on top; labels above all outlines.
    <div style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none', zIndex: 1e7 }} data-testid="compare-highlights">
      {ghosts.map((g, i) => {
        const cut = standingOn(g)
        const underNote = board.notes.some((n) => overlaps(n, g))
        return (
          <div
            key={g.id}
            data-kind="removed"
            style={{ position: 'absolute', left: g.x, top: g.y, width: g.w, height: g.h, boxSizing: 'border-box', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 17, color: removed.color, font: '600 18px system-ui', textAlign: 'center' }}
          >
            <RemovedOutline w={g.w} h={g.h} filled={!underNote} cut={cut.map((b) => ({ ...b, x: b.x - g.x, y: b.y - g.y }))} maskId={`${idPrefix}-cut-${i}`} />
            {labelOf(g.id)}
            {!underNote && <span data-role="ghost-text" style={{ position: 'relative' }}>{g.text}</span>}
          </div>
        )
      })}
      {boxes.map(({ id, kind, b }) =>
        b ? (
          <div
            key={id}
            data-kind={kind}
            style={{ position: 'absolute', left: b.x - 8, top: b.y - 8, width: b.w + 16, height: b.h + 16, border: `8px ${COMPARE_MARK[kind].line} ${COMPARE_MARK[kind].color}`, borderRadius: 10, boxSizing: 'border-box' }}
          >
            {labelOf(id)}
          </div>
        ) : null,
      )}
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
