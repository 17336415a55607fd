/**
 * A first visit's board state, read while the board's scripts load (issue 12). Without a cache
 * the board used to open its socket only once ~2 MB of scripts had loaded and run, then wait for
 * the server's full state and apply it: on a 2,000-note board half a second or more on the path
 * to the first render. `readStateEarly` (board/early.ts, at start-up) asks the server for the
 * state over plain HTTP (`GET /sync/:room`, the socket's admission, apps/server API doc) and
 * applies it to a Y.Doc as soon as Yjs (its own small chunk) is there, while the main thread
 * would otherwise wait for the big chunk to be parsed. The board then adopts that doc
 * (`takeEarlyState`), and its socket brings only what changed since.
 */
import type * as Y from 'yjs'

/** The transaction origin of the early state (neither the provider's nor the cache's). */
export const EARLY_STATE_ORIGIN = 'copboard:early-state'

export interface EarlyState {
  /** The doc the state goes into (the board adopts it). */
  readonly doc: Y.Doc
  /**
   * Resolves when the read is over (applied, refused or failed), or when the server has not
   * answered within `answerMs`, or its answer has not arrived within `bodyMs` more (a big board
   * on a slow line); from then on nothing is applied to the doc (the socket takes over).
   */
  settle(answerMs: number, bodyMs: number): Promise<void>
  /** Nothing more is applied and the read is aborted (the board closed). */
  stop(): void
}

/** A read no board took within this long is dropped (the doc holds a whole board). */
const UNTAKEN_MS = 60_000

interface Read {
  room: string
  doc: Y.Doc | null
  settled: Promise<void>
  /** The server answered (headers in; the body may still be on its way). */
  answered: boolean
  /** Aborted: the board stopped waiting or closed; nothing more is applied. */
  abort: AbortController
}
let pending: Read | null = null

export function readStateEarly(room: string, token: string): void {
  pending?.abort.abort()
  const abort = new AbortController()
  const read: Read = { room, doc: null, settled: Promise.resolve(), answered: false, abort }
  const bytes = fetch(`/sync/${encodeURIComponent(room)}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal }).then((r) => {
    read.answered = true
    // a refusal (401/403/404), a moved or unavailable board: the socket says why, as before
    return r.ok ? r.arrayBuffer() : null
  })
  read.settled = import('yjs')
    .then((Yjs) => {
      read.doc = new Yjs.Doc()
      return bytes.then((b) => {
        if (b && !abort.signal.aborted && read.doc) Yjs.applyUpdate(read.doc, new Uint8Array(b), EARLY_STATE_ORIGIN)
      })
    })
    .catch(() => {}) // offline, aborted, a broken body: the socket brings the board
  pending = read
  // e.g. the access check failed and no board opened: the tab does not keep the board
  setTimeout(() => {
    if (pending !== read) return
    pending = null
    stopRead(read)
  }, UNTAKEN_MS)
}

function stopRead(read: Read): void {
  read.abort.abort()
}

/** The early read of `room`, for the board to adopt (once); null when there is none (yet). */
export function takeEarlyState(room: string): EarlyState | null {
  const read = pending
  pending = null
  if (!read) return null
  const stop = () => stopRead(read)
  if (read.room !== room || !read.doc) {
    stop()
    return null
  }
  return {
    doc: read.doc,
    settle: (answerMs, bodyMs) =>
      new Promise<void>((resolve) => {
        let timer: ReturnType<typeof setTimeout>
        const done = () => {
          clearTimeout(timer)
          stop()
          resolve()
        }
        void read.settled.then(done)
        timer = setTimeout(() => (read.answered ? (timer = setTimeout(done, bodyMs)) : done()), answerMs)
      }),
    stop,
  }
}
