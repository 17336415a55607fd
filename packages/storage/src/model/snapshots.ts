/** Snapshots of a session's board: metadata plus the parts (board state, .tldr, images, reports). */
import { toBufOrNull, toU8 } from '../bytes'
import { StorageError } from '../errors'
import { newId } from '../ids'
import type { Row, SqlDb } from '../sql'
import type { SnapshotKind, SnapshotMeta, SnapshotPartName, SnapshotParts, SnapshotRender } from '../types'

const SNAPSHOT_META_COLUMNS = 'id, cop_id, session_id, kind, created_at, meta_json'

/** Snapshot part -> column. Binary parts are BLOB / BYTEA, text parts TEXT. */
const PART_COLUMNS: { readonly [K in SnapshotPartName]: { column: string; binary: boolean } } = {
  yjsState: { column: 'yjs_state', binary: true },
  tldr: { column: 'tldr', binary: false },
  svg: { column: 'svg', binary: false },
  png: { column: 'png', binary: true },
  thumbnailPng: { column: 'thumbnail_png', binary: true },
  reportJson: { column: 'report_json', binary: false },
  reportMarkdown: { column: 'report_md', binary: false },
  reportCsv: { column: 'report_csv', binary: false },
}

const PART_NAMES = Object.keys(PART_COLUMNS) as SnapshotPartName[]

function rowToSnapshotMeta(r: Row): SnapshotMeta {
  return {
    id: r.id as string,
    copId: r.cop_id as string,
    sessionId: r.session_id as string,
    kind: r.kind as SnapshotKind,
    createdAt: r.created_at as string,
    meta: JSON.parse(r.meta_json as string) as Record<string, unknown>,
  }
}

function partFromRow(v: unknown, binary: boolean): unknown {
  if (v === null || v === undefined) return null
  return binary ? toU8(v as Uint8Array) : v
}

function isPartName(p: string): p is SnapshotPartName {
  return Object.prototype.hasOwnProperty.call(PART_COLUMNS, p)
}

function partToParam(parts: SnapshotParts, p: SnapshotPartName): unknown {
  const v = parts[p]
  return PART_COLUMNS[p].binary ? toBufOrNull(v as Uint8Array | null) : v
}

export async function createSnapshot(db: SqlDb, input: Omit<SnapshotMeta, 'id' | 'createdAt'>, parts: SnapshotParts): Promise<SnapshotMeta> {
  const s: SnapshotMeta = { id: newId(), copId: input.copId, sessionId: input.sessionId, kind: input.kind, createdAt: new Date().toISOString(), meta: input.meta }
  const columns = [SNAPSHOT_META_COLUMNS, ...PART_NAMES.map((p) => PART_COLUMNS[p].column)]
  const values = [s.id, s.copId, s.sessionId, s.kind, s.createdAt, JSON.stringify(s.meta), ...PART_NAMES.map((p) => partToParam(parts, p))]
  try {
    await db.run(`INSERT INTO snapshots (${columns.join(', ')}) VALUES (${values.map(() => '?').join(', ')})`, values)
  } catch (err) {
    if (db.isForeignKeyViolation(err)) {
      throw new StorageError('SESSION_NOT_FOUND', `Session ${input.sessionId} of CoP ${input.copId} does not exist`, { cause: err })
    }
    throw err
  }
  return s
}

/** SPEC 3.8: the image parts of a snapshot rendered after the fact, with its new `meta`. */
export async function completeSnapshotRender(db: SqlDb, id: string, images: SnapshotRender, meta: Record<string, unknown>): Promise<boolean> {
  const changed = await db.run('UPDATE snapshots SET svg = ?, png = ?, thumbnail_png = ?, meta_json = ? WHERE id = ?', [
    images.svg, toBufOrNull(images.png), toBufOrNull(images.thumbnailPng), JSON.stringify(meta), id,
  ])
  return changed > 0
}

export async function listSnapshots(db: SqlDb, copId: string): Promise<SnapshotMeta[]> {
  const rows = await db.all(`SELECT ${SNAPSHOT_META_COLUMNS} FROM snapshots WHERE cop_id = ? ORDER BY created_at, ${db.insertionOrder}`, [copId])
  return rows.map(rowToSnapshotMeta)
}

export async function getSnapshot(db: SqlDb, id: string): Promise<SnapshotMeta | null> {
  const r = await db.get(`SELECT ${SNAPSHOT_META_COLUMNS} FROM snapshots WHERE id = ?`, [id])
  return r ? rowToSnapshotMeta(r) : null
}

export async function getSnapshotPart<K extends SnapshotPartName>(db: SqlDb, id: string, part: K): Promise<SnapshotParts[K] | null> {
  if (!isPartName(part)) throw new TypeError(`Unknown snapshot part ${String(part)}`)
  const { column, binary } = PART_COLUMNS[part]
  const r = await db.get<{ v: unknown }>(`SELECT ${column} AS v FROM snapshots WHERE id = ?`, [id])
  return r ? (partFromRow(r.v, binary) as SnapshotParts[K] | null) : null
}

export async function getSnapshotParts(db: SqlDb, id: string): Promise<SnapshotParts | null> {
  const r = await db.get(`SELECT ${PART_NAMES.map((p) => PART_COLUMNS[p].column).join(', ')} FROM snapshots WHERE id = ?`, [id])
  if (!r) return null
  const parts: Record<string, unknown> = {}
  for (const p of PART_NAMES) parts[p] = partFromRow(r[PART_COLUMNS[p].column], PART_COLUMNS[p].binary)
  return parts as unknown as SnapshotParts
}
