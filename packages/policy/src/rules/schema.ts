/**
 * §3.1: every created or changed record validates against the board's tldraw schema (the same
 * store schema the web client builds: tldraw's default shapes and bindings). A board stamped
 * with an older schema is migrated up record by record before validation, as the client does.
 */
import type { SerializedSchema, StoreSchema, UnknownRecord } from '@tldraw/store'
import { createTLSchema } from '@tldraw/tlschema'
import { checkDocSchema, migrateRecord, readDocSchema, type DocSchemaStatus } from '@copboard/board'
import type * as Y from 'yjs'

export type AnySchema = StoreSchema<any, any>

let defaultSchema: AnySchema | null = null
/** tldraw's default schema (shapes + bindings of `defaultShapeUtils`/`defaultBindingUtils`). */
export function boardSchema(): AnySchema {
  return (defaultSchema ??= createTLSchema() as unknown as AnySchema)
}

/** Document-scope record types: the only ones the board doc holds (board README). */
export function documentTypes(schema: AnySchema): Set<string> {
  return new Set(
    Object.values(schema.types as Record<string, { scope: string; typeName: string }>)
      .filter((t) => t.scope === 'document')
      .map((t) => t.typeName),
  )
}

/** The doc's stamped schema status against ours, cached while the stamp is the same value. */
export class DocSchemaCache {
  private checked = false
  private stamp: unknown = undefined
  private layout: unknown = undefined
  private result: { status: DocSchemaStatus; persisted: SerializedSchema | null } = { status: 'empty', persisted: null }
  constructor(
    private readonly doc: Y.Doc,
    private readonly schema: AnySchema,
  ) {}

  current(): { status: DocSchemaStatus; persisted: SerializedSchema | null } {
    const meta = this.doc.getMap('meta')
    const stamp = meta.get('schema')
    const layout = meta.get('layoutVersion')
    if (!this.checked || this.stamp !== stamp || this.layout !== layout) {
      this.checked = true
      this.stamp = stamp
      this.layout = layout
      this.result = { status: checkDocSchema(this.doc, this.schema), persisted: readDocSchema(this.doc) }
    }
    return this.result
  }
}

/** First line of a validation error, or null when the record is valid. */
export function schemaProblem(
  schema: AnySchema,
  docTypes: Set<string>,
  id: string,
  record: Record<string, unknown>,
  doc: { status: DocSchemaStatus; persisted: SerializedSchema | null },
  /** The last validated version of this record (same schema): only changed fields are validated. */
  knownGood: Record<string, unknown> | null = null,
): string | null {
  if (record.id !== id) return `record stored under ${id} has id ${String(record.id)}`
  if (typeof record.typeName !== 'string' || !docTypes.has(record.typeName)) return `type ${String(record.typeName)} is not a document record`
  let rec = record as unknown as UnknownRecord
  if (doc.status === 'older') {
    const m = migrateRecord(schema, doc.persisted, rec as never)
    if (!m) return 'migration from the board\'s schema failed'
    rec = m as unknown as UnknownRecord
  }
  try {
    if (knownGood && (doc.status === 'same' || doc.status === 'empty')) schema.validateRecord(null as never, rec, 'updateRecord', knownGood as unknown as UnknownRecord)
    else schema.validateRecord(null as never, rec, 'createRecord', null)
    return null
  } catch (e) {
    return String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200)
  }
}
