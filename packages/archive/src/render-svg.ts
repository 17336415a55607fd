/**
 * A small, pure SVG renderer for a board's records: frames, geo shapes, text, notes, arrows and
 * lines (svg-shapes.ts). Used for the archive when no browser export is available (autosave).
 * Recognisable, not pixel-equal to tldraw. Rules A1–A3.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { isShape, pageBounds, pageOf, pageTransform, toMap, toPage, type Rect } from '@copboard/templates'
import { RENDER_LIMITS, type RenderLimits } from './render-limits'
import { contentPages, mainPageId } from './board-pages'
import { drawArrow, drawShape, type DrawContext } from './svg-shapes'
import { FONT, drawnSize, escapeXml, n } from './svg-text'

export { contentPages, mainPageId, type PageContent } from './board-pages'
export { drawnSize, escapeXml, fontSize, wrapText } from './svg-text'

export interface RenderOptions {
  /** Extra margin around the content, in page units. Default 32. */
  padding?: number
  /** Only shapes on this page (default: mainPageId, the page where participants wrote most). */
  pageId?: string
  /** Outline colour per shape id (e.g. compare highlights). */
  highlight?: Map<string, string>
  background?: string
  limits?: Partial<RenderLimits>
}

interface RenderedPage {
  body: string
  vb: Rect
  /** shapes left out by the limits (rule A3) */
  omitted: number
}

/** Rule A1/A3: one page, bounded in shapes, points, text and output size; never recursive. */
function renderPage(records: TLRecord[], pageId: string | undefined, opts: RenderOptions): RenderedPage {
  const limits = { ...RENDER_LIMITS, ...opts.limits }
  const pad = opts.padding ?? 32
  const map = toMap(records)
  const shapes = records.filter(isShape)
  const byId = new Map(shapes.map((s) => [s.id as string, s]))
  const visible = shapes.filter((s) => pageId === undefined || pageOf(map, s) === pageId)
  let bounds: Rect | null = null
  for (const s of visible) {
    const b = pageBounds(map, s, drawnSize(s))
    if (!Number.isFinite(b.x + b.y + b.w + b.h)) continue
    if (!bounds) bounds = b
    else {
      const x = Math.min(bounds.x, b.x)
      const y = Math.min(bounds.y, b.y)
      bounds = { x, y, w: Math.max(bounds.x + bounds.w, b.x + b.w) - x, h: Math.max(bounds.y + bounds.h, b.y + b.h) - y }
    }
  }
  bounds ??= { x: 0, y: 0, w: 400, h: 300 }
  const vb = { x: bounds.x - pad, y: bounds.y - pad, w: bounds.w + 2 * pad, h: bounds.h + 2 * pad }

  // bindings: arrow terminal -> anchor on the target shape, in page coordinates
  const arrowEnds = new Map<string, { start?: { x: number; y: number }; end?: { x: number; y: number } }>()
  for (const r of records) {
    if (r.typeName !== 'binding' || r.type !== 'arrow') continue
    const target = byId.get(r.toId)
    if (!target) continue
    const props = (r.props ?? {}) as { terminal?: 'start' | 'end'; normalizedAnchor?: { x: number; y: number } }
    const { w, h } = drawnSize(target)
    const a = props.normalizedAnchor ?? { x: 0.5, y: 0.5 }
    const pt = toPage(pageTransform(map, target), { x: a.x * w, y: a.y * h })
    const e = arrowEnds.get(r.fromId) ?? {}
    e[props.terminal === 'start' ? 'start' : 'end'] = pt
    arrowEnds.set(r.fromId, e)
  }

  const children = new Map<string, TLShape[]>()
  for (const s of visible) {
    const list = children.get(s.parentId) ?? []
    list.push(s)
    children.set(s.parentId, list)
  }
  for (const l of children.values()) l.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0))

  const out: string[] = []
  let size = 0
  let drawn = 0
  let omitted = 0
  const emit = (s: string) => {
    out.push(s)
    size += s.length
  }
  const full = () => drawn >= limits.maxShapes || size >= limits.maxSvgChars
  const draw: DrawContext = { emit, maxPointsPerStroke: limits.maxPointsPerStroke, highlight: opts.highlight }

  // depth-first with an explicit stack (rule A3: never recursive over user data); arrows are drawn
  // afterwards in page space (their ends may be bound to other shapes)
  const roots = [...(children.get(pageId ?? '') ?? [])]
  if (!pageId) for (const [parent, list] of children) if (!byId.has(parent)) roots.push(...list)
  type Step = { shape: TLShape } | { close: true }
  const stack: Step[] = roots.reverse().map((shape) => ({ shape }))
  while (stack.length) {
    const step = stack.pop()!
    if ('close' in step) {
      emit('</g>')
      continue
    }
    const s = step.shape
    if (s.type === 'arrow') continue
    if (full()) {
      omitted++
      continue
    }
    drawn++
    emit(`<g transform="translate(${n(s.x)} ${n(s.y)})${s.rotation ? ` rotate(${n((s.rotation * 180) / Math.PI)})` : ''}" data-shape="${escapeXml(s.id)}">`)
    drawShape(s, draw)
    stack.push({ close: true })
    const kids = children.get(s.id)
    if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push({ shape: kids[i] })
  }

  for (const s of visible) {
    if (s.type !== 'arrow') continue
    if (full()) {
      omitted++
      continue
    }
    drawn++
    drawArrow(s, pageTransform(map, s), arrowEnds.get(s.id) ?? {}, draw)
  }
  const bg = opts.background ?? '#fbfbfb'
  return { body: `<rect x="${n(vb.x)}" y="${n(vb.y)}" width="${n(vb.w)}" height="${n(vb.h)}" fill="${bg}"/>` + out.join(''), vb, omitted }
}

/** One page as an SVG document (default: the page where participants wrote most, rule A2). */
export function renderSvg(records: TLRecord[], opts: RenderOptions = {}): string {
  const { body, vb } = renderPage(records, opts.pageId ?? mainPageId(records), opts)
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n(vb.x)} ${n(vb.y)} ${n(vb.w)} ${n(vb.h)}" width="${Math.ceil(vb.w)}" height="${Math.ceil(vb.h)}">` + body + '</svg>'
}

/**
 * Rule A1: every page that holds shapes, in page order, one under the other at the same width,
 * each under its page name (the board export); a board without content renders as one empty page.
 */
export function renderBoardSvg(records: TLRecord[], opts: Omit<RenderOptions, 'pageId'> = {}): string {
  const pages = contentPages(records)
  if (pages.length <= 1) return renderSvg(records, { ...opts, pageId: pages[0]?.pageId })
  const W = 1920
  const HEAD = 72
  const GAP = 48
  const parts: string[] = []
  let y = 0
  let budget = (opts.limits?.maxSvgChars ?? RENDER_LIMITS.maxSvgChars)
  for (const p of pages) {
    const r = renderPage(records, p.pageId, { ...opts, limits: { ...opts.limits, maxSvgChars: Math.max(0, budget) } })
    budget -= r.body.length
    const h = Math.max(1, (W * r.vb.h) / Math.max(1, r.vb.w))
    parts.push(`<text x="24" y="${n(y + 48)}" font-family="${FONT}" font-size="36" font-weight="bold" fill="#1d1d1d">${escapeXml(p.name)}</text>`)
    parts.push(`<svg x="0" y="${n(y + HEAD)}" width="${W}" height="${n(h)}" viewBox="${n(r.vb.x)} ${n(r.vb.y)} ${n(r.vb.w)} ${n(r.vb.h)}">${r.body}</svg>`)
    y += HEAD + h + GAP
  }
  const H = Math.ceil(y - GAP)
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="#ffffff"/>` + parts.join('') + '</svg>'
}
