/**
 * In front of the canvas, on each visible note: its perspective (icon + name, so colour is never
 * the only sign), and a lock on the reader's own private drafts. With a perspective highlighted,
 * the other notes fade. Badges keep a constant screen size and hide when notes are too small to
 * carry them.
 */
import { useValue, useEditor, type TLShape } from 'tldraw'
import { isPrivateShape } from '@copboard/board'
import { PERSPECTIVES, PERSPECTIVE_COLOR, type Perspective } from '../join/profile'
import { useT } from '../i18n'
import { boardMessages } from './messages'
import { privacyMessages } from '../privacy/messages'
import { PrivacyIcon } from '../privacy/LockIcon'
import { PERSPECTIVE_MARK, usePerspectiveFilter } from './perspectiveFilter'

const perspectiveOf = (s: TLShape): Perspective | null => {
  const p = (s.meta as { perspective?: unknown }).perspective
  return typeof p === 'string' && (PERSPECTIVES as readonly string[]).includes(p) ? (p as Perspective) : null
}

export function NoteBadges() {
  const editor = useEditor()
  const t = useT(boardMessages)
  const tp = useT(privacyMessages)
  const filter = usePerspectiveFilter()
  const badges = useValue(
    'copboard note badges',
    () => {
      const zoom = editor.getZoomLevel()
      const culled = editor.getCulledShapes()
      const out: { id: string; x: number; y: number; w: number; perspective: Perspective | null; private: boolean; dim: boolean }[] = []
      // only the notes in view (spatial index): a move elsewhere on a board of thousands of notes
      // costs a lookup, not a walk over every note
      const inView = [...editor.getShapeIdsInsideBounds(editor.getViewportPageBounds())]
        .map((id) => editor.getShape(id))
        .filter((s): s is TLShape => !!s && s.type === 'note')
        .sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))
      for (const s of inView) {
        const perspective = perspectiveOf(s)
        const priv = isPrivateShape(s)
        const dim = !!filter && perspective !== filter
        if (!perspective && !priv && !dim) continue
        if (culled.has(s.id)) continue
        const b = editor.getShapePageBounds(s.id)
        if (!b || b.w * zoom < 70) {
          if (dim) out.push({ id: s.id, x: 0, y: 0, w: 0, perspective: null, private: false, dim })
          continue
        }
        const p = editor.pageToViewport({ x: b.x, y: b.y })
        out.push({ id: s.id, x: p.x, y: p.y, w: b.w * zoom, perspective, private: priv, dim })
      }
      return out
    },
    [editor, filter],
  )
  const dimmed = badges.filter((b) => b.dim).map((b) => `.tl-shape[data-shape-id="${b.id}"]`)
  return (
    <>
      {/* !important: tldraw sets each shape's opacity inline */}
      {dimmed.length > 0 && <style>{`${dimmed.join(',')}{opacity:.18!important;transition:opacity .15s}`}</style>}
      {badges
        .filter((b) => b.w > 0 && (b.perspective || b.private) && !b.dim)
        .map((b) => (
          <div key={b.id} className="cb-note-badges" style={{ transform: `translate(${b.x + 6}px, ${b.y + 6}px)`, maxWidth: b.w - 12 }} aria-hidden>
            {b.perspective && (
              <span className="cb-note-badge" style={{ ['--c' as string]: PERSPECTIVE_COLOR[b.perspective].hex }}>
                {PERSPECTIVE_MARK[b.perspective].icon} {t(b.perspective)}
              </span>
            )}
            {b.private && (
              <span className="cb-note-badge cb-note-badge--private">
                <PrivacyIcon kind="locked" size={11} /> {tp('privateBadge')}
              </span>
            )}
          </div>
        ))}
    </>
  )
}
