/**
 * tldraw's note, made cheap for boards with thousands of notes (issue 12). tldraw renders every
 * shape of the page (off-screen ones hidden with display:none) and measures every note's label in
 * the DOM to build its geometry, so a 2,000-note board spent most of its first render on notes
 * nobody could see. This note util keeps tldraw's look and behaviour and changes two things:
 *
 * - The label's hit area (the only part of a note's geometry that needs the text measured; the
 *   note's bounds come from its size and `growY`) is measured when something first asks for it,
 *   e.g. a pointer near the note, instead of for every note while the board opens.
 * - A note's content (text, shadow, attribution) is rendered once the note has come into view
 *   (tldraw's culling), and then kept: panning back and forth does not re-create it.
 */
import { useLayoutEffect, useState } from 'react'
import {
  Geometry2d,
  getDisplayValues,
  Group2d,
  NoteShapeUtil,
  react,
  Rectangle2d,
  useStateTracking,
  type Geometry2dFilters,
  type TLNoteShape,
  type TLShapeId,
  type VecLike,
} from 'tldraw'

/** A geometry that builds the real one on first use (all queries go to it). */
class LazyGeometry2d extends Geometry2d {
  private built: Geometry2d | null = null
  constructor(
    private readonly build: () => Geometry2d,
    opts: { isLabel: boolean; excludeFromShapeBounds: boolean },
  ) {
    super({ isFilled: true, isClosed: true, ...opts })
  }
  private real(): Geometry2d {
    return (this.built ??= this.build())
  }
  getVertices(filters: Geometry2dFilters) {
    return this.real().getVertices(filters)
  }
  nearestPoint(point: VecLike, filters?: Geometry2dFilters) {
    return this.real().nearestPoint(point, filters)
  }
  override hitTestPoint(point: VecLike, margin?: number, hitInside?: boolean, filters?: Geometry2dFilters) {
    return this.real().hitTestPoint(point, margin, hitInside, filters)
  }
  override distanceToPoint(point: VecLike, hitInside?: boolean, filters?: Geometry2dFilters) {
    return this.real().distanceToPoint(point, hitInside, filters)
  }
  override hitTestLineSegment(A: VecLike, B: VecLike, distance?: number, filters?: Geometry2dFilters) {
    return this.real().hitTestLineSegment(A, B, distance, filters)
  }
  override intersectLineSegment(A: VecLike, B: VecLike, filters?: Geometry2dFilters) {
    return this.real().intersectLineSegment(A, B, filters)
  }
  getSvgPathData(first: boolean) {
    return this.real().getSvgPathData(first)
  }
}

export class BoardNoteShapeUtil extends NoteShapeUtil {
  static override type = 'note' as const

  override getGeometry(shape: TLNoteShape) {
    const dv = getDisplayValues(this, shape)
    const { scale, growY } = shape.props
    // tldraw's own geometry (with the measured label) is built only when the label is asked for
    const label = new LazyGeometry2d(() => (super.getGeometry(shape) as Group2d).children.find((c) => c.isLabel)!, {
      isLabel: true,
      excludeFromShapeBounds: true,
    })
    return new Group2d({
      children: [new Rectangle2d({ width: dv.noteWidth * scale, height: (dv.noteHeight + growY) * scale, isFilled: true }), label],
    })
  }

  override component(shape: TLNoteShape) {
    return <NoteContent util={this} shape={shape} />
  }
}

/** Nothing until the note has been in view once; then tldraw's note, tracked like tldraw tracks it. */
function NoteContent({ util, shape }: { util: BoardNoteShapeUtil; shape: TLNoteShape }) {
  const editor = util.editor
  const [seen, setSeen] = useState(() => !editor.getCulledShapes().has(shape.id))
  useLayoutEffect(() => {
    if (seen) return
    return react('copboard note comes into view', () => {
      if (!editor.getCulledShapes().has(shape.id)) setSeen(true)
    })
  }, [seen, editor, shape.id])
  return seen ? <TldrawNote util={util} id={shape.id} /> : null
}

function TldrawNote({ util, id }: { util: BoardNoteShapeUtil; id: TLShapeId }) {
  // like tldraw's InnerShape: reactive reads inside the note's render re-render it
  return useStateTracking(
    'copboard note',
    () => NoteShapeUtil.prototype.component.call(util, util.editor.store.unsafeGetWithoutCapture(id) as TLNoteShape),
    [util, id],
  )
}
