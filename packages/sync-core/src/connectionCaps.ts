/**
 * §7.5 Connection caps: open connections per room name and per client address (entries removed
 * at zero); a connection over a cap is closed at once with ROOM_FULL / TOO_MANY_CONNECTIONS.
 */
import type { SyncConnection } from './connection.js'
import type { SyncLimits } from './limits.js'

export class ConnectionCaps {
  private readonly perRoom = new Map<string, number>()
  private readonly perAddress = new Map<string, number>()
  private readonly counted = new Set<SyncConnection>()

  constructor(private readonly limits: SyncLimits) {}

  /** Counts `conn`, or closes it when a cap is reached (not while shutting down: it is closed anyway). */
  admit(conn: SyncConnection, closing: boolean): boolean {
    const { maxConnectionsPerRoom, maxConnectionsPerAddress } = this.limits
    const inRoom = this.perRoom.get(conn.roomName) ?? 0
    const fromAddress = conn.address === null ? 0 : (this.perAddress.get(conn.address) ?? 0)
    if (!closing) {
      if (maxConnectionsPerAddress > 0 && conn.address !== null && fromAddress >= maxConnectionsPerAddress) {
        conn.close('TOO_MANY_CONNECTIONS', `${fromAddress} connections open from ${conn.address}`)
        return false
      }
      if (maxConnectionsPerRoom > 0 && inRoom >= maxConnectionsPerRoom) {
        conn.close('ROOM_FULL', `${inRoom} connections open in the room`)
        return false
      }
    }
    this.counted.add(conn)
    this.perRoom.set(conn.roomName, inRoom + 1)
    if (conn.address !== null) this.perAddress.set(conn.address, fromAddress + 1)
    return true
  }

  /** The connection is gone. */
  uncount(conn: SyncConnection): void {
    if (!this.counted.delete(conn)) return
    const dec = (map: Map<string, number>, key: string) => {
      const n = (map.get(key) ?? 1) - 1
      if (n <= 0) map.delete(key)
      else map.set(key, n)
    }
    dec(this.perRoom, conn.roomName)
    if (conn.address !== null) dec(this.perAddress, conn.address)
  }
}
