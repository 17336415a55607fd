/**
 * One board connection: Y.Doc + IndexedDB cache + y-websocket provider + the tldraw store bound
 * with @copboard/board, and presence (awareness <-> tldraw instance_presence records). The cache
 * (boardCache.ts), the connection state's heartbeat (connectionHealth.ts) and the server's
 * read-only and refusal messages (authMessages.ts) live beside it; this file wires them together.
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { atom, createTLStore, defaultBindingUtils, defaultShapeUtils, type TLInstancePresence, type TLStore, type TLUser } from 'tldraw'
import { bindStoreToDoc, getRecordsMap, isPrivateRecord, pacedScheduler, type BoardBinding, type RecordFields } from '@copboard/board'
import { syncProtocols } from '@copboard/sync-core/tokenProtocol'
import type { Perspective } from '../join/profile'
import { isTextLive } from './noteText'
import { PARTICIPANT_SECRET_PARAM, participantSecret } from './participant'
import { syncPresence, type PeerInfo } from './presence'
import { ChangeListeners } from './changeListeners'
import { insertedCount, skipEncodingOfBigUpdates } from './cacheWrites'
import { cacheMarked } from './cacheMark'
import { takeEarlyState } from './earlyState'
import { BoardCache } from './boardCache'
import { ConnectionHealth, type ConnectionState } from './connectionHealth'
import { interceptAuthMessages, type PolicyRefusal } from './authMessages'

export type { PeerInfo, ConnectionState, PolicyRefusal }

export interface UserInfo {
  name: string
  color: string
  /** null: the facilitator and viewers take part without a perspective */
  perspective: Perspective | null
  role: string
}

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
  private readonly cache: BoardCache
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
    this.cache = new BoardCache(room, this.doc, this.rendered, cacheable && !firstVisit)
    this.provider = new WebsocketProvider(wsBase, room, this.doc, {
      // the token travels as a subprotocol, never in the URL (proxies log URLs; sync-core SPEC §14)
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
    interceptAuthMessages(this.provider, {
      onPolicyRefusal: (reason) => {
        this.refusal = { reason, seq: (this.refusal?.seq ?? 0) + 1 }
        this.emit()
      },
      onReadOnly: () => {
        this.serverReadonly = true
        this.emit()
      },
    })
    this.setUser(user)

    const health = new ConnectionHealth(this.provider, (s) => {
      this.state = s
      this.emit()
    })
    const stopHealth = health.start()
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.timings.synced ??= performance.now()
      this.emit()
    })
    // closing or hiding the tab: write every pending edit into the doc now, so it reaches the
    // socket and IndexedDB before the page goes (the scheduler would wait for a frame)
    const flushNow = () => this.binding?.flush()
    const onVisibility = () => document.visibilityState === 'hidden' && flushNow()
    addEventListener('pagehide', flushNow)
    addEventListener('beforeunload', flushNow)
    document.addEventListener('visibilitychange', onVisibility)
    this.disposers.push(() => {
      stopHealth()
      removeEventListener('pagehide', flushNow)
      removeEventListener('beforeunload', flushNow)
      document.removeEventListener('visibilitychange', onVisibility)
    })

    // a first visit: what the server sent is cached whole once the board has rendered, and the
    // board is marked as cached for the next visit
    if (cacheable && firstVisit) this.cache.cacheWholeDocLater()
    const cacheSynced = this.cache.whenSynced
    const cacheLoaded = cacheSynced ? Promise.race([cacheSynced, delay(1500)]) : early ? early.settle(EARLY_STATE_ANSWER_MS, EARLY_STATE_BODY_MS) : Promise.resolve()
    // while anyone listens to 'update', Yjs encodes every transaction once more for them: loading
    // the cache or the early state, that is the whole board. y-indexeddb skips what it loads
    // itself and the provider is not connected yet: both listen from when the doc is filled
    type UpdateListener = (update: Uint8Array, origin: unknown) => void
    const updateListeners = () =>
      [this.cache.updateListener, (this.provider as unknown as { _updateHandler?: UpdateListener })._updateHandler].filter(
        (l): l is UpdateListener => !!l,
      )
    const quiet = updateListeners()
    for (const l of quiet) this.doc.off('update', l)
    if (cacheable) {
      this.disposers.push(
        skipEncodingOfBigUpdates(this.doc, {
          listeners: updateListeners,
          skip: (tr) => tr.origin === this.provider && insertedCount(tr) >= BIG_UPDATE_ITEMS,
          onSkipped: () => this.cache.cacheWholeDocLater(),
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
      // left before it was ready (a quick exit, React's double mount): nothing to bind or announce
      if (this.destroyed) return
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
    this.cache.destroy()
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
