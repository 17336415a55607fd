/**
 * §4: a shape whose centre lies in an anonymous zone (comedy act 1, templates SPEC R9) carries no
 * author when stored. Zone geometry is templates' own (`boardZones`, `noteCenter`, `zoneOfPoint`),
 * the same functions the web client uses to strip the author, so a real client is never refused.
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { boardZones, getTemplate, noteCenter, pageOf, zoneOfPoint, type BoardZone, type RecordMap } from '@copboard/templates'

/** Zones of a board from its scaffold records (and their ancestors). */
export function zonesOf(records: Iterable<TLRecord>): BoardZone[] {
  const map: RecordMap = new Map()
  for (const r of records) map.set(r.id, r)
  return boardZones([], map)
}

/** Is the zone declared anonymous by its template? */
export function isAnonymousZone(zone: BoardZone): boolean {
  return !!getTemplate(zone.templateId)?.zones.find((z) => z.id === zone.zoneId)?.anonymous
}

/**
 * The anonymous zone a shape lies in (by its centre, in page coordinates, through its parents),
 * or null. `lookup` returns a record by id (parents of the shape).
 */
export function anonymousZoneOf(shape: TLShape, zones: readonly BoardZone[], lookup: (id: string) => TLRecord | null): BoardZone | null {
  if (zones.length === 0) return null
  const map: RecordMap = new Map([[shape.id, shape as TLRecord]])
  let parentId: string = shape.parentId
  for (let guard = 0; guard < 100 && !map.has(parentId); guard++) {
    const p = lookup(parentId)
    if (!p) break
    map.set(p.id, p)
    if (p.typeName !== 'shape') break
    parentId = (p as TLShape).parentId
  }
  const zone = zoneOfPoint(zones as BoardZone[], noteCenter(map, shape), pageOf(map, shape))
  return zone && isAnonymousZone(zone) ? zone : null
}
