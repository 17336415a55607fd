import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import type { RoomManager, ConnectOptions } from '../src/manager.js'
import type { SyncConnection } from '../src/connection.js'
import type { SyncSocket } from '../src/socket.js'
import { tick } from './memoryStorage.js'

/** The server side of an in-memory socket pair; frames reach the client on a microtask. */
export class MemorySocket implements SyncSocket {
  open = true
  bufferedAmount = 0
  closeCode: number | null = null
  closeReason = ''
  readonly sent: Uint8Array[] = []
  conn: SyncConnection | null = null
  constructor(private readonly deliver: (frame: Uint8Array) => void) {}
  isOpen() {
    return this.open
  }
  send(data: Uint8Array) {
    if (!this.open) throw new Error('socket closed')
    this.sent.push(data)
    queueMicrotask(() => this.deliver(data))
  }
  close(code: number, reason: string) {
    if (!this.open) return
    this.open = false
    this.closeCode = code
    this.closeReason = reason
    // like ws: the close event arrives later
    queueMicrotask(() => this.conn?.closed())
  }
}

/**
 * A MemorySocket that can stop reading (§7.3): while paused, what the client sends waits in
 * `inbox` (like bytes in a TCP window); `resume` delivers it in order from a later macrotask.
 */
export class PausableMemorySocket extends MemorySocket {
  paused = false
  pauseCalls = 0
  resumeCalls = 0
  readonly inbox: Uint8Array[] = []
  pause() {
    this.paused = true
    this.pauseCalls++
  }
  resume() {
    this.paused = false
    this.resumeCalls++
    setImmediate(() => {
      while (!this.paused && this.inbox.length > 0 && this.open) this.conn?.receive(this.inbox.shift()!)
    })
  }
}

/** A minimal y-websocket client (same message handling as the stock provider). */
export class TestClient {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly socket: MemorySocket | PausableMemorySocket
  readonly conn: SyncConnection
  readonly received: Uint8Array[] = []
  readOnlyNotices: string[] = []
  synced = false

  /** `initialState`: the doc starts with it (a client that read the room's state before connecting, §1.7). */
  constructor(manager: RoomManager, room: string, opts: ConnectOptions & { name?: string; pausable?: boolean; initialState?: Uint8Array } = {}) {
    this.awareness.setLocalState(opts.name ? { name: opts.name } : null)
    if (opts.initialState) Y.applyUpdate(this.doc, opts.initialState, this)
    this.socket = opts.pausable ? new PausableMemorySocket((f) => this.onFrame(f)) : new MemorySocket((f) => this.onFrame(f))
    this.conn = manager.connect(this.socket, room, opts)
    this.socket.conn = this.conn
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      syncProtocol.writeUpdate(e, update)
      this.sendRaw(encoding.toUint8Array(e))
    })
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin === this) return
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint8Array(
        e,
        awarenessProtocol.encodeAwarenessUpdate(this.awareness, added.concat(updated, removed)),
      )
      this.sendRaw(encoding.toUint8Array(e))
    })
    // like the provider's onopen: step 1, then own awareness
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 0)
    syncProtocol.writeSyncStep1(e, this.doc)
    this.sendRaw(encoding.toUint8Array(e))
    if (this.awareness.getLocalState() !== null) {
      const a = encoding.createEncoder()
      encoding.writeVarUint(a, 1)
      encoding.writeVarUint8Array(a, awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]))
      this.sendRaw(encoding.toUint8Array(a))
    }
  }

  sendRaw(frame: Uint8Array, isBinary = true) {
    if (!this.socket.open) return
    const s = this.socket
    if (s instanceof PausableMemorySocket && (s.paused || s.inbox.length > 0)) s.inbox.push(frame)
    else this.conn.receive(frame, isBinary)
  }

  private onFrame(frame: Uint8Array) {
    this.received.push(frame)
    const d = decoding.createDecoder(frame)
    const type = decoding.readVarUint(d)
    if (type === 0) {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 0)
      const sub = syncProtocol.readSyncMessage(d, e, this.doc, this)
      if (sub === syncProtocol.messageYjsSyncStep2) this.synced = true
      if (encoding.length(e) > 1) this.sendRaw(encoding.toUint8Array(e))
    } else if (type === 1) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(d), this)
    } else if (type === 2) {
      decoding.readVarUint(d)
      this.readOnlyNotices.push(decoding.readVarString(d))
    }
  }

  /** Simulates the transport closing (client went away). */
  disconnect() {
    this.socket.open = false
    this.conn.closed()
  }

  destroy() {
    this.disconnect()
    this.awareness.destroy()
    this.doc.destroy()
  }

  text(): string {
    return this.doc.getText('t').toString()
  }
}

/** Lets microtasks, immediates and the storage stubs run until the system is quiet. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await tick()
}
