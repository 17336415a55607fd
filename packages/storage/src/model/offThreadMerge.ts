/**
 * [1.3] A compaction's `Y.mergeUpdates`, computed in the storage worker (storageWorker.ts): on
 * the main thread a large board's merge froze every room of the instance.
 */
import * as Y from 'yjs'
import { storageWorker } from '../storageWorker'

/** `Y.mergeUpdates(updates)`, off the main thread (on it only if the worker failed). */
export async function mergeOffThread(updates: readonly Uint8Array[]): Promise<Uint8Array> {
  if (updates.length <= 1) return Y.mergeUpdates([...updates])
  try {
    // one buffer, handed over: the rows may be views into buffers the driver shares (a clone of
    // such a view copies the whole buffer under it)
    let total = 0
    const ends = updates.map((u) => (total += u.byteLength))
    const packed = new Uint8Array(total)
    updates.forEach((u, i) => packed.set(u, i === 0 ? 0 : ends[i - 1]))
    return (await storageWorker.run({ kind: 'merge', packed, ends }, [packed.buffer])) as Uint8Array
  } catch {
    // a malformed entry throws here again: the compaction fails and the log stays as it was
    return Y.mergeUpdates([...updates])
  }
}
