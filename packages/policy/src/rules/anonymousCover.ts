/**
 * §4.3: moving a zone (or anything a zone hangs on) or a container (frame, group: moving it moves
 * its children, as in tldraw, Miro and FigJam) changes where shapes lie that the update never
 * touched. Such an update is refused when it puts an authored shape into an anonymous zone.
 * Shapes that already lay authored in an anonymous zone before the update (a board from before
 * the policy, a server-side write) are remembered per room and do not block anything.
 */
import * as Y from 'yjs'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { BoardZone } from '@copboard/templates'
import { OK, refuse, type Verdict } from '../context.js'
import { anonymousZoneOf, isAnonymousZone } from './anonymous.js'
import { isScaffoldValue, plainRecord, storedField } from '../view.js'

type Obj = Record<string, unknown>

/** tldraw's shapes that carry children. */
const CONTAINER_TYPES = new Set(['frame', 'group'])

const present = (v: unknown) => v !== undefined && v !== null && v !== ''
const field = storedField

/** Does the stored shape carry an author (meta.author, meta.perspective, props.textLastEditedBy)? Read without converting it. */
function storedAuthored(value: unknown): boolean {
  const meta = field(value, 'meta')
  return field(value, 'typeName') === 'shape' && (present(field(meta, 'author')) || present(field(meta, 'perspective')) || present(field(field(value, 'props'), 'textLastEditedBy')))
}

/** Is the stored value a container shape (its children move with it)? */
export function isContainerValue(value: unknown): boolean {
  return field(value, 'typeName') === 'shape' && CONTAINER_TYPES.has(field(value, 'type') as string)
}

/** Do two zone lists place every zone the same (a refused or non-geometric scaffold change moves none)? */
function sameZones(a: readonly BoardZone[], b: readonly BoardZone[]): boolean {
  if (a.length !== b.length) return false
  return a.every((z, i) => {
    const o = b[i]
    return z.shapeId === o.shapeId && z.zoneId === o.zoneId && z.pageId === o.pageId && z.bounds.x === o.bounds.x && z.bounds.y === o.bounds.y && z.bounds.w === o.bounds.w && z.bounds.h === o.bounds.h
  })
}

export class AnonymousCover {
  /** Authored shapes in an anonymous zone as of the end of the last transaction. */
  private before = new Set<string>()
  /** The zones `before` was computed with. */
  private zonesAtRest: readonly BoardZone[] = []

  constructor(
    private readonly records: Y.Map<unknown>,
    private readonly zones: () => BoardZone[],
  ) {
    this.rescan()
  }

  /** The anonymous zone an authored, non-scaffold shape lies in (after-view), or null. */
  private zoneOf(id: string, zones: BoardZone[]): BoardZone | null {
    const value = this.records.get(id)
    if (!storedAuthored(value) || isScaffoldValue(value)) return null
    const shape = plainRecord(value) as unknown as TLShape | null
    if (!shape) return null
    return anonymousZoneOf(shape, zones, (pid) => plainRecord(this.records.get(pid)) as TLRecord | null)
  }

  private anonymousZones(): BoardZone[] | null {
    const zones = this.zones()
    return zones.some(isAnonymousZone) ? zones : null
  }

  /** Ids of every shape below one of `containers`. */
  private descendantsOf(containers: Set<string>): string[] {
    const out: string[] = []
    this.records.forEach((value, id) => {
      let parent = field(value, 'parentId')
      for (let guard = 0; typeof parent === 'string' && guard < 100; guard++) {
        if (containers.has(parent)) {
          out.push(id)
          return
        }
        parent = field(this.records.get(parent), 'parentId')
      }
    })
    return out
  }

  /**
   * The verdict on shapes the update moved without touching them: every shape when a zone moved
   * (`zonesMoved`), else the descendants of the `containers` it changed. `touched` were checked
   * by §4.1 already.
   */
  check(touched: Set<string>, scaffoldChanged: boolean, containers: Set<string>): Verdict {
    const zonesMoved = scaffoldChanged && !sameZones(this.zonesAtRest, this.zones())
    if (!zonesMoved && containers.size === 0) return OK
    const zones = this.anonymousZones()
    if (!zones) return OK
    const candidates = zonesMoved ? [...this.records.keys()] : this.descendantsOf(containers)
    for (const id of candidates) {
      if (touched.has(id) || this.before.has(id)) continue
      const zone = this.zoneOf(id, zones)
      if (zone) return refuse('anonymous-author', `${id}: authored, would lie in anonymous zone ${zone.zoneId} (${zonesMoved ? 'a zone moved' : `moved with ${[...containers].join(', ')}`})`)
    }
    return OK
  }

  /** After a transaction: all shapes again when zones or containers changed, else the touched ones. */
  afterTransaction(touched: Set<string>, scaffoldChanged: boolean): void {
    const zonesMoved = scaffoldChanged && !sameZones(this.zonesAtRest, this.zones())
    if (zonesMoved || [...touched].some((id) => isContainerValue(this.records.get(id)))) return this.rescan()
    const zones = this.anonymousZones()
    for (const id of touched) {
      if (zones && this.zoneOf(id, zones)) this.before.add(id)
      else this.before.delete(id)
    }
  }

  private rescan(): void {
    this.before.clear()
    this.zonesAtRest = this.zones()
    const zones = this.anonymousZones()
    if (!zones) return
    this.records.forEach((_, id) => {
      if (this.zoneOf(id, zones)) this.before.add(id)
    })
  }
}
