/**
 * Minimal geometry over plain tldraw records (no editor): page transforms, shape sizes, bounds,
 * and the zone of a note. Good enough to recognise a board and to group notes; not tldraw's exact
 * geometry (no text measurement, arrows as straight lines).
 */
import { shapeText } from './richtext'

/** A tldraw record as JSON (TLRecord is assignable to it). */
export interface AnyRecord {
  id: string
  typeName: string
  [key: string]: unknown
}

export interface ShapeRecord extends AnyRecord {
  typeName: 'shape'
  type: string
  x: number
  y: number
  rotation: number
  parentId: string
  index: string
  props: Record<string, unknown>
  meta: Record<string, unknown>
}

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export function isShape(r: AnyRecord): r is ShapeRecord {
  return r.typeName === 'shape'
}

const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d)

/** Size of a shape in its own coordinates. */
export function shapeSize(s: ShapeRecord): { w: number; h: number } {
  const p = s.props
  const scale = num(p.scale, 1)
  switch (s.type) {
    case 'note':
      return { w: 200 * scale, h: (200 + num(p.growY)) * scale }
    case 'text': {
      const text = shapeText(s)
      const fs = fontSize(p.size) * scale
      const lines = text.split('\n')
      const w = p.autoSize === false ? num(p.w, 100) : Math.max(20, ...lines.map((l) => l.length * fs * 0.55))
      const h = wrapText(text, w, fs).length * fs * 1.35
      return { w, h: Math.max(h, fs * 1.35) }
    }
    case 'arrow':
    case 'line': {
      const pts = arrowLocalPoints(s)
      const xs = pts.map((q) => q.x)
      const ys = pts.map((q) => q.y)
      return { w: Math.max(1, Math.max(...xs) - Math.min(...xs)), h: Math.max(1, Math.max(...ys) - Math.min(...ys)) }
    }
    default:
      return { w: num(p.w, 100) * (s.type === 'geo' ? 1 : 1), h: num(p.h, 100) + num(p.growY) }
  }
}

export function fontSize(size: unknown): number {
  return size === 's' ? 18 : size === 'l' ? 36 : size === 'xl' ? 44 : 24
}

/** Local points of an arrow/line (without bindings). */
export function arrowLocalPoints(s: ShapeRecord): { x: number; y: number }[] {
  const p = s.props
  if (s.type === 'line' && p.points && typeof p.points === 'object') {
    const pts = Object.values(p.points as Record<string, { x: number; y: number; index: string }>)
      .sort((a, b) => (a.index < b.index ? -1 : 1))
      .map((q) => ({ x: num(q.x), y: num(q.y) }))
    return pts.length ? pts : [{ x: 0, y: 0 }]
  }
  const st = p.start as { x?: number; y?: number } | undefined
  const en = p.end as { x?: number; y?: number } | undefined
  return [
    { x: num(st?.x), y: num(st?.y) },
    { x: num(en?.x), y: num(en?.y) },
  ]
}

export interface Transform {
  x: number
  y: number
  rotation: number
}

/** Page transform of every shape's origin (parents before children, rotation composed). */
export function pageTransforms(records: AnyRecord[]): Map<string, Transform> {
  const shapes = new Map<string, ShapeRecord>()
  for (const r of records) if (isShape(r)) shapes.set(r.id, r)
  const out = new Map<string, Transform>()
  const visit = (s: ShapeRecord, depth: number): Transform => {
    const known = out.get(s.id)
    if (known) return known
    const parent = shapes.get(s.parentId)
    let t: Transform
    if (parent && depth < 50) {
      const pt = visit(parent, depth + 1)
      const cos = Math.cos(pt.rotation)
      const sin = Math.sin(pt.rotation)
      t = { x: pt.x + num(s.x) * cos - num(s.y) * sin, y: pt.y + num(s.x) * sin + num(s.y) * cos, rotation: pt.rotation + num(s.rotation) }
    } else {
      t = { x: num(s.x), y: num(s.y), rotation: num(s.rotation) }
    }
    out.set(s.id, t)
    return t
  }
  for (const s of shapes.values()) visit(s, 0)
  return out
}

/** Axis-aligned page bounds of a shape. */
export function pageBounds(s: ShapeRecord, t: Transform): Box {
  const { w, h } = shapeSize(s)
  let corners: { x: number; y: number }[]
  if (s.type === 'arrow' || s.type === 'line') corners = arrowLocalPoints(s)
  else
    corners = [
      { x: 0, y: 0 },
      { x: w, y: 0 },
      { x: 0, y: h },
      { x: w, y: h },
    ]
  const cos = Math.cos(t.rotation)
  const sin = Math.sin(t.rotation)
  const pts = corners.map((c) => ({ x: t.x + c.x * cos - c.y * sin, y: t.y + c.x * sin + c.y * cos }))
  const xs = pts.map((q) => q.x)
  const ys = pts.map((q) => q.y)
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y }
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

// ---- zones --------------------------------------------------------------------------------

export interface Zone {
  id: string
  label: string
  templateId: string | null
  order: number
  box: Box
}

interface CopboardMeta {
  templateId?: string
  zoneId?: string
  zoneLabel?: string
  label?: string
  scaffold?: boolean
}

export function copboardMeta(r: AnyRecord): CopboardMeta | null {
  const m = (r.meta as Record<string, unknown> | undefined)?.copboard
  return m && typeof m === 'object' ? (m as CopboardMeta) : null
}

/**
 * Zones = scaffold shapes carrying meta.copboard.zoneId (TEMPLATES.md: every zone has a stable id).
 * When several shapes carry the same zone id (frame + heading), the largest one is the zone's area.
 */
export function findZones(records: AnyRecord[], tf = pageTransforms(records)): Zone[] {
  const byId = new Map<string, Zone>()
  let order = 0
  for (const r of records) {
    if (!isShape(r) || r.type === 'note') continue
    const m = copboardMeta(r)
    if (!m?.zoneId) continue
    const box = pageBounds(r, tf.get(r.id)!)
    const label = m.zoneLabel ?? m.label ?? (r.type === 'frame' ? shapeText(r) : '') ?? ''
    const prev = byId.get(m.zoneId)
    if (!prev) byId.set(m.zoneId, { id: m.zoneId, label: label || m.zoneId, templateId: m.templateId ?? null, order: order++, box })
    else {
      if (box.w * box.h > prev.box.w * prev.box.h) prev.box = box
      if ((!prev.label || prev.label === prev.id) && label) prev.label = label
    }
  }
  // template order: top-to-bottom, left-to-right by area origin when TPL did not give an order
  return [...byId.values()].sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x || a.order - b.order)
}

/** The zone of each note: the zone of its nearest ancestor with a zone id, else the smallest zone area holding its centre. */
export function assignZones(records: AnyRecord[]): { zones: Zone[]; noteZone: Map<string, string | null> } {
  const tf = pageTransforms(records)
  const zones = findZones(records, tf)
  const shapes = new Map<string, ShapeRecord>()
  for (const r of records) if (isShape(r)) shapes.set(r.id, r)
  const noteZone = new Map<string, string | null>()
  for (const s of shapes.values()) {
    if (s.type !== 'note') continue
    let zone: string | null = null
    let p = shapes.get(s.parentId)
    for (let i = 0; p && i < 50; i++, p = shapes.get(p.parentId)) {
      const m = copboardMeta(p)
      if (m?.zoneId) {
        zone = m.zoneId
        break
      }
    }
    const b = pageBounds(s, tf.get(s.id)!)
    const cx = b.x + b.w / 2
    const cy = b.y + b.h / 2
    // a more specific (smaller) zone inside the ancestor wins: halves of an act inside the act frame
    let best: Zone | null = null
    for (const z of zones) {
      if (cx >= z.box.x && cx <= z.box.x + z.box.w && cy >= z.box.y && cy <= z.box.y + z.box.h) {
        if (!best || z.box.w * z.box.h < best.box.w * best.box.h) best = z
      }
    }
    noteZone.set(s.id, best?.id ?? zone)
  }
  return { zones, noteZone }
}
