/** Per-connection and per-room bounds (SPEC.md §7). All sizes in bytes. */
export interface SyncLimits {
  /** Largest accepted frame (the transport should enforce it too, as ws maxPayload). */
  maxMessageBytes: number
  /** A connection whose unsent buffer is above this when we want to send more is closed. */
  maxBufferedBytes: number
  /** Entries in one awareness update (a query-awareness answer lists the whole room). */
  maxAwarenessEntries: number
  /** Frames a connection may send before its room has loaded; more is TOO_MANY_MESSAGES. */
  maxBacklogMessages: number
  /**
   * Bytes a connection may send before its room has loaded (besides the frame count): 256 frames
   * of the largest size would otherwise be 2 GiB held per connection. Never below two frames.
   */
  maxBacklogBytes: number
  /**
   * §7.3: accepted but not yet persisted bytes per room above which the room stops reading from
   * its connections (`SyncSocket.pause`) until the queue fell below half of it.
   */
  maxQueuedBytes: number
  /** §7.4: sustained message budget per connection (refill per second; costs in SPEC §7.4). */
  messagesPerSecond: number
  /** §7.4: message budget a connection may spend at once (a full bucket). */
  messageBurst: number
  /** §7.4: sustained byte budget per connection (every received frame counts). */
  bytesPerSecond: number
  /** §7.4: byte budget a connection may spend at once; never below two frames of `maxMessageBytes`. */
  byteBurst: number
  /** §4.5: distinct awareness client ids one connection may announce in its life. */
  maxAwarenessClientsPerConnection: number
  /** §4.5: largest awareness state (its JSON) in bytes. */
  maxAwarenessStateBytes: number
  /** §7.5: open connections per room (0 = no limit). */
  maxConnectionsPerRoom: number
  /** §7.5: open connections per client address (0 = no limit). */
  maxConnectionsPerAddress: number
}

const MiB = 1024 * 1024

export const defaultLimits: SyncLimits = {
  maxMessageBytes: 8 * MiB,
  maxBufferedBytes: 4 * MiB,
  maxAwarenessEntries: 5000,
  maxBacklogMessages: 256,
  maxBacklogBytes: 16 * MiB,
  maxQueuedBytes: 32 * MiB,
  // a person dragging shapes sends ~60 updates + ~60 presence changes per second; pasting 500
  // notes is one transaction (or, worst case, 500 frames): both stay far below these
  messagesPerSecond: 300,
  messageBurst: 3000,
  bytesPerSecond: 4 * MiB,
  byteBurst: 32 * MiB,
  // one browser tab announces one client id; a few more cover a client that renews its doc
  maxAwarenessClientsPerConnection: 4,
  // tldraw presence is ~0.5 KiB; selecting 2,000 shapes puts ~60 KiB of ids in it
  maxAwarenessStateBytes: 128 * 1024,
  // issue 12: 500 participants in one room must work (a plenary of a large CoP)
  maxConnectionsPerRoom: 1000,
  // generous: a municipality's office shares one address behind its NAT
  maxConnectionsPerAddress: 64,
}
