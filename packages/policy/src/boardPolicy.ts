/**
 * The board policy of one room (SPEC.md): called by the sync core inside the transaction that
 * applied a connection's update, before anything is stored or broadcast; it reads the room's
 * document (after-view) and answers ok or refused-with-reason. It never writes.
 *
 * Per room it keeps a BoardIndex (scaffold ids, zones, known-good records) equal to the doc after
 * every transaction; the server's awareness filter asks the same room policy what presence the
 * others may see (templates SPEC rule 19), so a board's zones are computed in one place.
 */
import * as Y from 'yjs'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { META_KEY, META_SCHEMA, RECORDS_KEY, SESSION_KEY } from '@copboard/board'
import { anonymousPresence } from '@copboard/templates'
import { BoardIndex } from './boardIndex.js'
import { OK, refuse, type PolicyContext, type Verdict } from './context.js'
import { defaultRecordLimits, recordSizeProblem, type RecordLimits } from './limits.js'
import { anonymousZoneOf } from './rules/anonymous.js'
import { AnonymousCover, isContainerValue } from './rules/anonymousCover.js'
import { checkMigration, migrationFrom } from './rules/migration.js'
import { boardSchema, DocSchemaCache, documentTypes, schemaProblem, type AnySchema } from './rules/schema.js'
import { checkSessionChange, participantOwnedEntries, type SessionRule } from './rules/session.js'
import { collectTouches, type RecordFieldChanges, type Touches } from './touched.js'
import { authorFields, COLLAB_TEXT_KEY, isScaffoldRecord, plainRecord, zoneKeyOf, readRecordView, type RecordView } from './view.js'

type Obj = Record<string, unknown>

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
  /** Scaffold ids, zones and known-good records, equal to the doc after every transaction. */
  private readonly index: BoardIndex
  /** §4.3: what a moved zone or container covers */
  private readonly cover: AnonymousCover
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
    this.index = new BoardIndex(this.records)
    this.cover = new AnonymousCover(this.records, () => this.index.currentZones())
    this.doc.on('afterTransaction', this.onAfterTransaction)
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
    const scaffold = this.index.scaffoldIds
    // §4.3: a moved zone or container moves shapes the update does not touch
    let zonesMoved = false
    const containers = new Set<string>()
    for (const id of touches.records) {
      const value = this.records.get(id)
      if (this.index.movesZones(id, value)) zonesMoved = true
      else if (isContainerValue(value)) containers.add(id)
    }
    // the zones as this update leaves them (the after-transaction hook drops this cache again)
    if (zonesMoved) this.index.dropZones()
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
    const known = this.index.knownRecord(id)
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
      // a zone (scaffold or not) hides cursors and authors where it lies: the facilitator's to
      // make or redefine (an existing one may be moved, like any shape that is not scaffold)
      const zone = after ? zoneKeyOf(after) : null
      const zoneBefore = this.index.zoneBefore(id)
      if (zone && zone !== zoneBefore) return refuse('scaffold-locked', `${zoneBefore ? 'redefined' : 'created'} zone ${id}`)
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
        const zone = anonymousZoneOf(after as unknown as TLShape, this.index.currentZones(), (pid) => plainRecord(this.records.get(pid)) as TLRecord | null)
        if (zone) return refuse('anonymous-author', `${id}: ${fields.join(', ')} in anonymous zone ${zone.zoneId}`)
      }
    }
    return OK
  }

  /** Does any scaffold shape (after the update) still sit on page `pageId`? */
  private pageHoldsScaffold(pageId: string): boolean {
    for (const id of this.index.scaffoldIds) {
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

  /** Keeps the index equal to the doc after every transaction (and what a moved zone covers). */
  private onAfterTransaction = (tr: Y.Transaction): void => {
    const checked = this.checked?.tr === tr ? this.checked : null
    this.checked = null
    const touches = checked?.touches ?? collectTouches(tr)
    if (touches.records.size === 0) return
    const zonesChanged = this.index.update(touches.records, checked?.ok ? checked.views : undefined)
    this.cover.afterTransaction(touches.records, zonesChanged)
  }

  /**
   * Templates SPEC rule 19: the presence the others may see of someone, without the cursor and
   * selection when they point into an anonymous zone (the same object when nothing is hidden).
   */
  presenceForOthers<T extends Record<string, unknown>>(presence: T): T {
    const zones = this.index.currentZones()
    if (zones.length === 0) return presence
    // the few shapes (and parents) a selection names, each read once
    const seen = new Map<string, TLRecord | undefined>()
    const get = (id: string): TLRecord | undefined => {
      if (!seen.has(id)) seen.set(id, (plainRecord(this.records.get(id)) ?? undefined) as TLRecord | undefined)
      return seen.get(id)
    }
    return anonymousPresence(presence, zones, { get })
  }

  /** How many known-good records this room keeps (at most KNOWN_MAX). */
  get knownRecords(): number {
    return this.index.knownCount
  }

  /** Stops listening to the doc (the room unloads). */
  destroy(): void {
    this.doc.off('afterTransaction', this.onAfterTransaction)
    this.index.clear()
    this.checked = null
  }
}
