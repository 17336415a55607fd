/** The `.tldr` file of a board: tldraw's file format (version 1) with the store schema and records. */
import { createRequire } from 'node:module'
import type * as TLSchema from '@tldraw/tlschema'
import type { TLRecord } from '@tldraw/tlschema'

export interface TldrFile {
  tldrawFileFormatVersion: 1
  schema: unknown
  records: TLRecord[]
}

let defaultSchema: unknown = null

/**
 * PERF: @tldraw/tlschema costs ~25 MiB of RSS; it is loaded on first use (an export or a
 * server-written board), not when the server starts, so a pure sync workload never pays for it.
 */
function createTLSchema(): ReturnType<typeof TLSchema.createTLSchema> {
  const mod = createRequire(import.meta.url)('@tldraw/tlschema') as typeof TLSchema
  return mod.createTLSchema()
}

/** `schema` = the serialized schema stored in the board doc; the default tldraw schema when absent. */
export function toTldrFile(records: TLRecord[], schema?: unknown): TldrFile {
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { tldrawFileFormatVersion: 1, schema: schema ?? defaultSerializedSchema(), records: sorted }
}

/** Default page + document records for a new board that is written on the server. */
export function baseBoardRecords(pageName = 'Bord'): TLRecord[] {
  return [
    { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} },
    { id: 'page:page', typeName: 'page', name: pageName, index: 'a1', meta: {} },
  ] as TLRecord[]
}

/** The serialized default tldraw schema (for boards written on the server). */
export function defaultSerializedSchema(): unknown {
  defaultSchema ??= createTLSchema().serialize()
  return defaultSchema
}
