/**
 * Carry-over (SPEC A6–A7): notes of an earlier session's board brought into the next session,
 * each into the zone with the same id on the new board, marked with the session it came from.
 * Pure: record lists in, new note records out (the server writes them into the room).
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { assignNotesToZones, boardZones, getTemplate, isShape, pageOf, plainToRichText, shapeText, toMap, type BoardZone, type Lang, type Rect } from '@copboard/templates'
import { mainPageId } from './board-pages'

export interface CarryCandidate {
  id: string
  text: string
  author: string | null
  perspective: string | null
  templateId: string | null
  zoneId: string | null
  /** zone labels from the top-level zone down (empty: outside every zone) */
  path: string[]
  /** picked by default: the Parkeerplaats and the Lemniscaat's "Volgende stap" (A6) */
  picked: boolean
}

export interface CarrySource {
  sessionId: string
  sessionNumber: number
  snapshotId: string
}

/** A6: the zones picked by default. */
export function isDefaultCarryZone(templateId: string | null, zoneId: string | null): boolean {
  if (!zoneId) return false
  return zoneId === 'parking-lot' || (templateId === 'lemniscaat' && zoneId.endsWith('-next'))
}

function zonePath(templateId: string, zoneId: string, lang: Lang): string[] {
  const def = getTemplate(templateId)
  const path: string[] = []
  for (let id: string | undefined = zoneId, i = 0; id && i < 10; i++) {
    const z = def?.zones.find((x) => x.id === id)
    path.unshift(z ? z.label[lang] : id)
    id = z?.parentZoneId
  }
  return path
}

/** A6: the notes of a board that can be carried over, in reading order, defaults picked. */
export function carryOverCandidates(records: TLRecord[], lang: Lang = 'nl'): CarryCandidate[] {
  const map = toMap(records)
  const out: CarryCandidate[] = []
  const assigned = assignNotesToZones([], map).sort((a, b) => (a.zone?.zoneId ?? '~').localeCompare(b.zone?.zoneId ?? '~') || a.center.y - b.center.y || a.center.x - b.center.x)
  for (const a of assigned) {
    const meta = (a.note.meta ?? {}) as Record<string, unknown>
    if (meta.prefilled === true) continue
    const text = shapeText(a.note).trim()
    if (!text) continue
    const anonymous = meta.anonymous === true || (a.zone ? getTemplate(a.zone.templateId)?.zones.find((z) => z.id === a.zone!.zoneId)?.anonymous === true : false)
    out.push({
      id: a.note.id,
      text,
      author: !anonymous && typeof meta.author === 'string' ? meta.author : null,
      perspective: typeof meta.perspective === 'string' ? meta.perspective : null,
      templateId: a.zone?.templateId ?? null,
      zoneId: a.zone?.zoneId ?? null,
      path: a.zone ? zonePath(a.zone.templateId, a.zone.zoneId, lang) : [],
      picked: isDefaultCarryZone(a.zone?.templateId ?? null, a.zone?.zoneId ?? null),
    })
  }
  return out
}

/** Stable id of a carried note, so carrying the same note twice never duplicates it. */
export function carriedNoteId(snapshotId: string, noteId: string): string {
  let h = 0x811c9dc5
  for (const c of `${snapshotId}/${noteId}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0
  return `shape:carry-${h.toString(36)}-${noteId.replace(/^shape:/, '').slice(0, 24)}`
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** Fractional index keys above every template scaffold key (a…, b…): c + three digits. */
function topIndex(i: number): string {
  const n = 62 * 62 + i
  return 'c' + B62[Math.floor(n / 3844) % 62] + B62[Math.floor(n / 62) % 62] + B62[n % 62]
}

const NOTE = 200
const SCALE = 0.7
const GAP = 12

/**
 * A7: new note records for the picked notes on the `target` board: each in the zone with the same
 * zone id (same template first), in a grid from the zone's top left below its heading; a note
 * whose zone the new board lacks goes to a column right of the main page's content. Each carries
 * `meta.carriedFrom` and a last line naming its session. Notes already carried are skipped.
 */
export function planCarryOver(target: TLRecord[], source: TLRecord[], noteIds: string[], from: CarrySource, lang: Lang = 'nl'): TLRecord[] {
  const tmap = toMap(target)
  const zones = boardZones([], tmap)
  const candidates = new Map(carryOverCandidates(source, lang).map((c) => [c.id, c]))
  const sourceMap = toMap(source)
  const pageId = mainPageId(target) ?? (target.find((r) => r.typeName === 'page')?.id as string | undefined) ?? 'page:page'
  const slots = new Map<string, number>()
  // the fallback column: right of everything on the main page
  let right = 0
  let top = 0
  for (const r of target) {
    if (!isShape(r) || pageOf(tmap, r) !== pageId || r.parentId !== pageId) continue
    const w = typeof (r.props as { w?: unknown }).w === 'number' ? ((r.props as { w: number }).w) : NOTE
    right = Math.max(right, r.x + w)
    top = Math.min(top, r.y)
  }
  const label = lang === 'nl' ? `↩ uit sessie ${from.sessionNumber}` : `↩ from session ${from.sessionNumber}`
  const out: TLRecord[] = []
  let i = 0
  for (const noteId of noteIds) {
    const c = candidates.get(noteId)
    const original = sourceMap.get(noteId) as TLShape | undefined
    if (!c || !original) continue
    const id = carriedNoteId(from.snapshotId, noteId)
    if (tmap.has(id)) continue
    const zone = c.zoneId ? pickZone(zones, c.templateId, c.zoneId, pageId) : null
    const key = zone ? zone.shapeId : '(outside)'
    const n = slots.get(key) ?? 0
    slots.set(key, n + 1)
    const area: Rect = zone ? zone.bounds : { x: right + 80, y: top, w: NOTE * SCALE * 2 + GAP * 3, h: 100_000 }
    const step = NOTE * SCALE + GAP
    const cols = Math.max(1, Math.floor((area.w - 2 * GAP) / step))
    const headroom = zone ? Math.min(140, area.h * 0.25) : 0
    const x = area.x + GAP + (n % cols) * step
    const y = area.y + headroom + Math.floor(n / cols) * step
    const props = (original.props ?? {}) as Record<string, unknown>
    // an author never lands in an anonymous zone (board policy)
    const anonymousTarget = zone ? getTemplate(zone.templateId)?.zones.find((z) => z.id === zone.zoneId)?.anonymous === true : false
    out.push({
      ...original,
      id,
      parentId: zone?.pageId ?? pageId,
      x,
      y,
      rotation: 0,
      index: topIndex(i++),
      isLocked: false,
      props: { ...props, scale: SCALE, growY: 0, richText: plainToRichText(`${c.text}\n${label}`) },
      meta: {
        ...(c.author && !anonymousTarget ? { author: c.author } : {}),
        ...(c.perspective ? { perspective: c.perspective } : {}),
        carriedFrom: { sessionId: from.sessionId, sessionNumber: from.sessionNumber, snapshotId: from.snapshotId, noteId },
      },
    } as unknown as TLRecord)
  }
  return out
}

function pickZone(zones: BoardZone[], templateId: string | null, zoneId: string, mainPage: string): BoardZone | null {
  const same = zones.filter((z) => z.zoneId === zoneId)
  return same.find((z) => z.templateId === templateId && z.pageId === mainPage) ?? same.find((z) => z.templateId === templateId) ?? same[0] ?? null
}
