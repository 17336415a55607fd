/**
 * Geometric zone membership (SPEC rule 8): a note belongs to the innermost zone that contains its
 * centre, in page coordinates. Positions are computed through parents (notes may be children of
 * frames), so a moved or re-parented note is always read back in the zone where it is now.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { CopboardScaffoldMeta, Rect } from './types'

export interface BoardZone {
  pageId: string
  templateId: string
  version: number
  zoneId: string
  /** Axis-aligned bounds in page coordinates. */
  bounds: Rect
  /** id of the scaffold shape that defines the zone's area. */
  shapeId: string
}

export interface NoteAssignment {
  note: TLShape
  pageId: string
  center: { x: number; y: number }
  zone: BoardZone | null
}

type RecordMap = Map<string, TLRecord>

export function scaffoldMeta(s: { meta?: unknown }): CopboardScaffoldMeta | undefined {
  const m = (s.meta as { copboard?: CopboardScaffoldMeta } | undefined)?.copboard
  return m && typeof m === 'object' && typeof m.templateId === 'string' ? m : undefined
}

export function isShape(r: TLRecord): r is TLShape {
  return r.typeName === 'shape'
}

export function toMap(records: Iterable<TLRecord>): RecordMap {
  const m: RecordMap = new Map()
  for (const r of records) m.set(r.id, r)
  return m
}

/** Page transform (translation + rotation) of a shape, composing its parents' transforms. */
export function pageTransform(map: RecordMap, shape: TLShape): { x: number; y: number; rotation: number } {
  let x = shape.x
  let y = shape.y
  let rotation = shape.rotation
  let parent = map.get(shape.parentId)
  let guard = 0
  while (parent && parent.typeName === 'shape' && guard++ < 100) {
    const p = parent as TLShape
    const c = Math.cos(p.rotation)
    const s = Math.sin(p.rotation)
    const nx = p.x + c * x - s * y
    const ny = p.y + s * x + c * y
    x = nx
    y = ny
    rotation += p.rotation
    parent = map.get(p.parentId)
  }
  return { x, y, rotation }
}

/** The id of the page a shape is on (walking up through parents). */
export function pageOf(map: RecordMap, shape: TLShape): string {
  let id: string = shape.parentId
  let guard = 0
  while (guard++ < 100) {
    const r = map.get(id)
    if (!r || r.typeName !== 'shape') return id
    id = (r as TLShape).parentId
  }
  return id
}

/** Local size of a shape from its props (notes: 200 × (200 + growY), scaled). */
export function shapeSize(shape: TLShape): { w: number; h: number } {
  const p = shape.props as Record<string, unknown>
  const scale = typeof p.scale === 'number' ? p.scale : 1
  if (shape.type === 'note') return { w: 200 * scale, h: (200 + ((p.growY as number) ?? 0)) * scale }
  const w = typeof p.w === 'number' ? p.w : 0
  const h = typeof p.h === 'number' ? p.h : 0
  const growY = typeof p.growY === 'number' ? p.growY : 0
  return { w: w * (shape.type === 'text' ? scale : 1), h: h + growY }
}

function transformPoint(t: { x: number; y: number; rotation: number }, px: number, py: number) {
  const c = Math.cos(t.rotation)
  const s = Math.sin(t.rotation)
  return { x: t.x + c * px - s * py, y: t.y + s * px + c * py }
}

/** Centre of a note (or any sized shape) in page coordinates. */
export function noteCenter(map: RecordMap, shape: TLShape): { x: number; y: number } {
  const { w, h } = shapeSize(shape)
  return transformPoint(pageTransform(map, shape), w / 2, h / 2)
}

/** Axis-aligned page bounds of a shape. */
export function pageBounds(map: RecordMap, shape: TLShape): Rect {
  const t = pageTransform(map, shape)
  const { w, h } = shapeSize(shape)
  const pts = [transformPoint(t, 0, 0), transformPoint(t, w, 0), transformPoint(t, 0, h), transformPoint(t, w, h)]
  const xs = pts.map((p) => p.x)
  const ys = pts.map((p) => p.y)
  const x = Math.min(...xs)
  const y = Math.min(...ys)
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y }
}

export function rectContains(r: Rect, p: { x: number; y: number }): boolean {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h
}

/** All template zones on a board, from the scaffold shapes that define them (meta part 'zone'). */
export function boardZones(records: Iterable<TLRecord>, map: RecordMap = toMap(records)): BoardZone[] {
  const zones: BoardZone[] = []
  for (const r of map.values()) {
    if (!isShape(r)) continue
    const m = scaffoldMeta(r)
    if (!m || m.part !== 'zone' || !m.zoneId) continue
    zones.push({ pageId: pageOf(map, r), templateId: m.templateId, version: m.version, zoneId: m.zoneId, bounds: pageBounds(map, r), shapeId: r.id })
  }
  return zones
}

/** The innermost (smallest) zone containing the point, on the given page (any page when omitted). */
export function zoneOfPoint(zones: BoardZone[], point: { x: number; y: number }, pageId?: string): BoardZone | null {
  let best: BoardZone | null = null
  for (const z of zones) {
    if (pageId !== undefined && z.pageId !== pageId) continue
    if (!rectContains(z.bounds, point)) continue
    if (!best || z.bounds.w * z.bounds.h < best.bounds.w * best.bounds.h) best = z
  }
  return best
}

/** Is this shape a participant note (not scaffold)? Pre-filled prompt notes count as notes. */
export function isNote(s: TLShape): boolean {
  return s.type === 'note' && scaffoldMeta(s)?.scaffold !== true
}

/** Every note on the board with the zone its centre lies in (null = outside all zones). */
export function assignNotesToZones(records: Iterable<TLRecord>): NoteAssignment[] {
  const map = toMap(records)
  const zones = boardZones([], map)
  const out: NoteAssignment[] = []
  for (const r of map.values()) {
    if (!isShape(r) || !isNote(r)) continue
    const pageId = pageOf(map, r)
    const center = noteCenter(map, r)
    out.push({ note: r, pageId, center, zone: zoneOfPoint(zones, center, pageId) })
  }
  return out
}
