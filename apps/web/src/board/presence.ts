/**
 * Presence over y-websocket awareness: this client's tldraw presence (cursor, selection, camera)
 * goes out at most once per animation frame; the peers' presences come in as tldraw
 * instance_presence records, and the list of people on the board is reported to `onPeers`.
 */
import type { Awareness } from 'y-protocols/awareness'
import { createPresenceStateDerivation, InstancePresenceRecordType, react, type Atom, type TLInstancePresence, type TLStore, type TLUser } from 'tldraw'
import type { Perspective } from '../join/profile'

export interface PeerInfo {
  clientId: number
  name: string
  color: string
  perspective: Perspective | null
  role?: string
  self: boolean
}

/** Starts presence; returns its disposer. `filter` rewrites our presence before it is announced. */
export function syncPresence(
  store: TLStore,
  aw: Awareness,
  $user: Atom<TLUser | null>,
  filter: (presence: TLInstancePresence) => TLInstancePresence,
  onPeers: (peers: PeerInfo[]) => void,
): () => void {
  const presenceId = InstancePresenceRecordType.createId(String(aw.clientID))
  const $presence = createPresenceStateDerivation($user, { instanceId: presenceId })(store)
  let frame = 0
  const stopOutgoing = react('copboard presence -> awareness', () => {
    const p = $presence.get()
    if (frame) return
    frame = requestAnimationFrame(() => {
      frame = 0
      const presence = $presence.get()
      aw.setLocalStateField('presence', presence ? filter(presence) : null)
    })
    void p
  })
  const incoming = () => {
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
    const stale = store
      .query.records('instance_presence')
      .get()
      .filter((r) => !seen.has(r.id))
      .map((r) => r.id)
    store.mergeRemoteChanges(() => {
      if (stale.length) store.remove(stale)
      for (const p of toPut) {
        try {
          store.put([p])
        } catch {
          /* a peer's malformed presence is ignored */
        }
      }
    })
    peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name))
    onPeers(peers)
  }
  aw.on('change', incoming)
  incoming()
  return () => {
    stopOutgoing()
    if (frame) cancelAnimationFrame(frame)
    aw.off('change', incoming)
  }
}
