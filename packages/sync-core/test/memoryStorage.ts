import * as Y from 'yjs'
import type { ComposeCompaction, RoomStorage } from '../src/storage.js'

/** In-memory RoomStorage for unit tests, with hooks to hold or fail calls. */
export class MemoryStorage implements RoomStorage {
  readonly logs = new Map<string, Uint8Array[]>()
  readonly appendCalls: { room: string; count: number }[] = []
  compactCalls = 0
  loadCalls = 0
  /** When set, appends wait for this promise (to observe persist-before-broadcast). */
  appendGate: Promise<void> | null = null
  loadGate: Promise<void> | null = null
  failAppends = 0
  failLoads = 0

  async loadRoom(room: string): Promise<Uint8Array[]> {
    this.loadCalls++
    if (this.loadGate) await this.loadGate
    await tick()
    if (this.failLoads > 0) {
      this.failLoads--
      throw new Error('disk on fire')
    }
    return [...(this.logs.get(room) ?? [])]
  }

  async appendUpdates(room: string, updates: Uint8Array[]): Promise<void> {
    this.appendCalls.push({ room, count: updates.length })
    if (this.appendGate) await this.appendGate
    await tick()
    if (this.failAppends > 0) {
      this.failAppends--
      throw new Error('disk full')
    }
    const log = this.logs.get(room) ?? []
    for (const u of updates) log.push(u.slice())
    this.logs.set(room, log)
  }

  async compactRoom(room: string, compose: ComposeCompaction = (entries) => Y.mergeUpdates([...entries])): Promise<{ updatesBefore: number; bytesAfter: number }> {
    this.compactCalls++
    const log = this.logs.get(room) ?? []
    const n = log.length
    if (n <= 1) return { updatesBefore: n, bytesAfter: log[0]?.length ?? 0 }
    await tick()
    const merged = await compose(log.slice(0, n))
    // appends that happened during the await stay behind the merged entry
    const current = this.logs.get(room) ?? []
    this.logs.set(room, [merged, ...current.slice(n)])
    return { updatesBefore: n, bytesAfter: merged.length }
  }

  async countUpdates(room: string): Promise<number> {
    return this.logs.get(room)?.length ?? 0
  }

  /** The room's stored content as a fresh doc. */
  docOf(room: string): Y.Doc {
    const doc = new Y.Doc()
    for (const u of this.logs.get(room) ?? []) Y.applyUpdate(doc, u)
    return doc
  }
}

export const tick = () => new Promise<void>((r) => setImmediate(r))

export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((r) => (open = r))
  return { promise, open }
}
