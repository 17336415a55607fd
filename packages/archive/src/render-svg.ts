/**
 * A small, pure SVG renderer for a board's records: frames, geo shapes, text, notes, arrows and
 * lines. Used for the archive when no browser export is available (autosave). Recognisable, not
 * pixel-equal to tldraw.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { isShape, linePoints, pageBounds, pageOf, pageTransform, shapeSize, shapeText, toMap, toPage, type Rect } from '@copboard/templates'
import { RENDER_LIMITS, type RenderLimits, sample } from './render-limits'

/** A shape's text, cut at the render limit (a 1 MB note is drawn as its first lines). */
function labelOf(s: TLShape): string {
  const t = shapeText(s)
  return t.length > RENDER_LIMITS.maxTextChars ? t.slice(0, RENDER_LIMITS.maxTextChars) + '…' : t
}

// ---- text measurement (an estimate: no fonts on the server) --------------------------------

export function fontSize(size: unknown): number {
  return size === 's' ? 18 : size === 'l' ? 36 : size === 'xl' ? 44 : 24
}

export function wrapText(text: string, maxWidth: number, fs: number): string[] {
  const charW = fs * 0.55
  const maxChars = Math.max(1, Math.floor(maxWidth / charW))
  const lines: string[] = []
  for (const para of text.split('\n')) {
    let line = ''
    for (const word of para.split(/\s+/)) {
      if (!word) continue
      if (!line) line = word
      else if ((line + ' ' + word).length <= maxChars) line += ' ' + word
      else {
        lines.push(line)
        line = word
      }
      while (line.length > maxChars) {
        lines.push(line.slice(0, maxChars))
        line = line.slice(maxChars)
      }
    }
    lines.push(line)
  }
  return lines
}

/**
 * Size of a shape as drawn here: text is measured (estimated), freehand strokes get a nominal box
 * (their points may be encoded), everything else is the page geometry of packages/templates.
 */
export function drawnSize(s: TLShape): { w: number; h: number } {
  const p = s.props as Record<string, unknown>
  if (s.type === 'text') {
    const text = labelOf(s)
    const fs = fontSize(p.size) * (typeof p.scale === 'number' ? p.scale : 1)
    let longest = 0
    for (const l of text.split('\n')) longest = Math.max(longest, l.length)
    const w = p.autoSize === false ? (typeof p.w === 'number' ? p.w : 100) : Math.max(20, longest * fs * 0.55)
    return { w, h: Math.max(wrapText(text, w, fs).length, 1) * fs * 1.35 }
  }
  if (s.type === 'draw' || s.type === 'highlight') return { w: 100, h: 100 }
  return shapeSize(s)
}

const STROKE: Record<string, string> = {
  black: '#1d1d1d', grey: '#9fa8b2', 'light-violet': '#e085f4', violet: '#ae3ec9', blue: '#4465e9',
  'light-blue': '#4ba1f1', yellow: '#f1ac4b', orange: '#e16919', green: '#099268', 'light-green': '#4cb05e',
  'light-red': '#f87777', red: '#e03131', white: '#ffffff',
}
const FILL: Record<string, string> = {
  black: '#e8e8e8', grey: '#eceef0', 'light-violet': '#f5eafa', violet: '#ece4f4', blue: '#dce1f8',
  'light-blue': '#ddedfa', yellow: '#f9f0e6', orange: '#f8e2d4', green: '#d3e9e3', 'light-green': '#dbf0e0',
  'light-red': '#f4dadb', red: '#f4dadb', white: '#ffffff',
}
const NOTE: Record<string, string> = {
  black: '#d3d3d3', grey: '#dfe3e8', 'light-violet': '#ecc6f8', violet: '#d3b0f0', blue: '#a7c4f5',
  'light-blue': '#aee0f7', yellow: '#fddf7e', orange: '#f8b682', green: '#9ed9a8', 'light-green': '#c2ecb5',
  'light-red': '#fbc5c5', red: '#f6a5a5', white: '#ffffff',
}
const FONT = "Helvetica, Arial, 'DejaVu Sans', sans-serif"

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

const col = (table: Record<string, string>, c: unknown, d: string) => (typeof c === 'string' && table[c]) || d
const n = (v: number) => Math.round(v * 100) / 100

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

/** A page that holds shapes, with what the default-page choice and the board export need. */
export interface PageContent {
  pageId: string
  name: string
  shapes: number
  /** notes written on the board (not template scaffold, not pre-filled examples) */
  notes: number
}

function pagesInOrder(records: TLRecord[]) {
  return records
    .filter((r) => r.typeName === 'page')
    .sort((a, b) => (String((a as { index?: string }).index) < String((b as { index?: string }).index) ? -1 : 1)) as unknown as { id: string; name?: string }[]
}

function isWrittenNote(s: TLShape): boolean {
  const m = (s.meta ?? {}) as { prefilled?: unknown; copboard?: { scaffold?: unknown } }
  return s.type === 'note' && m.prefilled !== true && m.copboard?.scaffold !== true
}

/** Rule A2: the pages that hold shapes, in page order, with their shape and written-note counts. */
export function contentPages(records: TLRecord[]): PageContent[] {
  const map = toMap(records)
  const stats = new Map<string, { shapes: number; notes: number }>()
  for (const r of records) {
    if (!isShape(r)) continue
    const page = pageOf(map, r)
    const st = stats.get(page) ?? { shapes: 0, notes: 0 }
    st.shapes++
    if (isWrittenNote(r)) st.notes++
    stats.set(page, st)
  }
  return pagesInOrder(records)
    .filter((p) => stats.has(p.id))
    .map((p) => ({ pageId: p.id, name: typeof p.name === 'string' ? p.name : '', ...stats.get(p.id)! }))
}

/** Rule A2: the page participants wrote most on (notes), then the one with most shapes, then the first. */
export function mainPageId(records: TLRecord[]): string | undefined {
  const pages = contentPages(records)
  let best = pages[0]
  for (const p of pages) if (p.notes > best.notes || (p.notes === best.notes && p.shapes > best.shapes)) best = p
  return best?.pageId ?? (pagesInOrder(records)[0]?.id as string | undefined)
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
  const text = (lines: string[], x: number, y: number, fs: number, anchor: 'start' | 'middle', fill = '#1d1d1d', weight = 'normal') => {
    if (!lines.length || (lines.length === 1 && !lines[0])) return ''
    const tspans = lines.map((l, i) => `<tspan x="${n(x)}" dy="${i === 0 ? 0 : n(fs * 1.3)}">${escapeXml(l)}</tspan>`).join('')
    return `<text x="${n(x)}" y="${n(y + fs)}" font-family="${FONT}" font-size="${n(fs)}" font-weight="${weight}" text-anchor="${anchor}" fill="${fill}">${tspans}</text>`
  }
  const polyline = (pts: { x: number; y: number }[]) => sample(pts, limits.maxPointsPerStroke).map((q) => `${n(q.x)},${n(q.y)}`).join(' ')

  const drawShape = (s: TLShape): void => {
    const p = s.props as Record<string, unknown>
    const { w, h } = drawnSize(s)
    const label = labelOf(s)
    switch (s.type) {
      case 'frame':
        emit(`<rect width="${n(w)}" height="${n(h)}" fill="${col(FILL, p.color, '#ffffff')}" stroke="#9fa8b2" stroke-width="1.5" rx="2"/>`)
        emit(text([label], 4, -26, 16, 'start', '#555', 'bold'))
        break
      case 'geo': {
        const stroke = col(STROKE, p.color, '#1d1d1d')
        const fill = p.fill === 'none' || !p.fill ? 'none' : p.fill === 'solid' ? col(FILL, p.color, '#eee') : col(FILL, p.color, '#f4f4f4')
        const dash = p.dash === 'dashed' ? ' stroke-dasharray="12 8"' : p.dash === 'dotted' ? ' stroke-dasharray="2 6"' : ''
        if (p.geo === 'ellipse' || p.geo === 'oval')
          emit(`<ellipse cx="${n(w / 2)}" cy="${n(h / 2)}" rx="${n(w / 2)}" ry="${n(h / 2)}" fill="${fill}" stroke="${stroke}" stroke-width="2"${dash}/>`)
        else if (p.geo === 'diamond')
          emit(`<polygon points="${n(w / 2)},0 ${n(w)},${n(h / 2)} ${n(w / 2)},${n(h)} 0,${n(h / 2)}" fill="${fill}" stroke="${stroke}" stroke-width="2"${dash}/>`)
        else emit(`<rect width="${n(w)}" height="${n(h)}" fill="${fill}" stroke="${stroke}" stroke-width="2" rx="6"${dash}/>`)
        if (label) {
          const fs = fontSize(p.size) * 0.8
          const lines = wrapText(label, w - 16, fs)
          const y0 = p.verticalAlign === 'start' ? 8 : p.verticalAlign === 'end' ? h - lines.length * fs * 1.3 - 8 : (h - lines.length * fs * 1.3) / 2
          emit(text(lines, p.align === 'start' ? 8 : w / 2, y0, fs, p.align === 'start' ? 'start' : 'middle'))
        }
        break
      }
      case 'note': {
        const fs = ({ s: 16, m: 20, l: 26, xl: 32 } as Record<string, number>)[String(p.size)] ?? 20
        emit(`<rect x="2" y="4" width="${n(w)}" height="${n(h)}" fill="rgba(0,0,0,0.12)" rx="4"/>`)
        emit(`<rect width="${n(w)}" height="${n(h)}" fill="${col(NOTE, p.color, '#fddf7e')}" rx="4"/>`)
        const lines = wrapText(label, w - 24, fs).slice(0, Math.floor((h - 24) / (fs * 1.3)))
        emit(text(lines, w / 2, Math.max(12, (h - lines.length * fs * 1.3) / 2), fs, 'middle'))
        break
      }
      case 'text': {
        const fs = fontSize(p.size) * (typeof p.scale === 'number' ? p.scale : 1)
        const lines = wrapText(label, w, fs).slice(0, 200)
        emit(text(lines, p.textAlign === 'middle' ? w / 2 : 0, 0, fs, p.textAlign === 'middle' ? 'middle' : 'start', col(STROKE, p.color, '#1d1d1d')))
        break
      }
      case 'line':
        emit(`<polyline points="${polyline(linePoints(s))}" fill="none" stroke="${col(STROKE, p.color, '#1d1d1d')}" stroke-width="2"/>`)
        break
      case 'draw':
      case 'highlight': {
        const segs = Array.isArray(p.segments) ? (p.segments as { points?: unknown }[]).slice(0, limits.maxPointsPerStroke) : []
        for (const seg of segs) {
          if (!Array.isArray(seg.points)) continue // newer tldraw encodes points; skip what we cannot read
          emit(`<polyline points="${polyline(seg.points as { x: number; y: number }[])}" fill="none" stroke="${col(STROKE, p.color, '#1d1d1d')}" stroke-width="${s.type === 'highlight' ? 12 : 2.5}" stroke-linecap="round" stroke-linejoin="round"${s.type === 'highlight' ? ' opacity="0.35"' : ''}/>`)
        }
        break
      }
      default:
        if (typeof p.w === 'number' && typeof p.h === 'number') emit(`<rect width="${n(w)}" height="${n(h)}" fill="#f4f4f4" stroke="#ccc" stroke-dasharray="4 4"/>`)
    }
    const hl = opts.highlight?.get(s.id)
    if (hl) emit(`<rect x="-6" y="-6" width="${n(w + 12)}" height="${n(h + 12)}" fill="none" stroke="${escapeXml(hl)}" stroke-width="6" rx="8"/>`)
  }

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
    drawShape(s)
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
    const t = pageTransform(map, s)
    const [a, b] = linePoints(s)
    const ends = arrowEnds.get(s.id) ?? {}
    const st = ends.start ?? toPage(t, a)
    const en = ends.end ?? toPage(t, b)
    const stroke = col(STROKE, (s.props as { color?: unknown }).color, '#1d1d1d')
    const ang = Math.atan2(en.y - st.y, en.x - st.x)
    const hx = (d: number) => `${n(en.x - 18 * Math.cos(ang + d))},${n(en.y - 18 * Math.sin(ang + d))}`
    emit(`<g data-shape="${escapeXml(s.id)}"><line x1="${n(st.x)}" y1="${n(st.y)}" x2="${n(en.x)}" y2="${n(en.y)}" stroke="${stroke}" stroke-width="3" stroke-linecap="round"/>`)
    emit(`<polygon points="${n(en.x)},${n(en.y)} ${hx(0.4)} ${hx(-0.4)}" fill="${stroke}"/>`)
    const label = labelOf(s)
    if (label) emit(text([label], (st.x + en.x) / 2, (st.y + en.y) / 2 - 20, 18, 'middle'))
    const hl = opts.highlight?.get(s.id)
    if (hl) emit(`<line x1="${n(st.x)}" y1="${n(st.y)}" x2="${n(en.x)}" y2="${n(en.y)}" stroke="${escapeXml(hl)}" stroke-width="10" opacity="0.4"/>`)
    emit('</g>')
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
