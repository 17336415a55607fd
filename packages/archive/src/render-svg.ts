/**
 * A small, pure SVG renderer for a board's records: frames, geo shapes, text, notes, arrows and
 * lines. Used for the archive when no browser export is available (autosave). Recognisable, not
 * pixel-equal to tldraw.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { isShape, linePoints, pageBounds, pageOf, pageTransform, shapeSize, shapeText, toMap, toPage, type Rect } from '@copboard/templates'

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
function drawnSize(s: TLShape): { w: number; h: number } {
  const p = s.props as Record<string, unknown>
  if (s.type === 'text') {
    const text = shapeText(s)
    const fs = fontSize(p.size) * (typeof p.scale === 'number' ? p.scale : 1)
    const w = p.autoSize === false ? (typeof p.w === 'number' ? p.w : 100) : Math.max(20, ...text.split('\n').map((l) => l.length * fs * 0.55))
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
  /** Only shapes on this page (default: the first page). */
  pageId?: string
  /** Outline colour per shape id (e.g. compare highlights). */
  highlight?: Map<string, string>
  background?: string
}

export function renderSvg(records: TLRecord[], opts: RenderOptions = {}): string {
  const pad = opts.padding ?? 32
  const pages = records.filter((r) => r.typeName === 'page').sort((a, b) => (String(a.index) < String(b.index) ? -1 : 1))
  const map = toMap(records)
  const shapes = records.filter(isShape)
  const byId = new Map(shapes.map((s) => [s.id as string, s]))
  // default: the page with the most shapes (templates are launched on a page of their own)
  const pageOfShape = new Map(shapes.map((s) => [s.id as string, pageOf(map, s)]))
  const counts = new Map<string, number>()
  for (const page of pageOfShape.values()) counts.set(page, (counts.get(page) ?? 0) + 1)
  const busiest = pages.map((p) => p.id as string).sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0]
  const pageId = opts.pageId ?? (busiest as string | undefined)
  const visible = shapes.filter((s) => pageId === undefined || pageOfShape.get(s.id) === pageId)
  const boxes = visible.map((s) => pageBounds(map, s, drawnSize(s)))
  const bounds: Rect = boxes.length
    ? boxes.reduce((a, b) => {
        const x = Math.min(a.x, b.x)
        const y = Math.min(a.y, b.y)
        return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y }
      })
    : { x: 0, y: 0, w: 400, h: 300 }
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
  const text = (lines: string[], x: number, y: number, fs: number, anchor: 'start' | 'middle', fill = '#1d1d1d', weight = 'normal') => {
    if (!lines.length || (lines.length === 1 && !lines[0])) return ''
    const tspans = lines.map((l, i) => `<tspan x="${n(x)}" dy="${i === 0 ? 0 : n(fs * 1.3)}">${escapeXml(l)}</tspan>`).join('')
    return `<text x="${n(x)}" y="${n(y + fs)}" font-family="${FONT}" font-size="${n(fs)}" font-weight="${weight}" text-anchor="${anchor}" fill="${fill}">${tspans}</text>`
  }

  const drawShape = (s: TLShape, depth: number): void => {
    if (depth > 50) return
    const p = s.props as Record<string, unknown>
    const { w, h } = drawnSize(s)
    const label = shapeText(s)
    const hl = opts.highlight?.get(s.id)
    if (s.type === 'arrow') {
      // arrows are drawn in page space (their ends may be bound to other shapes)
      return
    }
    out.push(`<g transform="translate(${n(s.x)} ${n(s.y)})${s.rotation ? ` rotate(${n((s.rotation * 180) / Math.PI)})` : ''}" data-shape="${escapeXml(s.id)}">`)
    switch (s.type) {
      case 'frame':
        out.push(`<rect width="${n(w)}" height="${n(h)}" fill="${col(FILL, p.color, '#ffffff')}" stroke="#9fa8b2" stroke-width="1.5" rx="2"/>`)
        out.push(text([label], 4, -26, 16, 'start', '#555', 'bold'))
        break
      case 'geo': {
        const stroke = col(STROKE, p.color, '#1d1d1d')
        const fill = p.fill === 'none' || !p.fill ? 'none' : p.fill === 'solid' ? col(FILL, p.color, '#eee') : col(FILL, p.color, '#f4f4f4')
        const dash = p.dash === 'dashed' ? ' stroke-dasharray="12 8"' : p.dash === 'dotted' ? ' stroke-dasharray="2 6"' : ''
        if (p.geo === 'ellipse' || p.geo === 'oval')
          out.push(`<ellipse cx="${n(w / 2)}" cy="${n(h / 2)}" rx="${n(w / 2)}" ry="${n(h / 2)}" fill="${fill}" stroke="${stroke}" stroke-width="2"${dash}/>`)
        else if (p.geo === 'diamond')
          out.push(`<polygon points="${n(w / 2)},0 ${n(w)},${n(h / 2)} ${n(w / 2)},${n(h)} 0,${n(h / 2)}" fill="${fill}" stroke="${stroke}" stroke-width="2"${dash}/>`)
        else out.push(`<rect width="${n(w)}" height="${n(h)}" fill="${fill}" stroke="${stroke}" stroke-width="2" rx="6"${dash}/>`)
        if (label) {
          const fs = fontSize(p.size) * 0.8
          const lines = wrapText(label, w - 16, fs)
          const y0 = p.verticalAlign === 'start' ? 8 : p.verticalAlign === 'end' ? h - lines.length * fs * 1.3 - 8 : (h - lines.length * fs * 1.3) / 2
          out.push(text(lines, p.align === 'start' ? 8 : w / 2, y0, fs, p.align === 'start' ? 'start' : 'middle'))
        }
        break
      }
      case 'note': {
        const fs = ({ s: 16, m: 20, l: 26, xl: 32 } as Record<string, number>)[String(p.size)] ?? 20
        out.push(`<rect x="2" y="4" width="${n(w)}" height="${n(h)}" fill="rgba(0,0,0,0.12)" rx="4"/>`)
        out.push(`<rect width="${n(w)}" height="${n(h)}" fill="${col(NOTE, p.color, '#fddf7e')}" rx="4"/>`)
        const lines = wrapText(label, w - 24, fs).slice(0, Math.floor((h - 24) / (fs * 1.3)))
        out.push(text(lines, w / 2, Math.max(12, (h - lines.length * fs * 1.3) / 2), fs, 'middle'))
        break
      }
      case 'text': {
        const fs = fontSize(p.size) * (typeof p.scale === 'number' ? p.scale : 1)
        const lines = wrapText(label, w, fs)
        out.push(text(lines, p.textAlign === 'middle' ? w / 2 : 0, 0, fs, p.textAlign === 'middle' ? 'middle' : 'start', col(STROKE, p.color, '#1d1d1d')))
        break
      }
      case 'line': {
        const pts = linePoints(s)
        out.push(`<polyline points="${pts.map((q) => `${n(q.x)},${n(q.y)}`).join(' ')}" fill="none" stroke="${col(STROKE, p.color, '#1d1d1d')}" stroke-width="2"/>`)
        break
      }
      case 'draw':
      case 'highlight': {
        const segs = Array.isArray(p.segments) ? (p.segments as { points?: unknown }[]) : []
        for (const seg of segs) {
          if (!Array.isArray(seg.points)) continue // newer tldraw encodes points; skip what we cannot read
          const pts = (seg.points as { x: number; y: number }[]).map((q) => `${n(q.x)},${n(q.y)}`).join(' ')
          out.push(`<polyline points="${pts}" fill="none" stroke="${col(STROKE, p.color, '#1d1d1d')}" stroke-width="${s.type === 'highlight' ? 12 : 2.5}" stroke-linecap="round" stroke-linejoin="round"${s.type === 'highlight' ? ' opacity="0.35"' : ''}/>`)
        }
        break
      }
      default:
        if (typeof p.w === 'number' && typeof p.h === 'number')
          out.push(`<rect width="${n(w)}" height="${n(h)}" fill="#f4f4f4" stroke="#ccc" stroke-dasharray="4 4"/>`)
    }
    if (hl) out.push(`<rect x="-6" y="-6" width="${n(w + 12)}" height="${n(h + 12)}" fill="none" stroke="${escapeXml(hl)}" stroke-width="6" rx="8"/>`)
    for (const c of children.get(s.id) ?? []) drawShape(c, depth + 1)
    out.push('</g>')
  }

  for (const s of children.get(pageId ?? '') ?? []) drawShape(s, 0)
  // roots whose parent is not a shape nor the page (no page record): draw them too
  if (!pageId) for (const [parent, list] of children) if (!byId.has(parent)) list.forEach((s) => drawShape(s, 0))

  // arrows, in page space, on top
  for (const s of visible) {
    if (s.type !== 'arrow') continue
    const t = pageTransform(map, s)
    const [a, b] = linePoints(s)
    const ends = arrowEnds.get(s.id) ?? {}
    const st = ends.start ?? toPage(t, a)
    const en = ends.end ?? toPage(t, b)
    const stroke = col(STROKE, (s.props as { color?: unknown }).color, '#1d1d1d')
    const ang = Math.atan2(en.y - st.y, en.x - st.x)
    const hx = (d: number) => `${n(en.x - 18 * Math.cos(ang + d))},${n(en.y - 18 * Math.sin(ang + d))}`
    out.push(`<g data-shape="${escapeXml(s.id)}"><line x1="${n(st.x)}" y1="${n(st.y)}" x2="${n(en.x)}" y2="${n(en.y)}" stroke="${stroke}" stroke-width="3" stroke-linecap="round"/>`)
    out.push(`<polygon points="${n(en.x)},${n(en.y)} ${hx(0.4)} ${hx(-0.4)}" fill="${stroke}"/>`)
    const label = shapeText(s)
    if (label) out.push(text([label], (st.x + en.x) / 2, (st.y + en.y) / 2 - 20, 18, 'middle'))
    const hl = opts.highlight?.get(s.id)
    if (hl) out.push(`<line x1="${n(st.x)}" y1="${n(st.y)}" x2="${n(en.x)}" y2="${n(en.y)}" stroke="${escapeXml(hl)}" stroke-width="10" opacity="0.4"/>`)
    out.push('</g>')
  }

  const bg = opts.background ?? '#fbfbfb'
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n(vb.x)} ${n(vb.y)} ${n(vb.w)} ${n(vb.h)}" width="${Math.ceil(vb.w)}" height="${Math.ceil(vb.h)}">` +
    `<rect x="${n(vb.x)}" y="${n(vb.y)}" width="${n(vb.w)}" height="${n(vb.h)}" fill="${bg}"/>` +
    out.join('') +
    '</svg>'
  )
}
