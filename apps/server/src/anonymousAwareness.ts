/**
 * The server half of "anonymous zones stay anonymous while people write" (templates SPEC rule 19):
 * a sync-core awareness filter (§4.5) that hides the cursor and selection of anyone pointing into
 * an anonymous zone, whatever their client sends. The zones of a board are computed from its
 * scaffold once and again only after a scaffold record changed (not on every keystroke).
 */
import * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import type { AwarenessFilter } from '@copboard/sync-core'
import { getRecordsMap, readRecords, yToRecord } from '@copboard/board'
import { anonymousPresence, boardZones, scaffoldMeta, type BoardZone } from '@copboard/templates'

interface ZoneCache {
  zones: BoardZone[] | null
  /** ids of scaffold shapes; a change to one of them (or a new one) invalidates the zones */
  scaffold: Set<string>
}

const caches = new WeakMap<Y.Doc, ZoneCache>()

function cacheOf(doc: Y.Doc): ZoneCache {
  let c = caches.get(doc)
  if (c) return c
  const cache: ZoneCache = { zones: null, scaffold: new Set() }
  const records = getRecordsMap(doc)
  records.observeDeep((events) => {
    if (!cache.zones) return
    for (const ev of events) {
      const keys = ev.target === records ? [...(ev as Y.YMapEvent<unknown>).keysChanged] : typeof ev.path[0] === 'string' ? [ev.path[0]] : []
      for (const id of keys) {
        if (cache.scaffold.has(id) || isScaffoldRecord(records.get(id))) {
          cache.zones = null
          return
        }
      }
    }
  })
  caches.set(doc, cache)
  return cache
}

/**
 * A stored record is a template's scaffold shape (it has zones). PERF (issue 12): this runs for
 * every record an edit touches once zones are cached, so a stored Y.Map is read field by field,
 * not converted whole (yToRecord of a note, its rich text included, on every keystroke).
 */
function isScaffoldRecord(value: unknown): boolean {
  if (value instanceof Y.Map) {
    if (value.get('typeName') !== 'shape') return false
    const meta = value.get('meta')
    const copboard = meta instanceof Y.Map ? meta.get('copboard') : (meta as { copboard?: unknown } | undefined)?.copboard
    return !!scaffoldMeta({ meta: { copboard: copboard instanceof Y.AbstractType ? copboard.toJSON() : copboard } })
  }
  const r = yToRecord(value)
  return !!r && r.typeName === 'shape' && !!scaffoldMeta(r as { meta?: unknown })
}

function zonesOf(doc: Y.Doc): BoardZone[] {
  const cache = cacheOf(doc)
  if (!cache.zones) {
    const all = readRecords(doc)
    cache.scaffold = new Set(all.filter((r) => r.typeName === 'shape' && scaffoldMeta(r as { meta?: unknown })).map((r) => r.id))
    cache.zones = boardZones(all)
  }
  return cache.zones
}

/** Shapes (and their parents) read lazily from the doc, for the few ids a selection holds. */
function lookup(doc: Y.Doc): { get(id: string): TLRecord | undefined } {
  const records = getRecordsMap(doc)
  const seen = new Map<string, TLRecord | undefined>()
  return {
    get(id: string) {
      if (!seen.has(id)) seen.set(id, yToRecord(records.get(id)) ?? undefined)
      return seen.get(id)
    },
  }
}

export const anonymousAwarenessFilter: AwarenessFilter = (_room, doc, state) => {
  const presence = state.presence
  if (!presence || typeof presence !== 'object') return state
  const zones = zonesOf(doc)
  if (!zones.length) return state
  const next = anonymousPresence(presence as Record<string, unknown>, zones, lookup(doc))
  return next === presence ? state : { ...state, presence: next }
}
