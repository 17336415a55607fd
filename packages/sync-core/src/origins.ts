import type { SyncConnection } from './connection.js'

/**
 * Typed origins of Yjs transactions on a room's document. They decide what happens to the
 * resulting update (SPEC.md §5):
 * - connection: already persisted by the pipeline, broadcast to everyone except that connection;
 * - storage: loaded from the log, neither persisted nor broadcast;
 * - local: a server-side change (template, restore): persisted, then broadcast to everyone;
 * - stored: an entry a compaction found in the room's log that the room did not write (§8.2):
 *   durable already, so broadcast to everyone and not persisted again.
 * A transaction without one of these origins is treated as local.
 */
export type TransactionOrigin =
  | { readonly kind: 'connection'; readonly connection: SyncConnection }
  | { readonly kind: 'storage' }
  | { readonly kind: 'local'; readonly label: string }
  | { readonly kind: 'stored' }

export const STORAGE_ORIGIN: TransactionOrigin = Object.freeze({ kind: 'storage' })
export const STORED_ORIGIN: TransactionOrigin = Object.freeze({ kind: 'stored' })

export function localOrigin(label = 'local'): TransactionOrigin {
  return { kind: 'local', label }
}

export function isOrigin(value: unknown): value is TransactionOrigin {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['connection', 'storage', 'local', 'stored'].includes((value as { kind?: unknown }).kind as string)
  )
}
