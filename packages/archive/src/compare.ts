/**
 * Compare two snapshots of a board: sticky notes added, removed and changed, per zone.
 * Pure: takes the record lists of both snapshots (packages/board readRecords).
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { isNote, isShape, shapeText, zoneAssignment, type ZoneAssignment } from '@copboard/templates'

export interface NoteInfo {
  id: string
  text: string
  author: string | null
  perspective: string | null
  anonymous: boolean
  color: string | null
  zoneId: string | null
  /** the page the note is on (compare opens and highlights that page) */
  pageId: string | null
}

export type NoteField = 'text' | 'zone' | 'author' | 'perspective' | 'color'

export interface NoteChange {
  id: string
  before: NoteInfo
  after: NoteInfo
  fields: NoteField[]
}

export interface ZoneDiff {
  /** null = notes outside every zone */
  zoneId: string | null
  /** the full zone path, e.g. "Akte 1 — Vooroordelen › Gemeente" */
  label: string
  added: NoteInfo[]
  removed: NoteInfo[]
  changed: NoteChange[]
}

export interface Comparison {
  zones: ZoneDiff[]
  /** the page of snapshot b with the most changes (added/changed notes), else of a (removed) */
  pageId: string | null
  totals: { added: number; removed: number; changed: number; unchanged: number; notesA: number; notesB: number }
}

export interface CompareOptions {
  /** Zone assignment (default: packages/templates' zoneAssignment, Dutch labels). */
  assign?: (records: TLRecord[]) => ZoneAssignment
  /** Label for notes outside every zone. */
  outsideLabel?: string
}

function notesOf(records: TLRecord[], assign: (r: TLRecord[]) => ZoneAssignment) {
  const { zones, noteZone, paths, notePage } = assign(records)
  const notes = new Map<string, NoteInfo>()
  for (const r of records) {
    if (!isShape(r) || !isNote(r)) continue
    notes.set(r.id, noteInfo(r, noteZone.get(r.id) ?? null, notePage?.get(r.id) ?? null))
  }
  return { zones: zones.map((z) => ({ ...z, label: paths?.get(z.id)?.join(' › ') ?? z.label })), notes }
}

export function noteInfo(s: TLShape, zoneId: string | null, pageId: string | null = null): NoteInfo {
  const meta = (s.meta ?? {}) as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null)
  return {
    id: s.id,
    text: shapeText(s).trim(),
    author: meta.anonymous ? null : str(meta.author),
    perspective: str(meta.perspective),
    anonymous: meta.anonymous === true,
    color: str((s.props as { color?: unknown }).color),
    zoneId,
    pageId,
  }
}

export function compareRecords(a: TLRecord[], b: TLRecord[], opts: CompareOptions = {}): Comparison {
  const assign = opts.assign ?? ((r: TLRecord[]) => zoneAssignment(r))
  const A = notesOf(a, assign)
  const B = notesOf(b, assign)
  const labels = new Map<string, string>()
  const order: string[] = []
  for (const z of [...B.zones, ...A.zones]) {
    if (!labels.has(z.id)) {
      labels.set(z.id, z.label)
      order.push(z.id)
    }
  }
  const diffs = new Map<string | null, ZoneDiff>()
  const diff = (zoneId: string | null): ZoneDiff => {
    let d = diffs.get(zoneId)
    if (!d) {
      d = { zoneId, label: zoneId === null ? (opts.outsideLabel ?? '—') : (labels.get(zoneId) ?? zoneId), added: [], removed: [], changed: [] }
      diffs.set(zoneId, d)
    }
    return d
  }
  let unchanged = 0
  let changedCount = 0
  for (const [id, after] of B.notes) {
    const before = A.notes.get(id)
    if (!before) {
      diff(after.zoneId).added.push(after)
      continue
    }
    const fields: NoteField[] = []
    if (before.text !== after.text) fields.push('text')
    if (before.zoneId !== after.zoneId) fields.push('zone')
    if (before.author !== after.author) fields.push('author')
    if (before.perspective !== after.perspective) fields.push('perspective')
    if (before.color !== after.color) fields.push('color')
    if (fields.length) {
      diff(after.zoneId).changed.push({ id, before, after, fields })
      changedCount++
    } else unchanged++
  }
  let removed = 0
  for (const [id, before] of A.notes) {
    if (!B.notes.has(id)) {
      diff(before.zoneId).removed.push(before)
      removed++
    }
  }
  const rank = (z: string | null) => (z === null ? Number.MAX_SAFE_INTEGER : order.indexOf(z))
  const zones = [...diffs.values()].sort((x, y) => rank(x.zoneId) - rank(y.zoneId))
  const added = zones.reduce((n, z) => n + z.added.length, 0)
  const perPage = new Map<string, number>()
  for (const z of zones) for (const n of [...z.added, ...z.changed.map((c) => c.after)]) if (n.pageId) perPage.set(n.pageId, (perPage.get(n.pageId) ?? 0) + 1)
  const pageId: string | null = [...perPage].sort((x, y) => y[1] - x[1])[0]?.[0] ?? zones.flatMap((z) => z.removed).find((n) => n.pageId)?.pageId ?? null
  return { zones, pageId, totals: { added, removed, changed: changedCount, unchanged, notesA: A.notes.size, notesB: B.notes.size } }
}
