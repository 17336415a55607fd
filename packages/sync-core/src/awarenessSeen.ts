/**
 * §4.4 The awareness-seen hook: tells the application which awareness states a room has seen
 * (e.g. the archive records who took part in a session, including people who only watched).
 *
 * Off the hot path: the room's awareness `change` event (content changes only, not the 15 s
 * renewals) only records the changed client ids with a reference to their latest state; the
 * hook runs at most once per `intervalMs` per room from a timer (coalesced), and synchronously
 * on `flush` (before `onRoomIdle`, before a room unloads, on shutdown, or when the application
 * asks). A client that joined and left within one interval is still reported. The hook's errors
 * (thrown or rejected) are logged (at most one line per 10 s) and never reach the room.
 */
import type { Logger } from './logger.js'
import { errorMessage } from './logger.js'
import { SyncConnection } from './connection.js'
import type { Room } from './room.js'

export interface AwarenessSeenEntry {
  clientId: number
  /** The client's latest awareness state (as decoded; treat as read-only and untrusted). */
  state: Readonly<Record<string, unknown>>
  /** The state came from a read-only (viewer) connection. */
  readOnly: boolean
  /** `ConnectOptions.info` of the connection that announced it (e.g. its authorised role). */
  info?: Readonly<Record<string, unknown>>
}

export interface AwarenessSeen {
  /** When the batch was handed over (ms since epoch). */
  at: number
  /** Client ids whose state was added or changed since the previous call, latest state each. */
  states: AwarenessSeenEntry[]
  /** Client ids whose state was removed (left or timed out) since the previous call. */
  removed: number[]
  /** New client ids not recorded because one interval saw more than `maxPending` of them. */
  dropped: number
}

export type AwarenessSeenHook = (room: string, seen: AwarenessSeen) => unknown

interface Pending {
  states: Map<number, AwarenessSeenEntry>
  removed: Set<number>
  dropped: number
  timer: ReturnType<typeof setTimeout> | null
  listener: (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void
}

const ERROR_LOG_INTERVAL_MS = 10_000

export class AwarenessSeenTap {
  private readonly rooms = new Map<Room, Pending>()
  private lastErrorLog = 0

  constructor(
    private readonly hook: AwarenessSeenHook,
    private readonly intervalMs: number,
    private readonly maxPending: number,
    private readonly logger: Logger,
  ) {}

  /** Starts watching a freshly created room. */
  watch(room: Room): void {
    if (this.rooms.has(room)) return
    const p: Pending = {
      states: new Map(),
      removed: new Set(),
      dropped: 0,
      timer: null,
      listener: ({ added, updated, removed }, origin) => {
        const states = room.awareness.getStates()
        const conn = origin instanceof SyncConnection ? origin : null
        for (const ids of [added, updated]) {
          for (const clientId of ids) {
            const state = states.get(clientId)
            if (!state) continue
            if (!p.states.has(clientId) && p.states.size >= this.maxPending) {
              p.dropped++
              continue
            }
            p.states.set(clientId, { clientId, state, readOnly: conn?.readOnly ?? false, info: conn?.info })
          }
        }
        for (const clientId of removed) p.removed.add(clientId)
        if (!p.timer) {
          p.timer = setTimeout(() => {
            p.timer = null
            this.flush(room)
          }, this.intervalMs)
          p.timer.unref?.()
        }
      },
    }
    this.rooms.set(room, p)
    room.awareness.on('change', p.listener)
  }

  /** Hands what was seen so far to the hook now (no call when nothing is pending). */
  flush(room: Room): void {
    const p = this.rooms.get(room)
    if (!p) return
    if (p.timer) clearTimeout(p.timer)
    p.timer = null
    if (p.states.size === 0 && p.removed.size === 0 && p.dropped === 0) return
    const seen: AwarenessSeen = { at: Date.now(), states: [...p.states.values()], removed: [...p.removed], dropped: p.dropped }
    p.states = new Map()
    p.removed = new Set()
    p.dropped = 0
    try {
      const res = this.hook(room.name, seen)
      if (res && typeof (res as Promise<unknown>).then === 'function') {
        ;(res as Promise<unknown>).then(undefined, (err) => this.failed(room, err))
      }
    } catch (err) {
      this.failed(room, err)
    }
  }

  /** Flushes and stops watching (the room unloads or failed to load). */
  forget(room: Room): void {
    this.flush(room)
    const p = this.rooms.get(room)
    if (!p) return
    room.awareness.off('change', p.listener)
    this.rooms.delete(room)
  }

  private failed(room: Room, err: unknown): void {
    const now = Date.now()
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return
    this.lastErrorLog = now
    this.logger.error({ room: room.name, err: errorMessage(err) }, 'sync: onAwarenessSeen hook failed')
  }
}
