/** The RoomManager set-up the room-*.test.ts files share: a manager on memory storage with a short idle grace. */
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { RoomManager, encodeSyncUpdate } from '../src/index.js'
import { CapturingLogger } from './capturingLogger.js'
import { MemoryStorage } from './memoryStorage.js'
import { TestClient } from './client.js'

const managers: RoomManager[] = []
/** every client `setup` made (a test may destroy some early or add its own) */
export const clients: TestClient[] = []

export function setup(opts: Partial<ConstructorParameters<typeof RoomManager>[0]> = {}) {
  const storage = (opts.storage as MemoryStorage | undefined) ?? new MemoryStorage()
  const logger = new CapturingLogger()
  const manager = new RoomManager({ logger, roomIdleMs: 50, ...opts, storage })
  managers.push(manager)
  const client = (room = 'r1', o: ConstructorParameters<typeof TestClient>[2] = {}) => {
    const c = new TestClient(manager, room, o)
    clients.push(c)
    return c
  }
  return { storage, logger, manager, client }
}

/** afterEach: destroys the clients and closes the managers `setup` made. */
export async function closeRooms() {
  for (const c of clients.splice(0)) c.destroy()
  await Promise.all(managers.splice(0).map((m) => m.close()))
}

export function updateFrame(doc: Y.Doc, edit: (d: Y.Doc) => void): Uint8Array {
  let update!: Uint8Array
  const h = (u: Uint8Array) => (update = u)
  doc.on('update', h)
  edit(doc)
  doc.off('update', h)
  return encodeSyncUpdate(update)
}

/**
 * A raw awareness frame (as any client may send it): each entry's `json` verbatim, else its
 * `state` as JSON; `count` may lie about the number of entries.
 */
export function awarenessFrame(entries: { id: number; clock: number; state?: unknown; json?: string }[], count = entries.length): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, count)
  for (const en of entries) {
    encoding.writeVarUint(inner, en.id)
    encoding.writeVarUint(inner, en.clock)
    encoding.writeVarString(inner, en.json ?? JSON.stringify(en.state))
  }
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, 1)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}
