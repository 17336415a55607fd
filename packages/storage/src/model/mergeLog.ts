/**
 * [1.3] A compaction's `Y.mergeUpdates`: a large log is merged in the storage worker
 * (storageWorker.ts), since on the main thread a 1 MB board's merge froze every room of the
 * instance for 0.2–1 s. A small one is merged here: a few ms with this thread's warm JIT, where
 * the worker's cold one (and its start) cost more CPU than the merge (bench/hotpath.ts 1x200,
 * 2 compactions of ~500 entries: 4.0 vs 3.3 µs per delivery).
 */
import * as Y from 'yjs'
import { storageWorker } from '../storageWorker'

/** Logs of at least this many bytes are merged off the main thread. */
export const OFF_THREAD_FROM_BYTES = 256 * 1024

/** `Y.mergeUpdates(updates)`; off the main thread for a large log (on it if the worker failed). */
export async function mergeLog(updates: readonly Uint8Array[]): Promise<Uint8Array> {
  let total = 0
  const ends = updates.map((u) => (total += u.byteLength))
  if (updates.length <= 1 || total < OFF_THREAD_FROM_BYTES) return Y.mergeUpdates([...updates])
  try {
    // one buffer, handed over: the rows may be views into buffers the driver shares (a clone of
    // such a view copies the whole buffer under it)
    const packed = new Uint8Array(total)
    updates.forEach((u, i) => packed.set(u, i === 0 ? 0 : ends[i - 1]))
    return (await storageWorker.run({ kind: 'merge', packed, ends }, [packed.buffer])) as Uint8Array
  } catch {
    // a malformed entry throws here again: the compaction fails and the log stays as it was
    return Y.mergeUpdates([...updates])
  }
}
