/**
 * Text and numbers in the server's SVG: XML escaping, rounded coordinates, and text measured by
 * estimate (there are no fonts on the server) so notes, text shapes and labels wrap and size.
 */
import type { TLShape } from '@tldraw/tlschema'
import { shapeSize, shapeText } from '@copboard/templates'
import { RENDER_LIMITS } from './render-limits'

export const FONT = "Helvetica, Arial, 'DejaVu Sans', sans-serif"

/** A coordinate rounded to 1/100 (keeps the SVG short). */
export const n = (v: number) => Math.round(v * 100) / 100

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** A shape's text, cut at the render limit (a 1 MB note is drawn as its first lines). */
export function labelOf(s: TLShape): string {
  const t = shapeText(s)
  return t.length > RENDER_LIMITS.maxTextChars ? t.slice(0, RENDER_LIMITS.maxTextChars) + '…' : t
}

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


/** A `<text>` element of `lines` (one `<tspan>` each) at `x`, `y` (top of the first line). */
export function svgText(lines: string[], x: number, y: number, fs: number, anchor: 'start' | 'middle', fill = '#1d1d1d', weight = 'normal'): string {
  if (!lines.length || (lines.length === 1 && !lines[0])) return ''
  const tspans = lines.map((l, i) => `<tspan x="${n(x)}" dy="${i === 0 ? 0 : n(fs * 1.3)}">${escapeXml(l)}</tspan>`).join('')
  return `<text x="${n(x)}" y="${n(y + fs)}" font-family="${FONT}" font-size="${n(fs)}" font-weight="${weight}" text-anchor="${anchor}" fill="${fill}">${tspans}</text>`
}
