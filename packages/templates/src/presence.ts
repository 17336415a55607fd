/**
 * Anonymous zones stay anonymous while people write (SPEC rule 19): a tldraw presence whose cursor
 * lies in an anonymous zone of its current page, or whose selection holds a shape whose centre
 * lies in one, loses the cursor, selection, brush, scribbles and chat bubble — the things that
 * would put the writer's name on the note. The web client does this before sending; the server
 * applies the same rule to every awareness state it relays.
 */
import type { TLShape } from '@tldraw/tlschema'
import { noteCenter, type BoardZone, type RecordMap } from './zones'
import { isAnonymousAt } from './reveal'

interface PresenceLike {
  currentPageId?: unknown
  cursor?: { x?: unknown; y?: unknown } | null
  selectedShapeIds?: unknown
  [k: string]: unknown
}

/** Whether this presence points into an anonymous zone. `records` resolves shapes (and parents) by id. */
export function presenceInAnonymousZone(presence: PresenceLike, zones: BoardZone[], records: Pick<RecordMap, 'get'>): boolean {
  if (!zones.length || typeof presence.currentPageId !== 'string') return false
  const page = presence.currentPageId
  const c = presence.cursor
  if (c && typeof c.x === 'number' && typeof c.y === 'number' && isAnonymousAt(zones, { x: c.x, y: c.y }, page)) return true
  if (Array.isArray(presence.selectedShapeIds)) {
    for (const id of presence.selectedShapeIds.slice(0, 200)) {
      const s = typeof id === 'string' ? records.get(id) : undefined
      if (s && s.typeName === 'shape' && isAnonymousAt(zones, noteCenter(records as RecordMap, s as TLShape), page)) return true
    }
  }
  return false
}

/** The presence with nothing that points at the writer (same object when nothing needs hiding). */
export function anonymousPresence<T extends PresenceLike>(presence: T, zones: BoardZone[], records: Pick<RecordMap, 'get'>): T {
  if (!presenceInAnonymousZone(presence, zones, records)) return presence
  const meta = presence.meta && typeof presence.meta === 'object' ? presence.meta : {}
  return { ...presence, cursor: null, selectedShapeIds: [], brush: null, scribbles: [], chatMessage: '', meta: { ...meta, anonymous: true } }
}
