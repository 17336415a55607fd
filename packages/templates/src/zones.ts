/**
 * Geometric zone membership (SPEC rule 8): a note belongs to the innermost zone that contains its
 * centre, in page coordinates. Positions are computed through parents (notes may be children of
 * frames), so a moved or re-parented note is always read back in the zone where it is now.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { getTemplate } from './registry'
import { shapeText } from './richtext'
import type { CopboardScaffoldMeta, Lang, Rect } from './types'

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

export type RecordMap = Map<string, TLRecord>

/** A record's `meta.copboard` (whatever it holds). */
const copboardOf = (s: { meta?: unknown }): unknown => (s.meta as { copboard?: unknown } | undefined)?.copboard

export function scaffoldMeta(s: { meta?: unknown }): CopboardScaffoldMeta | undefined {
  return templateMeta(copboardOf(s))
}

/** `meta.copboard` as a template's meta (undefined: not one). */
function templateMeta(m: unknown): CopboardScaffoldMeta | undefined {
  return m && typeof m === 'object' && typeof (m as CopboardScaffoldMeta).templateId === 'string' ? (m as CopboardScaffoldMeta) : undefined
}

/**
 * The template meta (`meta.copboard`) of a zone shape: part 'zone' with a zoneId, scaffold or not;
 * undefined for any other. The one rule of what a zone is, for the web client (`isZoneShape`) and
 * the server's policy, which reads it from the stored record.
 */
export function zoneMeta(copboard: unknown): (CopboardScaffoldMeta & { zoneId: string }) | undefined {
  const m = templateMeta(copboard)
  return m && m.part === 'zone' && m.zoneId ? (m as CopboardScaffoldMeta & { zoneId: string }) : undefined
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
export function pageTransform(map: RecordMap, shape: TLShape): Transform {
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

type Point = { x: number; y: number }
type Transform = { x: number; y: number; rotation: number }

const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d)

/** Local points of an arrow (start, end; bindings not resolved) or a line (its points in index order). */
export function linePoints(shape: TLShape): Point[] {
  const p = shape.props as Record<string, unknown>
  if (shape.type === 'line' && p.points && typeof p.points === 'object') {
    // a line's points are sorted once per props object (bounds, size and render each ask)
    const cached = sortedLinePoints.get(p.points)
    if (cached) return cached
    const pts = Object.values(p.points as Record<string, { x: number; y: number; index: string }>)
      .sort((a, b) => (a.index < b.index ? -1 : 1))
      .map((q) => ({ x: num(q.x), y: num(q.y) }))
    const out = pts.length ? pts : [{ x: 0, y: 0 }]
    sortedLinePoints.set(p.points, out)
    return out
  }
  const st = p.start as Partial<Point> | undefined
  const en = p.end as Partial<Point> | undefined
  return [
    { x: num(st?.x), y: num(st?.y) },
    { x: num(en?.x), y: num(en?.y) },
  ]
}

const sortedLinePoints = new WeakMap<object, Point[]>()

const isLinear = (shape: TLShape) => shape.type === 'arrow' || shape.type === 'line'

/** Local size of a shape from its props (notes: 200 × (200 + growY), scaled; arrows/lines: extent of their points). */
export function shapeSize(shape: TLShape): { w: number; h: number } {
  const p = shape.props as Record<string, unknown>
  const scale = num(p.scale, 1)
  if (shape.type === 'note') return { w: 200 * scale, h: (200 + num(p.growY)) * scale }
  if (isLinear(shape)) {
    const b = extent(linePoints(shape))
    return { w: Math.max(1, b.w), h: Math.max(1, b.h) }
  }
  return { w: num(p.w) * (shape.type === 'text' ? scale : 1), h: num(p.h) + num(p.growY) }
}

/** A point in a shape's local coordinates, in page coordinates (t = pageTransform of the shape). */
export function toPage(t: Transform, p: Point): Point {
  const c = Math.cos(t.rotation)
  const s = Math.sin(t.rotation)
  return { x: t.x + c * p.x - s * p.y, y: t.y + s * p.x + c * p.y }
}

/** Centre of a note (or any sized shape) in page coordinates. */
export function noteCenter(map: RecordMap, shape: TLShape): Point {
  const { w, h } = shapeSize(shape)
  return toPage(pageTransform(map, shape), { x: w / 2, y: h / 2 })
}

/**
 * Axis-aligned page bounds of a shape (arrows/lines: of their points). `size` overrides the
 * props-based size (e.g. a renderer's measured text).
 */
export function pageBounds(map: RecordMap, shape: TLShape, size: { w: number; h: number } = shapeSize(shape)): Rect {
  const t = pageTransform(map, shape)
  const { w, h } = size
  const local = isLinear(shape) ? linePoints(shape) : [{ x: 0, y: 0 }, { x: w, y: 0 }, { x: 0, y: h }, { x: w, y: h }]
  return extent(local.map((q) => toPage(t, q)))
}

/**
 * Bounding box of points, by a loop: user data (a line with 150,000 points) must never reach
 * `Math.min(...xs)`, whose argument spread overflows the stack.
 */
export function extent(pts: readonly Point[]): Rect {
  if (!pts.length) return { x: 0, y: 0, w: 0, h: 0 }
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (const p of pts) {
    if (p.x < x0) x0 = p.x
    if (p.x > x1) x1 = p.x
    if (p.y < y0) y0 = p.y
    if (p.y > y1) y1 = p.y
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
}

export function rectContains(r: Rect, p: { x: number; y: number }): boolean {
  return p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h
}

/** All template zones on a board, from the scaffold shapes that define them (meta part 'zone'). */
export function boardZones(records: Iterable<TLRecord>, map: RecordMap = toMap(records)): BoardZone[] {
  const zones: BoardZone[] = []
  for (const r of map.values()) {
    if (!isShape(r)) continue
    const m = zoneMeta(copboardOf(r))
    if (!m) continue
    zones.push({ pageId: pageOf(map, r), templateId: m.templateId, version: m.version, zoneId: m.zoneId, bounds: pageBounds(map, r), shapeId: r.id })
  }
  return zones
}

/** A shape that defines a zone's area (`boardZones`): template meta with part 'zone' and a zoneId, scaffold or not. */
export function isZoneShape(r: TLRecord): r is TLShape {
  return isShape(r) && zoneMeta(copboardOf(r)) !== undefined
}

/**
 * The records zones hang from: every zone shape and its ancestors (up to its page). A change to
 * one of them, or a shape becoming a zone shape, may move a zone; nothing else does. Zone caches
 * (the web client's, the server policy's) drop their zones on exactly these, so both keep the same
 * zones (the server refuses a named note the client did not see land in an anonymous zone).
 */
export function zoneTreeIds(map: RecordMap): Set<string> {
  const ids = new Set<string>()
  for (const r of map.values()) {
    if (!isZoneShape(r)) continue
    let cur: TLRecord | undefined = r
    for (let guard = 0; cur && !ids.has(cur.id) && guard < 100; guard++) {
      ids.add(cur.id)
      cur = cur.typeName === 'shape' ? map.get((cur as TLShape).parentId) : undefined
    }
  }
  return ids
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
export function assignNotesToZones(records: Iterable<TLRecord>, map: RecordMap = toMap(records), zones: BoardZone[] = boardZones([], map)): NoteAssignment[] {
  const out: NoteAssignment[] = []
  for (const r of map.values()) {
    if (!isShape(r) || !isNote(r)) continue
    const pageId = pageOf(map, r)
    const center = noteCenter(map, r)
    out.push({ note: r, pageId, center, zone: zoneOfPoint(zones, center, pageId) })
  }
  return out
}

export interface ZoneAssignment {
  /** Zones in template order (templates in reading order of their zones), unknown zones by position. */
  zones: { id: string; label: string }[]
  /** Note id -> zone id; null = outside every zone. */
  noteZone: Map<string, string | null>
  /** Zone id -> labels from its top-level zone down (e.g. Akte 1 — Vooroordelen › Gemeente). */
  paths?: Map<string, string[]>
  /** Note id -> the page it is on. */
  notePage?: Map<string, string>
}

/**
 * Zone ids and labels of a board plus the zone of every note (used to compare snapshots).
 * Labels come from the template definition; a zone the registry does not know keeps the text of
 * its scaffold shape (frame name), else its id.
 */
export function zoneAssignment(records: Iterable<TLRecord>, lang: Lang = 'nl'): ZoneAssignment {
  const map = toMap(records)
  const found = boardZones([], map).sort((a, b) => a.bounds.y - b.bounds.y || a.bounds.x - b.bounds.x)
  const templateRank = [...new Set(found.map((z) => z.templateId))]
  const defIndex = (z: BoardZone) => {
    const i = getTemplate(z.templateId)?.zones.findIndex((d) => d.id === z.zoneId) ?? -1
    return i === -1 ? Number.MAX_SAFE_INTEGER : i
  }
  const ordered = [...found].sort((a, b) => templateRank.indexOf(a.templateId) - templateRank.indexOf(b.templateId) || defIndex(a) - defIndex(b))
  const zones: ZoneAssignment['zones'] = []
  for (const z of ordered) {
    if (zones.some((x) => x.id === z.zoneId)) continue
    const label = getTemplate(z.templateId)?.zones.find((d) => d.id === z.zoneId)?.label[lang] ?? shapeText(map.get(z.shapeId) as TLShape)
    zones.push({ id: z.zoneId, label: label || z.zoneId })
  }
  const paths = new Map<string, string[]>()
  for (const z of found) {
    if (paths.has(z.zoneId)) continue
    const def = getTemplate(z.templateId)
    const path = [zones.find((x) => x.id === z.zoneId)?.label ?? z.zoneId]
    for (let p = def?.zones.find((d) => d.id === z.zoneId)?.parentZoneId, i = 0; p && i < 10; p = def?.zones.find((d) => d.id === p)?.parentZoneId, i++) {
      path.unshift(def?.zones.find((d) => d.id === p)?.label[lang] ?? p)
    }
    paths.set(z.zoneId, path)
  }
  const noteZone = new Map<string, string | null>()
  const notePage = new Map<string, string>()
  for (const a of assignNotesToZones([], map, found)) {
    noteZone.set(a.note.id, a.zone?.zoneId ?? null)
    notePage.set(a.note.id, a.pageId)
  }
  return { zones, noteZone, paths, notePage }
}
