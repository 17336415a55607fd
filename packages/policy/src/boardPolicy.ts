/**
 * The board policy of one room (SPEC.md): called by the sync core inside the transaction that
 * applied a connection's update, before anything is stored or broadcast; it reads the room's
 * document (after-view) and answers ok or refused-with-reason. It never writes.
 *
 * Per room it keeps two caches, maintained from every transaction of the doc (`afterTransaction`):
 * the ids of scaffold shapes (the before-view of "is this a scaffold shape?") and the board's
 * zones (recomputed only after a scaffold shape changed).
 */
import * as Y from 'yjs'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { META_KEY, META_SCHEMA, RECORDS_KEY, SESSION_KEY } from '@copboard/board'
import type { BoardZone } from '@copboard/templates'
import { OK, refuse, type PolicyContext, type Verdict } from './context.js'
import { defaultRecordLimits, recordSizeProblem, type RecordLimits } from './limits.js'
import { anonymousZoneOf, zonesOf } from './rules/anonymous.js'
import { AnonymousCover, isContainerValue } from './rules/anonymousCover.js'
import { checkMigration, migrationFrom } from './rules/migration.js'
import { boardSchema, DocSchemaCache, documentTypes, schemaProblem, type AnySchema } from './rules/schema.js'
import { checkSessionChange, participantOwnedEntries, type SessionRule } from './rules/session.js'
import { collectTouches, type RecordFieldChanges, type Touches } from './touched.js'
import { authorFields, COLLAB_TEXT_KEY, isScaffoldRecord, isScaffoldValue, plainRecord, readRecordView, type RecordView } from './view.js'

type Obj = Record<string, unknown>

/** Known-good records kept per room (the fast path): the most recently edited ones. */
export const KNOWN_MAX = 128
/** A transaction touching more records than this does not feed the known-good cache. */
export const KNOWN_FROM_AT_MOST = 16

export interface BoardPolicyOptions {
  /** The board's tldraw schema; default tldraw's default schema (what the web client uses). */
  schema?: AnySchema
  limits?: Partial<RecordLimits>
  /** Participant-owned session entries (§5.2); default: vote dots and akkoord endorsements. */
  sessionRules?: readonly SessionRule[]
}

export interface BoardPolicy {
  forRoom(doc: Y.Doc): RoomBoardPolicy
}

export function createBoardPolicy(opts: BoardPolicyOptions = {}): BoardPolicy {
  const schema = opts.schema ?? boardSchema()
  const shared = {
    schema,
    docTypes: documentTypes(schema),
    limits: { ...defaultRecordLimits, ...opts.limits },
    sessionRules: opts.sessionRules ?? participantOwnedEntries,
  }
  return { forRoom: (doc) => new RoomBoardPolicy(doc, shared) }
}

interface Shared {
  schema: AnySchema
  docTypes: Set<string>
  limits: RecordLimits
  sessionRules: readonly SessionRule[]
}

export class RoomBoardPolicy {
  private readonly records: Y.Map<unknown>
  private readonly schemaCache: DocSchemaCache
  /** Ids of scaffold shapes as of the end of the last transaction (the before-view of the next). */
  private scaffold: Set<string> | null = null
  private zones: BoardZone[] | null = null
  /** §4.3: what a moved zone or container covers */
  private readonly cover: AnonymousCover
  /**
   * Fast path: the last validated after-view of the records clients edited most recently (plain
   * JSON, at most KNOWN_MAX; insertion order = recency). A drag then rebuilds only the changed
   * fields and validates only them (tldraw's known-good validation). Committed after an admitted
   * transaction of a few records, dropped for anything else.
   */
  private readonly known = new Map<string, Obj>()
  /** The last key inserted into `known` (its most recent record), null when unknown. */
  private newestKnown: string | null = null
  /**
   * The transaction `check` judged, with its verdict, after-views and touches, for the index
   * update of the same transaction (which drops it: a WeakMap keyed by transaction kept every
   * edit's touches until a major GC, issue 12).
   */
  private checked: { tr: Y.Transaction; ok: boolean; views: Map<string, Obj | null>; touches: Touches } | null = null

  constructor(
    private readonly doc: Y.Doc,
    private readonly shared: Shared,
  ) {
    // the root maps are typed before any update arrives (an untyped root would be re-created mid-check)
    this.records = doc.getMap(RECORDS_KEY)
    doc.getMap(SESSION_KEY)
    doc.getMap(META_KEY)
    this.schemaCache = new DocSchemaCache(doc, shared.schema)
    // built now, outside any update: it is the before-view of the first update checked
    this.scaffoldIds()
    this.cover = new AnonymousCover(this.records, () => this.currentZones())
  }

  /** §1: the verdict for the transaction `tr` (in progress: the doc shows the after-view). */
  check(ctx: PolicyContext, tr: Y.Transaction): Verdict {
    if (ctx.role === 'viewer') return refuse('read-only', 'viewer')
    const touches = collectTouches(tr)
    const views = new Map<string, Obj | null>()
    this.checked = { tr, ok: false, views, touches }
    const verdict = this.judge(ctx, tr, touches, views)
    this.checked.ok = verdict.ok
    return verdict
  }

  private judge(ctx: PolicyContext, tr: Y.Transaction, touches: Touches, views: Map<string, Obj | null>): Verdict {
    if (touches.meta.size > 0 && this.schemaCache.current().status === 'newer') {
      return refuse('schema-newer', `meta.${[...touches.meta].join(',')}`)
    }
    for (const path of touches.session) {
      const v = checkSessionChange(ctx, path, this.doc, this.shared.sessionRules, this.shared.limits)
      if (!v.ok) return v
    }
    // §7.2: an older board migrated up (by any editor): records rewritten exactly by the migration pass
    const from = migrationFrom(this.doc, tr, this.shared.schema, touches.meta.has(META_SCHEMA))
    if (from) {
      const m = checkMigration(this.records, tr, touches.records, from, this.shared.schema, this.shared.docTypes)
      if (!m.verdict.ok) return m.verdict
      this.migrated = m.migrated
    }
    if (touches.records.size === 0) return OK
    const scaffold = this.scaffoldIds()
    // §4.3: a moved zone or container moves shapes the update does not touch
    let zonesMoved = false
    const containers = new Set<string>()
    for (const id of touches.records) {
      const value = this.records.get(id)
      if (scaffold.has(id) || isScaffoldValue(value)) zonesMoved = true
      else if (isContainerValue(value)) containers.add(id)
    }
    // the zones as this update leaves them (the after-transaction hook drops this cache again)
    if (zonesMoved) this.zones = null
    for (const id of touches.records) {
      if (from && this.migrated.has(id)) continue
      const v = this.checkRecord(ctx, id, scaffold.has(id), touches.recordFields.get(id) ?? null, views)
      if (!v.ok) return v
    }
    return this.cover.check(touches.records, zonesMoved, containers)
  }

  /** Records a migration rewrote exactly (§7.2), for the transaction being judged. */
  private migrated: Set<string> = new Set()

  /** The after-view of a record: rebuilt from the known-good version when only fields changed. */
  private afterView(id: string, fields: RecordFieldChanges | null): RecordView & { before: Obj | null } {
    const known = this.known.get(id)
    const value = this.records.get(id)
    if (fields && known && value instanceof Y.Map) {
      const next: Obj = { ...known }
      const read = (v: unknown) => (v instanceof Y.AbstractType ? v.toJSON() : v)
      for (const k of fields.top) {
        const v = value.get(k)
        if (v === undefined) delete next[k]
        else next[k] = read(v)
      }
      for (const nested of ['props', 'meta'] as const) {
        const subs = fields[nested]
        if (!subs) continue
        const sub = value.get(nested)
        if (!(sub instanceof Y.Map) || !known[nested] || typeof known[nested] !== 'object') return { ...readRecordView(this.records, id), before: null }
        const o: Obj = { ...(known[nested] as Obj) }
        for (const k of subs) {
          const v = sub.get(k)
          if (v === undefined) delete o[k]
          else o[k] = read(v)
        }
        next[nested] = o
      }
      const collab = value.get(COLLAB_TEXT_KEY)
      return { id, record: next, collab: collab instanceof Y.XmlFragment ? collab : null, problem: null, before: known }
    }
    return { ...readRecordView(this.records, id), before: null }
  }

  private checkRecord(ctx: PolicyContext, id: string, wasScaffold: boolean, fields: RecordFieldChanges | null, views: Map<string, Obj | null>): Verdict {
    if (id === '') return refuse('invalid-record', 'content without a record id in the records map')
    const doc = this.schemaCache.current()
    // no migration between the stored records and ours (stamped with ours, or not stamped yet):
    // the known-good versions apply
    const current = doc.status === 'same' || doc.status === 'empty'
    const view = current ? this.afterView(id, fields) : { ...readRecordView(this.records, id), before: null }
    const after = view.record
    const facilitator = ctx.role === 'facilitator'
    // §2 scaffold: the facilitator's, before and after
    if (!facilitator) {
      if (wasScaffold) return refuse('scaffold-locked', after ? `changed ${id}` : `deleted ${id}`)
      if (isScaffoldRecord(after)) return refuse('scaffold-locked', `created scaffold ${id}`)
      if (!after && !view.problem && id.startsWith('page:') && this.pageHoldsScaffold(id)) {
        return refuse('scaffold-locked', `deleted ${id} holding scaffold shapes`)
      }
    }
    if (view.problem) return refuse('invalid-record', `${id}: ${view.problem}`)
    if (!after) {
      views.set(id, null)
      return OK // a deletion (of something that is not scaffold)
    }
    // §3 validity: sizes first (cheap, never recursive), then the schema; a known-good record
    // whose props/meta did not change keeps its sizes, and only its changed fields are validated
    const sizesKnown = view.before !== null && !fields?.props && !fields?.meta
    const tooLarge = sizesKnown ? null : recordSizeProblem(after, view.collab, this.shared.limits)
    if (tooLarge) return refuse('too-large', `${id}: ${tooLarge}`)
    const invalid = schemaProblem(this.shared.schema, this.shared.docTypes, id, after, doc, view.before)
    if (invalid) return refuse('invalid-record', `${id}: ${invalid}`)
    if (current) views.set(id, after)
    // §4 anonymity
    if (after.typeName === 'shape' && !isScaffoldRecord(after)) {
      const fields = authorFields(after)
      if (fields.length > 0) {
        const zone = anonymousZoneOf(after as unknown as TLShape, this.currentZones(), (pid) => plainRecord(this.records.get(pid)) as TLRecord | null)
        if (zone) return refuse('anonymous-author', `${id}: ${fields.join(', ')} in anonymous zone ${zone.zoneId}`)
      }
    }
    return OK
  }

  /** Does any scaffold shape (after the update) still sit on page `pageId`? */
  private pageHoldsScaffold(pageId: string): boolean {
    for (const id of this.scaffoldIds()) {
      let parent = plainRecord(this.records.get(id))?.parentId
      for (let guard = 0; typeof parent === 'string' && guard < 100; guard++) {
        if (parent === pageId) return true
        const p = plainRecord(this.records.get(parent))
        if (!p || p.typeName !== 'shape') break
        parent = p.parentId
      }
    }
    return false
  }

  private currentZones(): BoardZone[] {
    if (this.zones) return this.zones
    const recs: TLRecord[] = []
    const seen = new Set<string>()
    for (const id of this.scaffoldIds()) {
      // the scaffold shape and its ancestors (a zone inside a frame is positioned through it)
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
    return this.zones
  }

  private scaffoldIds(): Set<string> {
    if (this.scaffold) return this.scaffold
    const ids = new Set<string>()
    this.records.forEach((value, id) => {
      if (isScaffoldValue(value)) ids.add(id)
    })
    this.scaffold = ids
    this.doc.on('afterTransaction', this.onAfterTransaction)
    return ids
  }

  /** Keeps the scaffold index, the zone cache and the known-good records equal to the doc after every transaction. */
  private onAfterTransaction = (tr: Y.Transaction): void => {
    const checked = this.checked?.tr === tr ? this.checked : null
    this.checked = null
    const scaffold = this.scaffold
    if (!scaffold) return
    const touches = checked?.touches ?? collectTouches(tr)
    // only edits of a few records feed the cache (a drag, a typed label), not a template launch
    // or a pasted board: and the least recently edited leave it, so it holds at most
    // KNOWN_MAX copies, not one of every record ever created (~76 KiB for 200 notes, issue 12)
    const few = touches.records.size <= KNOWN_FROM_AT_MOST
    for (const id of touches.records) {
      const view = checked?.ok && few ? checked.views.get(id) : undefined
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
    for (const id of touches.records) {
      const now = isScaffoldValue(this.records.get(id))
      if (now || scaffold.has(id)) zonesChanged = true
      if (now) scaffold.add(id)
      else scaffold.delete(id)
    }
    if (zonesChanged) this.zones = null
    if (touches.records.size > 0) this.cover?.afterTransaction(touches.records, zonesChanged)
  }

  /** How many known-good records this room keeps (at most KNOWN_MAX). */
  get knownRecords(): number {
    return this.known.size
  }

  /** Stops listening to the doc (the room unloads). */
  destroy(): void {
    this.doc.off('afterTransaction', this.onAfterTransaction)
    this.known.clear()
    this.newestKnown = null
    this.checked = null
    this.scaffold = null
    this.zones = null
  }
}
