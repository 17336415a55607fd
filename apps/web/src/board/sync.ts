/**
 * One board connection: Y.Doc + IndexedDB cache + y-websocket provider + the tldraw store bound
 * with @copboard/board, and presence (awareness <-> tldraw instance_presence records).
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence, storeState } from 'y-indexeddb'
import { atom, createTLStore, defaultBindingUtils, defaultShapeUtils, type TLInstancePresence, type TLStore, type TLUser } from 'tldraw'
import { bindStoreToDoc, getRecordsMap, isPrivateRecord, pacedScheduler, type BoardBinding, type RecordFields } from '@copboard/board'
import { syncProtocols } from '@copboard/sync-core/tokenProtocol'
import type { Perspective } from '../join/profile'
import { isTextLive } from './noteText'
import { PARTICIPANT_SECRET_PARAM, participantSecret } from './participant'
import { syncPresence, type PeerInfo } from './presence'
import { ChangeListeners } from './changeListeners'
import { insertedCount, skipEncodingOfBigUpdates } from './cacheWrites'
import { cacheMarked, markCached } from './cacheMark'
import { takeEarlyState } from './earlyState'

export type { PeerInfo }

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline'

export interface UserInfo {
  name: string
  color: string
  /** null: the facilitator and viewers take part without a perspective */
  perspective: Perspective | null
  role: string
}


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
const MESSAGE_QUERY_AWARENESS = 3
/** Heartbeat: a socket quiet for this long is probed with a query-awareness round trip… */
const QUIET_MS = 2000
/** …and declared gone when the answer does not come within this long (then reconnected). */
const PROBE_TIMEOUT_MS = 2500
const HEARTBEAT_MS = 500
/** A server update adding this many items (a board of some hundred notes) is cached later, whole (cacheWrites.ts). */
const BIG_UPDATE_ITEMS = 20_000
/**
 * A first visit waits this long for the server to answer the early read of the board's state
 * (earlyState.ts), and then this long for the state itself, before its socket opens without it.
 */
const EARLY_STATE_ANSWER_MS = 1500
const EARLY_STATE_BODY_MS = 15_000

export class BoardConnection {
  readonly doc: Y.Doc
  readonly store: TLStore
  readonly provider: WebsocketProvider
  /** The IndexedDB cache (on a first visit opened only once the board has rendered). */
  private idb: IndexeddbPersistence | null
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
  /** The board has been painted once (BoardPage calls `markRendered`). */
  private readonly rendered: Promise<void>
  markRendered: () => void = () => {}
  /** ms timestamps for the render bench */
  readonly timings: Record<string, number> = { start: performance.now() }
  private readonly listeners = new ChangeListeners()
  private destroyed = false
  private everConnected = false
  /** The heartbeat found the socket dead (cleared when a socket connects again). */
  private stale = false
  private probeSentAt = 0
  private lastBeat = Date.now()
  private disposers: (() => void)[] = []
  private readonly $user = atom<TLUser | null>('copboard.user', null)
  /** This browser's participant secret (board/participant.ts). */
  readonly participantSecret = participantSecret()
  /**
   * Rewrites the presence before it is announced (anonymous zones: no cursor or selection there,
   * templates/anonymous.ts). The server applies the same rule to what it relays.
   */
  presenceFilter: (presence: TLInstancePresence) => TLInstancePresence = (p) => p

  constructor(
    readonly room: string,
    readonly token: string | null,
    user: UserInfo,
  ) {
    this.store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    this.rendered = new Promise<void>((r) => (this.markRendered = r))
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
    const cacheable = typeof indexedDB !== 'undefined'
    const firstVisit = !cacheMarked(room)
    // a first visit: the board's state was read at start-up (earlyState.ts) into this doc
    const early = firstVisit ? takeEarlyState(room) : null
    this.doc = early?.doc ?? new Y.Doc()
    if (early) this.disposers.push(early.stop)
    // a first visit opens its cache once the board has rendered (cacheWholeDocLater): opening it
    // stores the whole doc (y-indexeddb encodes it then), and that belongs after the first render
    this.idb = cacheable && !firstVisit ? this.openCache() : null
    this.provider = new WebsocketProvider(wsBase, room, this.doc, {
      // the token travels as a subprotocol, never in the URL (proxies log URLs; sync-core SPEC §13)
      protocols: syncProtocols(this.token),
      // the participant secret identifies this person's own entries (packages/policy SPEC §6)
      params: { [PARTICIPANT_SECRET_PARAM]: this.participantSecret },
      maxBackoffTime: 10_000,
      // the socket opens once the cache or the early state is in the doc: the server then sends
      // only what the doc lacks (not the whole board again), and nothing is sent back to it
      connect: false,
      // tabs of one board meet at the server, the authority (a refused update stays in its tab);
      // a BroadcastChannel peer would also cost a full encode of the board on every connect
      disableBc: true,
    })
    this.interceptAuthMessages()
    this.setUser(user)

    const onStatus = ({ status }: { status: 'connected' | 'connecting' | 'disconnected' }) => {
      if (status === 'connected') {
        this.everConnected = true
        this.stale = false
        this.probeSentAt = 0
      }
      this.updateState()
    }
    this.provider.on('status', onStatus)
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.timings.synced ??= performance.now()
      this.emit()
    })
    const onOnline = () => {
      // back online: do not wait for y-websocket's backoff (up to 10 s)
      if (navigator.onLine && !this.provider.wsconnected && this.provider.ws === null) this.provider.connect()
      this.updateState()
    }
    addEventListener('online', onOnline)
    addEventListener('offline', onOnline)
    const heartbeat = setInterval(() => this.heartbeat(), HEARTBEAT_MS)
    // closing or hiding the tab: write every pending edit into the doc now, so it reaches the
    // socket and IndexedDB before the page goes (the scheduler would wait for a frame)
    const flushNow = () => this.binding?.flush()
    const onVisibility = () => document.visibilityState === 'hidden' && flushNow()
    addEventListener('pagehide', flushNow)
    addEventListener('beforeunload', flushNow)
    document.addEventListener('visibilitychange', onVisibility)
    this.disposers.push(() => {
      removeEventListener('online', onOnline)
      removeEventListener('offline', onOnline)
      clearInterval(heartbeat)
      removeEventListener('pagehide', flushNow)
      removeEventListener('beforeunload', flushNow)
      document.removeEventListener('visibilitychange', onVisibility)
    })

    // a first visit: what the server sent is cached whole once the board has rendered, and the
    // board is marked as cached for the next visit
    if (cacheable && firstVisit) this.cacheWholeDocLater()
    const cacheLoaded = this.idb ? Promise.race([this.idb.whenSynced, delay(1500)]) : early ? early.settle(EARLY_STATE_ANSWER_MS, EARLY_STATE_BODY_MS) : Promise.resolve()
    // while anyone listens to 'update', Yjs encodes every transaction once more for them: loading
    // the cache or the early state, that is the whole board. y-indexeddb skips what it loads
    // itself and the provider is not connected yet: both listen from when the doc is filled
    type UpdateListener = (update: Uint8Array, origin: unknown) => void
    const updateListeners = () =>
      [(this.idb as unknown as { _storeUpdate?: UpdateListener } | null)?._storeUpdate, (this.provider as unknown as { _updateHandler?: UpdateListener })._updateHandler].filter(
        (l): l is UpdateListener => !!l,
      )
    const quiet = updateListeners()
    for (const l of quiet) this.doc.off('update', l)
    if (cacheable) {
      this.disposers.push(
        skipEncodingOfBigUpdates(this.doc, {
          listeners: updateListeners,
          skip: (tr) => tr.origin === this.provider && insertedCount(tr) >= BIG_UPDATE_ITEMS,
          onSkipped: () => this.cacheWholeDocLater(),
        }),
      )
    }
    void cacheLoaded.then(() => {
      this.timings.cacheLoaded = performance.now()
      if (this.destroyed) return
      for (const l of quiet) this.doc.on('update', l)
      this.provider.connect()
    })
    this.ready = this.waitUntilReady(cacheLoaded).then(() => {
      this.timings.ready = performance.now()
      this.binding = bindStoreToDoc(this.store, this.doc, {
        isTextLive,
        // a burst of remote updates (5 people dragging) is one store transaction per frame, and
        // on a big board on a slow machine no more than half of the main thread (rule 13)
        remoteScheduler: pacedScheduler(),
        // private drafts (and bindings to them) live in the participant's draft room (privacy/drafts.ts)
        include: (r) => !isPrivateRecord(r, (id) => this.store.get(id as never) as never),
        // a big board renders the notes of the first view first; the others follow in chunks
        later: { when: outsideFirstView, after: Promise.race([this.rendered, delay(3000)]), onDone: () => (this.timings.allLoaded ??= performance.now()) },
        onSchemaStatus: (s) => {
          this.schemaReadonly = s === 'newer'
          this.emit()
        },
      })
      this.timings.bound = performance.now()
      this.startPresence()
    })
  }

  /**
   * Cache first (instant, offline): a board in the cache is shown at once, the server's changes
   * follow through the binding; without one, the server is awaited for at most `ms`.
   */
  private async waitUntilReady(cacheLoaded: Promise<unknown>, ms = 2500) {
    await cacheLoaded
    if (this.provider.synced || getRecordsMap(this.doc).size > 0) return
    await Promise.race([
      new Promise<void>((res) => {
        const on = (s: boolean) => s && (this.provider.off('sync', on), res())
        this.provider.on('sync', on)
      }),
      delay(ms),
    ])
  }

  /** The board's IndexedDB cache; once open, the board counts as cached for the next visit. */
  private openCache(): IndexeddbPersistence {
    const idb = new IndexeddbPersistence(`copboard:${this.room}`, this.doc)
    void idb.whenSynced.then(() => markCached(this.room)).catch(() => {})
    return idb
  }

  private cachePending = false
  /**
   * The whole doc into the IndexedDB cache, once the board has rendered and the page is idle. On a
   * first visit that opens the cache: y-indexeddb stores the whole doc when it opens.
   */
  private cacheWholeDocLater() {
    if (this.cachePending || typeof indexedDB === 'undefined') return
    this.cachePending = true
    void this.rendered.then(() => {
      const store = () => {
        this.cachePending = false
        if (this.destroyed) return
        const idb = this.idb
        if (!idb) {
          this.idb = this.openCache()
          return
        }
        void idb.whenSynced.then(() => (this.destroyed ? undefined : storeState(idb))).catch(() => {})
      }
      if (typeof requestIdleCallback === 'function') requestIdleCallback(store, { timeout: 1000 })
      else setTimeout(store, 0)
    })
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
    this.disposers.push(
      syncPresence(this.store, this.provider.awareness, this.$user, (p) => this.presenceFilter(p), (peers) => {
        this.peers = peers
        this.emit()
      }),
    )
  }

  /**
   * y-websocket notices a dead socket only after 30 s without messages. A socket quiet for
   * QUIET_MS gets a query-awareness (the server answers with the room's awareness); no answer
   * within PROBE_TIMEOUT_MS: offline, and the socket is closed so y-websocket reconnects.
   */
  private heartbeat() {
    const p = this.provider
    const now = Date.now()
    // a main thread busy for longer than a beat (opening a big board, a slow machine) has not
    // read the socket either: the probe's answer may be waiting in the queue, so it gets a new window
    const blocked = now - this.lastBeat > 4 * HEARTBEAT_MS
    this.lastBeat = now
    if (!p.wsconnected || !p.ws) {
      this.probeSentAt = 0
      return
    }
    if (blocked && this.probeSentAt) this.probeSentAt = now
    const quietFor = now - p.wsLastMessageReceived
    if (this.probeSentAt && p.wsLastMessageReceived >= this.probeSentAt) this.probeSentAt = 0
    if (this.probeSentAt && now - this.probeSentAt > PROBE_TIMEOUT_MS) {
      this.probeSentAt = 0
      this.stale = true
      this.updateState()
      p.ws.close()
      return
    }
    if (!this.probeSentAt && quietFor > QUIET_MS) {
      this.probeSentAt = now
      try {
        p.ws.send(new Uint8Array([MESSAGE_QUERY_AWARENESS]))
      } catch {
        /* closing: the status event follows */
      }
    }
  }

  private updateState() {
    if (this.provider.wsconnected && !this.probeSentAt) this.stale = false
    const s =
      (typeof navigator !== 'undefined' && navigator.onLine === false) || this.stale
        ? 'offline'
        : this.provider.wsconnected
          ? 'connected'
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

  subscribe(listener: () => void) {
    return this.listeners.subscribe(listener)
  }
  private emit() {
    this.listeners.emit()
  }

  destroy() {
    this.destroyed = true
    this.binding?.unbind()
    for (const d of this.disposers) d()
    this.provider.awareness.setLocalState(null)
    this.provider.destroy()
    this.idb?.destroy()
    this.doc.destroy()
  }
}

/**
 * Notes on a page far outside the first view (tldraw opens at the origin, zoom 1; a view's margin
 * around it): they may wait until the board has rendered.
 */
function outsideFirstView(f: RecordFields): boolean {
  if (f.typeName !== 'shape' || f.type !== 'note' || typeof f.parentId !== 'string' || !f.parentId.startsWith('page:')) return false
  if (typeof f.x !== 'number' || typeof f.y !== 'number') return false
  const w = innerWidth, h = innerHeight
  return f.x > 2 * w || f.y > 2 * h || f.x < -w - 400 || f.y < -h - 400
}

function delay(ms: number) {
  return new Promise<void>((r) => setTimeout(r, ms))
}
