/**
 * Every WebSocket close code copboard's sync endpoint uses, in one place.
 *
 * Ranges follow the convention of the stock y-websocket client (3.x):
 * - 4400–4499 mirror HTTP 4xx: the client did something reconnecting cannot fix, so the
 *   client stops reconnecting and emits `closed` (the web board then says so, with a reload
 *   button: apps/web/src/board/connectionHealth.ts; its unsent edits wait in the tab's cache).
 * - 4500–4599 mirror HTTP 5xx: transient, the client reconnects with back-off and resyncs
 *   (nothing is lost: its document still holds every edit the server did not confirm).
 * - 1xxx are RFC 6455 codes; those marked `sentBy: 'transport'` are sent by the `ws` library
 *   itself (we document them because a client can observe them).
 */
export const CloseCodes = {
  NORMAL: {
    code: 1000,
    reason: 'normal closure',
    sentBy: 'server',
    description: 'The server ended the connection on purpose (e.g. the room was closed by the application).',
  },
  GOING_AWAY: {
    code: 1001,
    reason: 'server shutting down',
    sentBy: 'server',
    description: 'Graceful shutdown (SIGTERM/SIGINT): every edit was persisted first; reconnect to another instance or later.',
  },
  TRANSPORT_PROTOCOL_ERROR: {
    code: 1002,
    reason: 'websocket protocol error',
    sentBy: 'transport',
    description: 'The frame violated RFC 6455 (bad opcode, unmasked client frame, bad fragmentation). Sent by ws.',
  },
  INVALID_UTF8: {
    code: 1007,
    reason: 'invalid utf-8 in text frame',
    sentBy: 'transport',
    description: 'A text frame was not valid UTF-8. Sent by ws before the frame reaches the room.',
  },
  MESSAGE_TOO_BIG: {
    code: 1009,
    reason: 'message too big',
    sentBy: 'both',
    description: 'A frame exceeded MAX_MESSAGE_BYTES (default 8 MiB). ws enforces it as maxPayload; the room re-checks.',
  },
  INTERNAL_ERROR: {
    code: 1011,
    reason: 'internal error',
    sentBy: 'server',
    description: 'An unexpected server fault while handling this connection (logged with detail). Reconnect.',
  },
  MALFORMED_MESSAGE: {
    code: 4400,
    reason: 'malformed message',
    sentBy: 'server',
    description: 'A binary frame that is not a y-websocket message: empty, truncated, or with trailing bytes.',
  },
  UNAUTHORIZED: {
    code: 4401,
    reason: 'unauthorized',
    sentBy: 'server',
    description: 'The link token is no longer valid (e.g. revoked while connected).',
  },
  FORBIDDEN: {
    code: 4403,
    reason: 'forbidden',
    sentBy: 'server',
    description: 'The token does not grant access to this room any more.',
  },
  ROOM_NOT_FOUND: {
    code: 4404,
    reason: 'room not found',
    sentBy: 'server',
    description: 'The room was deleted while connected.',
  },
  UNSUPPORTED_MESSAGE_TYPE: {
    code: 4405,
    reason: 'unsupported message type',
    sentBy: 'server',
    description: 'Unknown y-websocket message type or sync sub-type (only 0 sync, 1 awareness, 3 query-awareness).',
  },
  OVERLONG_VARINT: {
    code: 4406,
    reason: 'overlong varint',
    sentBy: 'server',
    description: 'A variable-length integer in the envelope is non-minimal, longer than 8 bytes or above 2^53-1.',
  },
  TEXT_FRAME: {
    code: 4415,
    reason: 'text frames are not supported',
    sentBy: 'server',
    description: 'The y-websocket protocol is binary; a text frame is rejected.',
  },
  INVALID_UPDATE: {
    code: 4422,
    reason: 'invalid document update',
    sentBy: 'server',
    description: 'A sync step 2 or update payload is not a decodable Yjs update. Nothing of it is stored or applied.',
  },
  INVALID_AWARENESS: {
    code: 4423,
    reason: 'invalid awareness update',
    sentBy: 'server',
    description: 'An awareness payload is not well formed: bad encoding, state not JSON object/null, too many entries.',
  },
  INVALID_STATE_VECTOR: {
    code: 4424,
    reason: 'invalid state vector',
    sentBy: 'server',
    description: 'A sync step 1 payload is not a decodable Yjs state vector.',
  },
  AWARENESS_LIMIT: {
    code: 4413,
    reason: 'awareness limit exceeded',
    sentBy: 'server',
    description: 'An awareness state was larger than maxAwarenessStateBytes (128 KiB), or one connection announced more client ids than maxAwarenessClientsPerConnection (4). Nothing of that update was applied.',
  },
  TOO_MANY_MESSAGES: {
    code: 4429,
    reason: 'too many messages',
    sentBy: 'server',
    description: 'The connection sent more messages or bytes per second than its rate budget allows (burst + refill, MAX_MESSAGES_PER_SECOND / MAX_BYTES_PER_SECOND), or more than the bounded backlog while its room was still loading.',
  },
  STORAGE_UNAVAILABLE: {
    code: 4500,
    reason: 'storage unavailable',
    sentBy: 'server',
    description: 'Loading the room or appending an edit to the durable log failed; the edit was NOT broadcast. Reconnect: the client resends it.',
  },
  QUEUE_FULL: {
    code: 4507,
    reason: 'write queue full',
    sentBy: 'server',
    description: 'The room\'s not-yet-persisted edits passed MAX_QUEUED_BYTES and this transport cannot pause reading. Reconnect: the client resends its edits in sync step 2.',
  },
  ROOM_FULL: {
    code: 4508,
    reason: 'room full',
    sentBy: 'server',
    description: 'The room already has MAX_CONNECTIONS_PER_ROOM connections. Transient: the client retries with back-off and gets in once someone left.',
  },
  TOO_MANY_CONNECTIONS: {
    code: 4509,
    reason: 'too many connections from this address',
    sentBy: 'server',
    description: 'This client address already has MAX_CONNECTIONS_PER_ADDRESS open connections (behind a proxy: see TRUST_PROXY). Transient: the client retries with back-off.',
  },
  ROOM_MOVED: {
    code: 4510,
    reason: 'room is served by another instance',
    sentBy: 'server',
    description: 'Several instances (§12): another instance owns this room. Reconnect through the proxy, which routes the room to its owner; this instance never serves its own copy.',
  },
  SLOW_CONSUMER: {
    code: 4503,
    reason: 'slow consumer',
    sentBy: 'server',
    description: 'The unsent buffer to this client passed MAX_BUFFERED_BYTES. Reconnect to resync compactly.',
  },
} as const satisfies Record<string, CloseCodeInfo>

export interface CloseCodeInfo {
  code: number
  /** Sent in the close frame; at most 123 bytes (RFC 6455). */
  reason: string
  sentBy: 'server' | 'transport' | 'both'
  description: string
}

export type CloseCodeName = keyof typeof CloseCodes
export type CloseCode = (typeof CloseCodes)[CloseCodeName]['code']

const byCode = new Map<number, CloseCodeName>(
  (Object.keys(CloseCodes) as CloseCodeName[]).map((name) => [CloseCodes[name].code, name]),
)

/** The name of a documented close code, or undefined. */
export function closeCodeName(code: number): CloseCodeName | undefined {
  return byCode.get(code)
}
