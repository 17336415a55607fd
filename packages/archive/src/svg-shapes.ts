/**
 * How each shape kind is drawn in the server's SVG (rule A1: recognisable, not pixel-equal to
 * tldraw): tldraw's palette, frames, geo shapes, notes, text, lines, strokes and arrows, with an
 * optional outline per shape (compare highlights).
 */
import type { TLShape } from '@tldraw/tlschema'
import { linePoints, toPage } from '@copboard/templates'
import { sample } from './render-limits'
import { drawnSize, escapeXml, fontSize, labelOf, n, svgText, wrapText } from './svg-text'

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

const col = (table: Record<string, string>, c: unknown, d: string) => (typeof c === 'string' && table[c]) || d

/** Where a shape's markup goes, and what bounds it (rule A3). */
export interface DrawContext {
  emit: (markup: string) => void
  maxPointsPerStroke: number
  /** Outline colour per shape id (e.g. compare highlights). */
  highlight?: Map<string, string>
}

type Point = { x: number; y: number }

const polyline = (pts: Point[], max: number) => sample(pts, max).map((q) => `${n(q.x)},${n(q.y)}`).join(' ')

/** One shape in its own coordinates (the caller translates and rotates it). */
export function drawShape(s: TLShape, { emit, maxPointsPerStroke, highlight }: DrawContext): void {
  const p = s.props as Record<string, unknown>
  const { w, h } = drawnSize(s)
  const label = labelOf(s)
  switch (s.type) {
    case 'frame':
      emit(`<rect width="${n(w)}" height="${n(h)}" fill="${col(FILL, p.color, '#ffffff')}" stroke="#9fa8b2" stroke-width="1.5" rx="2"/>`)
      emit(svgText([label], 4, -26, 16, 'start', '#555', 'bold'))
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
        emit(svgText(lines, p.align === 'start' ? 8 : w / 2, y0, fs, p.align === 'start' ? 'start' : 'middle'))
      }
      break
    }
    case 'note': {
      const fs = ({ s: 16, m: 20, l: 26, xl: 32 } as Record<string, number>)[String(p.size)] ?? 20
      emit(`<rect x="2" y="4" width="${n(w)}" height="${n(h)}" fill="rgba(0,0,0,0.12)" rx="4"/>`)
      emit(`<rect width="${n(w)}" height="${n(h)}" fill="${col(NOTE, p.color, '#fddf7e')}" rx="4"/>`)
      const lines = wrapText(label, w - 24, fs).slice(0, Math.floor((h - 24) / (fs * 1.3)))
      emit(svgText(lines, w / 2, Math.max(12, (h - lines.length * fs * 1.3) / 2), fs, 'middle'))
      break
    }
    case 'text': {
      const fs = fontSize(p.size) * (typeof p.scale === 'number' ? p.scale : 1)
      const lines = wrapText(label, w, fs).slice(0, 200)
      emit(svgText(lines, p.textAlign === 'middle' ? w / 2 : 0, 0, fs, p.textAlign === 'middle' ? 'middle' : 'start', col(STROKE, p.color, '#1d1d1d')))
      break
    }
    case 'line':
      emit(`<polyline points="${polyline(linePoints(s), maxPointsPerStroke)}" fill="none" stroke="${col(STROKE, p.color, '#1d1d1d')}" stroke-width="2"/>`)
      break
    case 'draw':
    case 'highlight': {
      const segs = Array.isArray(p.segments) ? (p.segments as { points?: unknown }[]).slice(0, maxPointsPerStroke) : []
      for (const seg of segs) {
        if (!Array.isArray(seg.points)) continue // newer tldraw encodes points; skip what we cannot read
        emit(`<polyline points="${polyline(seg.points as { x: number; y: number }[], maxPointsPerStroke)}" fill="none" stroke="${col(STROKE, p.color, '#1d1d1d')}" stroke-width="${s.type === 'highlight' ? 12 : 2.5}" stroke-linecap="round" stroke-linejoin="round"${s.type === 'highlight' ? ' opacity="0.35"' : ''}/>`)
      }
      break
    }
    default:
      if (typeof p.w === 'number' && typeof p.h === 'number') emit(`<rect width="${n(w)}" height="${n(h)}" fill="#f4f4f4" stroke="#ccc" stroke-dasharray="4 4"/>`)
  }
  const hl = highlight?.get(s.id)
  if (hl) emit(`<rect x="-6" y="-6" width="${n(w + 12)}" height="${n(h + 12)}" fill="none" stroke="${escapeXml(hl)}" stroke-width="6" rx="8"/>`)
}

/** An arrow in page space, from its bound ends when it has them (`t`: its page transform). */
export function drawArrow(s: TLShape, t: Parameters<typeof toPage>[0], ends: { start?: Point; end?: Point }, { emit, highlight }: DrawContext): void {
  const [a, b] = linePoints(s)
  const st = ends.start ?? toPage(t, a)
  const en = ends.end ?? toPage(t, b)
  const stroke = col(STROKE, (s.props as { color?: unknown }).color, '#1d1d1d')
  const ang = Math.atan2(en.y - st.y, en.x - st.x)
  const hx = (d: number) => `${n(en.x - 18 * Math.cos(ang + d))},${n(en.y - 18 * Math.sin(ang + d))}`
  emit(`<g data-shape="${escapeXml(s.id)}"><line x1="${n(st.x)}" y1="${n(st.y)}" x2="${n(en.x)}" y2="${n(en.y)}" stroke="${stroke}" stroke-width="3" stroke-linecap="round"/>`)
  emit(`<polygon points="${n(en.x)},${n(en.y)} ${hx(0.4)} ${hx(-0.4)}" fill="${stroke}"/>`)
  const label = labelOf(s)
  if (label) emit(svgText([label], (st.x + en.x) / 2, (st.y + en.y) / 2 - 20, 18, 'middle'))
  const hl = highlight?.get(s.id)
  if (hl) emit(`<line x1="${n(st.x)}" y1="${n(st.y)}" x2="${n(en.x)}" y2="${n(en.y)}" stroke="${escapeXml(hl)}" stroke-width="10" opacity="0.4"/>`)
  emit('</g>')
}
