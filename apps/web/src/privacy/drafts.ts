/**
 * Private mode in the browser (issue 10). While the board's `session.reveal.mode` is 'private', a
 * participant's new shapes get `meta.private` and are bound to their own draft room
 * (`<room>~draft~<participantId>`, only their connection may open it) instead of the board doc:
 * their text never reaches anyone else's browser. The facilitator's reveal is done by the server,
 * which moves the drafts into the board; the draft binding then removes the private copies and the
 * board binding brings the revealed notes.
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { syncProtocols } from '@copboard/sync-core/tokenProtocol'
import { PARTICIPANT_SECRET_PARAM } from '../board/participant'
import type { Editor, RecordsDiff, TLRecord, TLShape, TLStore } from 'tldraw'
import { bindStoreToDoc, draftRoomName, getSessionMap, isPrivateRecord, isPrivateShape, readRevealState, type BoardBinding, type RevealState } from '@copboard/board'
import { ChangeListeners } from '../board/changeListeners'


export class PrivateDrafts {
  reveal: RevealState
  /** Own private shapes in the store (drafts not yet revealed). */
  privateCount = 0
  /** Set when the board's reveal round went up while this client watched. */
  lastRevealSeen: number | null = null
  private provider: WebsocketProvider | null = null
  private draftDoc: Y.Doc | null = null
  private binding: BoardBinding | null = null
  private readonly listeners = new ChangeListeners()
  private readonly disposers: (() => void)[] = []
  private participantId: string | null = null

  constructor(
    board: Y.Doc,
    private readonly store: TLStore,
    private readonly opts: { room: string; token: string | null; secret: string; participantId: Promise<string | null>; canWritePrivately: () => boolean },
  ) {
    this.reveal = readRevealState(board)
    const session = getSessionMap(board)
    const onSession = () => {
      const next = readRevealState(board)
      if (next.round > this.reveal.round) this.lastRevealSeen = next.round
      this.reveal = next
      this.update()
    }
    session.observeDeep(onSession)
    this.disposers.push(() => session.unobserveDeep(onSession))
    for (const r of store.allRecords()) if (isPrivateShape(r)) this.privateCount++
    // counted from each change (not by walking every record: a board holds thousands)
    const stop = store.listen(({ changes }) => this.countPrivate(changes), { scope: 'document' })
    this.disposers.push(stop)
    void opts.participantId.then((id) => {
      this.participantId = id
      this.update()
    })
  }

  /** Marks a participant's new shapes private while private mode is on. */
  install(editor: Editor): () => void {
    return editor.sideEffects.registerBeforeCreateHandler('shape', (shape: TLShape, source) => {
      if (source !== 'user' || this.reveal.mode !== 'private' || !this.opts.canWritePrivately() || !this.participantId) return shape
      return { ...shape, meta: { ...shape.meta, private: true } } as TLShape
    })
  }

  /** True when this client writes privately right now. */
  get writingPrivately(): boolean {
    return this.reveal.mode === 'private' && this.opts.canWritePrivately() && !!this.participantId
  }

  /** True where the browser cannot derive its participant id (no WebCrypto): private mode cannot work. */
  get unavailable(): boolean {
    return this.reveal.mode === 'private' && this.opts.canWritePrivately() && this.participantId === null
  }

  private countPrivate(changes: RecordsDiff<TLRecord>) {
    let n = this.privateCount
    for (const r of Object.values(changes.added)) if (isPrivateShape(r)) n++
    for (const r of Object.values(changes.removed)) if (isPrivateShape(r)) n--
    for (const [from, to] of Object.values(changes.updated)) n += Number(isPrivateShape(to)) - Number(isPrivateShape(from))
    if (n !== this.privateCount) {
      this.privateCount = n
      this.update()
    } else if (n > 0 && !this.provider) this.update()
  }

  /** The draft room is open while private mode is on or private shapes are left (a late reveal). */
  private update() {
    const want = !!this.participantId && this.opts.canWritePrivately() && (this.reveal.mode === 'private' || this.privateCount > 0)
    if (want && !this.provider) this.open()
    this.emit()
  }

  private open() {
    const doc = new Y.Doc()
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
    this.draftDoc = doc
    this.provider = new WebsocketProvider(wsBase, draftRoomName(this.opts.room, this.participantId!), doc, {
      protocols: syncProtocols(this.opts.token), // the token as a subprotocol (sync-core SPEC §14)
      params: { [PARTICIPANT_SECRET_PARAM]: this.opts.secret },
      maxBackoffTime: 10_000,
      disableBc: true,
    })
    // the draft carries private shapes and bindings to them; the board binding carries the rest
    this.binding = bindStoreToDoc(this.store, doc, { include: (r) => isPrivateRecord(r, (id) => this.store.get(id as never) as never) })
  }

  subscribe(listener: () => void) {
    return this.listeners.subscribe(listener)
  }
  private emit() {
    this.listeners.emit()
  }

  destroy() {
    for (const d of this.disposers) d()
    this.binding?.unbind()
    this.provider?.destroy()
    this.draftDoc?.destroy()
  }
}
