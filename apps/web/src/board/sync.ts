/**
 * One board connection: Y.Doc + IndexedDB cache + y-websocket provider + the tldraw store bound
 * with @copboard/board, and presence (awareness <-> tldraw instance_presence records).
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import {
  atom,
  createPresenceStateDerivation,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  InstancePresenceRecordType,
  react,
  type TLInstancePresence,
  type TLStore,
  type TLUser,
} from 'tldraw'
import { bindStoreToDoc, type BoardBinding } from '@copboard/board'
import { syncProtocols } from '@copboard/sync-core/tokenProtocol'
import type { Perspective } from '../join/profile'
import { PARTICIPANT_SECRET_PARAM, participantSecret } from './participant'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface PeerInfo {
  clientId: number
  name: string
  color: string
  perspective: Perspective | null
  role?: string
  self: boolean
}

export interface UserInfo {
  name: string
  color: string
  perspective: Perspective
  role: string
}

type Listener = () => void

/** Read-only reason sent by the server to viewers (sync-core SPEC §6). */
const READ_ONLY_REASON = 'read-only'
/** Prefix of the reason when the board policy refused an update (sync-core SPEC §12.3). */
const POLICY_REASON_PREFIX = 'policy:'

/** The server refused one of this client's updates and reverted it (the board shows the server's state). */
export interface PolicyRefusal {
  reason: string
  /** Increases with every refusal (a repeat shows the notice again). */
  seq: number
}
const MESSAGE_AUTH = 2

export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly store: TLStore
  readonly provider: WebsocketProvider
  readonly idb: IndexeddbPersistence | null
  binding: BoardBinding | null = null
  state: ConnectionState = 'connecting'
  /** True when the server said this connection is read-only, or the doc's schema is newer than ours. */
  serverReadonly = false
  schemaReadonly = false
  peers: PeerInfo[] = []
  /** The last update the server refused (board policy), null when none. */
  refusal: PolicyRefusal | null = null
  /** Resolves when the first render can happen (cache loaded and server synced, or timed out). */
  readonly ready: Promise<void>
  /** ms timestamps for the render bench */
  readonly timings: Record<string, number> = { start: performance.now() }
  private listeners = new Set<Listener>()
  private everConnected = false
  private disposers: (() => void)[] = []
  private readonly $user = atom<TLUser | null>('copboard.user', null)

  constructor(
    readonly room: string,
    readonly token: string | null,
    user: UserInfo,
  ) {
    this.store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
    this.idb = typeof indexedDB === 'undefined' ? null : new IndexeddbPersistence(`copboard:${room}`, this.doc)
    this.provider = new WebsocketProvider(wsBase, room, this.doc, {
      // the token travels as a subprotocol, never in the URL (proxies log URLs; sync-core SPEC §13)
      protocols: syncProtocols(this.token),
      // the participant secret identifies this person's own entries (packages/policy SPEC §6)
      params: { [PARTICIPANT_SECRET_PARAM]: participantSecret() },
      maxBackoffTime: 10_000,
    })
    this.interceptAuthMessages()
    this.setUser(user)

    const onStatus = ({ status }: { status: 'connected' | 'connecting' | 'disconnected' }) => {
      if (status === 'connected') this.everConnected = true
      this.updateState()
    }
    this.provider.on('status', onStatus)
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.timings.synced ??= performance.now()
      this.emit()
    })
    const onOnline = () => this.updateState()
    addEventListener('online', onOnline)
    addEventListener('offline', onOnline)
    this.disposers.push(() => {
      removeEventListener('online', onOnline)
      removeEventListener('offline', onOnline)
    })

    this.ready = this.waitUntilReady().then(() => {
      this.timings.ready = performance.now()
      this.binding = bindStoreToDoc(this.store, this.doc, {
        onSchemaStatus: (s) => {
          this.schemaReadonly = s === 'newer'
          this.emit()
        },
      })
      this.timings.bound = performance.now()
      this.startPresence()
    })
  }

  /** Cache first (instant, offline), then the server for at most `ms` before showing the board. */
  private async waitUntilReady(ms = 2500) {
    if (this.idb) await Promise.race([this.idb.whenSynced, delay(1500)])
    this.timings.cacheLoaded = performance.now()
    if (this.provider.synced) return
    await Promise.race([
      new Promise<void>((res) => {
        const on = (s: boolean) => s && (this.provider.off('sync', on), res())
        this.provider.on('sync', on)
      }),
      delay(ms),
    ])
  }

  /** y-websocket only logs "permission denied"; sync-core uses it to announce read-only. */
  private interceptAuthMessages() {
    const handlers = (this.provider as unknown as { messageHandlers: ((...a: any[]) => void)[] }).messageHandlers
    const original = handlers[MESSAGE_AUTH]
    handlers[MESSAGE_AUTH] = (encoder: unknown, decoder: { arr: Uint8Array; pos: number }, ...rest: unknown[]) => {
      try {
        const bytes = decoder.arr.subarray(decoder.pos)
        // [subtype 0 = permission denied][varString reason]
        const reason = bytes[0] === 0 ? new TextDecoder().decode(bytes.subarray(2)) : ''
        if (reason.startsWith(POLICY_REASON_PREFIX)) {
          // the server reverted the change; its update brings the board back to the server's state
          this.refusal = { reason: reason.slice(POLICY_REASON_PREFIX.length), seq: (this.refusal?.seq ?? 0) + 1 }
          this.emit()
          decoder.pos = decoder.arr.length
          return
        }
        if (reason.includes(READ_ONLY_REASON)) {
          this.serverReadonly = true
          this.emit()
          decoder.pos = decoder.arr.length
          return
        }
      } catch {
        /* fall through */
      }
      original?.(encoder, decoder, ...rest)
    }
  }

  setUser(user: UserInfo) {
    const aw = this.provider.awareness
    aw.setLocalStateField('user', { name: user.name, color: user.color, perspective: user.perspective, role: user.role })
    this.$user.set({
      id: `user:${this.doc.clientID}`,
      typeName: 'user',
      name: user.name,
      color: user.color,
      imageUrl: '',
      meta: {},
    } as TLUser)
  }

  private startPresence() {
    const aw = this.provider.awareness
    const presenceId = InstancePresenceRecordType.createId(String(this.doc.clientID))
    const $presence = createPresenceStateDerivation(this.$user, { instanceId: presenceId })(this.store)
    let frame = 0
    this.disposers.push(
      react('copboard presence -> awareness', () => {
        const p = $presence.get()
        if (frame) return
        frame = requestAnimationFrame(() => {
          frame = 0
          aw.setLocalStateField('presence', $presence.get() ?? null)
        })
        void p
      }),
    )
    const sync = () => {
      const toPut: TLInstancePresence[] = []
      const seen = new Set<string>()
      const peers: PeerInfo[] = []
      aw.getStates().forEach((state, clientId) => {
        const u = state.user as { name?: string; color?: string; perspective?: Perspective; role?: string } | undefined
        if (u?.name) peers.push({ clientId, name: u.name, color: u.color ?? '#888', perspective: u.perspective ?? null, role: u.role, self: clientId === aw.clientID })
        if (clientId === aw.clientID || !state.presence) return
        const id = InstancePresenceRecordType.createId(String(clientId))
        seen.add(id)
        toPut.push({ ...(state.presence as TLInstancePresence), id, userName: u?.name ?? '', color: u?.color ?? '#888' })
      })
      const stale = this.store
        .query.records('instance_presence')
        .get()
        .filter((r) => !seen.has(r.id))
        .map((r) => r.id)
      this.store.mergeRemoteChanges(() => {
        if (stale.length) this.store.remove(stale)
        for (const p of toPut) {
          try {
            this.store.put([p])
          } catch {
            /* a peer's malformed presence is ignored */
          }
        }
      })
      peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name))
      this.peers = peers
      this.emit()
    }
    aw.on('change', sync)
    this.disposers.push(() => aw.off('change', sync))
    sync()
  }

  private updateState() {
    const s = this.provider.wsconnected
      ? 'connected'
      : typeof navigator !== 'undefined' && navigator.onLine === false
        ? 'offline'
        : !this.everConnected
          ? this.provider.wsUnsuccessfulReconnects > 2
            ? 'offline'
            : 'connecting'
          : this.provider.wsUnsuccessfulReconnects > 3
            ? 'offline'
            : 'reconnecting'
    if (s !== this.state) {
      this.state = s
      this.emit()
    }
  }

  subscribe(l: Listener) {
    this.listeners.add(l)
    return () => void this.listeners.delete(l)
  }
  private emit() {
    for (const l of this.listeners) l()
  }

  destroy() {
    this.binding?.unbind()
    for (const d of this.disposers) d()
    this.provider.awareness.setLocalState(null)
    this.provider.destroy()
    this.idb?.destroy()
    this.doc.destroy()
  }
}

function delay(ms: number) {
  return new Promise<void>((r) => setTimeout(r, ms))
}
