/**
 * What a room's policy keeps about its board between transactions, equal to the doc after every
 * one (`update`, from the policy's `afterTransaction`): the ids of scaffold shapes (the before-view
 * of "is this a scaffold shape?"), the board's zones (recomputed only after a zone shape or one
 * of its ancestors, e.g. the frame a template sits in, changed) and the known-good after-views of
 * the records edited last (the policy's fast path).
 */
import type * as Y from 'yjs'
import type { TLRecord } from '@tldraw/tlschema'
import type { BoardZone } from '@copboard/templates'
import { zonesOf } from './rules/anonymous.js'
import { isScaffoldValue, plainRecord, zoneKeyOf } from './view.js'

type Obj = Record<string, unknown>

/** Known-good records kept per room (the fast path): the most recently edited ones. */
export const KNOWN_MAX = 128
/** A transaction touching more records than this does not feed the known-good cache. */
export const KNOWN_FROM_AT_MOST = 16

export class BoardIndex {
  /** Ids of scaffold shapes as of the end of the last transaction. */
  private scaffold = new Set<string>()
  /** Zone shapes as of the end of the last transaction: id -> the zone it defines (`zoneKeyOf`). */
  private zoneShapes = new Map<string, string>()
  private zones: BoardZone[] | null = null
  /** The zone shapes and their ancestors the zones were computed from: moving one moves a zone. */
  private zoneTree = new Set<string>()
  /**
   * The last validated after-view of the records clients edited most recently (plain JSON, at
   * most KNOWN_MAX; insertion order = recency). A drag then rebuilds only the changed fields and
   * validates only them (tldraw's known-good validation).
   */
  private readonly known = new Map<string, Obj>()
  /** The last key inserted into `known` (its most recent record), null when unknown. */
  private newestKnown: string | null = null

  constructor(private readonly records: Y.Map<unknown>) {
    this.records.forEach((value, id) => {
      if (isScaffoldValue(value)) this.scaffold.add(id)
      const zone = zoneKeyOf(value)
      if (zone) this.zoneShapes.set(id, zone)
    })
  }

  /** Scaffold shape ids (as of the last transaction's end: the before-view inside a check). */
  get scaffoldIds(): ReadonlySet<string> {
    return this.scaffold
  }

  /** The board's zones: from its zone shapes and their ancestors (a zone inside a frame is positioned through it). */
  currentZones(): BoardZone[] {
    if (this.zones) return this.zones
    const recs: TLRecord[] = []
    const seen = new Set<string>()
    for (const id of this.zoneShapes.keys()) {
      let cur: string | undefined = id
      for (let guard = 0; cur && !seen.has(cur) && guard < 100; guard++) {
        seen.add(cur)
        const r = plainRecord(this.records.get(cur))
        if (!r) break
        recs.push(r as unknown as TLRecord)
        cur = r.typeName === 'shape' ? (r.parentId as string) : undefined
      }
    }
    this.zones = zonesOf(recs)
    this.zoneTree = seen
    return this.zones
  }

  /** The zone `id` defined as of the last transaction's end (the before-view inside a check), if it was a zone shape. */
  zoneBefore(id: string): string | undefined {
    return this.zoneShapes.get(id)
  }

  /** Whether a change of record `id` (now `value`) may move, add or remove a zone (templates' zoneTreeIds, as the web client). */
  movesZones(id: string, value: unknown): boolean {
    return this.touchesZones(id, zoneKeyOf(value))
  }

  /** `id`, now defining `zone` (null: none), was or is a zone shape, or an ancestor of one. */
  private touchesZones(id: string, zone: string | null): boolean {
    return zone !== null || this.zoneShapes.has(id) || this.zoneTree.has(id)
  }

  /** A check sees a change that moves zones: the zones as it leaves them are computed anew. */
  dropZones(): void {
    this.zones = null
  }

  knownRecord(id: string): Obj | undefined {
    return this.known.get(id)
  }

  /** How many known-good records this room keeps (at most KNOWN_MAX). */
  get knownCount(): number {
    return this.known.size
  }

  /**
   * After a transaction that touched `records`: `views` are their validated after-views when the
   * policy admitted it (undefined otherwise). Returns whether the zones may have moved (they are computed again).
   */
  update(records: ReadonlySet<string>, views: ReadonlyMap<string, Obj | null> | undefined): boolean {
    // only edits of a few records feed the cache (a drag, a typed label), not a template launch
    // or a pasted board: and the least recently edited leave it, so it holds at most
    // KNOWN_MAX copies, not one of every record ever created (~76 KiB for 200 notes, issue 12)
    const few = records.size <= KNOWN_FROM_AT_MOST
    for (const id of records) {
      const view = few ? views?.get(id) : undefined
      // the record dragged last is dragged again: updated in place (a delete and an insert
      // churn the Map's table on every edit, garbage that outlived young-generation GCs)
      if (view && id === this.newestKnown) {
        this.known.set(id, view)
        continue
      }
      this.known.delete(id)
      if (!view) {
        if (id === this.newestKnown) this.newestKnown = null
        continue
      }
      this.known.set(id, view)
      this.newestKnown = id
      if (this.known.size > KNOWN_MAX) this.known.delete(this.known.keys().next().value as string)
    }
    let zonesChanged = false
    for (const id of records) {
      const value = this.records.get(id)
      const zone = zoneKeyOf(value)
      if (this.touchesZones(id, zone)) zonesChanged = true
      if (zone) this.zoneShapes.set(id, zone)
      else this.zoneShapes.delete(id)
      if (isScaffoldValue(value)) this.scaffold.add(id)
      else this.scaffold.delete(id)
    }
    if (zonesChanged) this.zones = null
    return zonesChanged
  }

  clear(): void {
    this.known.clear()
    this.newestKnown = null
    this.scaffold.clear()
    this.zoneShapes.clear()
    this.zoneTree.clear()
    this.zones = null
  }
}
