export type { RoomStorage, ComposeCompaction } from './storage.js'
export type { SyncSocket } from './socket.js'
export { CloseCodes, closeCodeName, type CloseCodeName, type CloseCode, type CloseCodeInfo } from './closeCodes.js'
export { defaultLimits, type SyncLimits } from './limits.js'
export { BadInputLog, silentLogger, errorMessage, type Logger } from './logger.js'
export { STORAGE_ORIGIN, localOrigin, isOrigin, type TransactionOrigin } from './origins.js'
export {
  MessageType,
  SyncType,
  READ_ONLY_REASON,
  AUTH_PERMISSION_DENIED,
  ProtocolError,
  decodeClientMessage,
  validateUpdate,
  type ClientMessage,
  type AwarenessEntry,
} from './protocol.js'
export { encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate, encodeAwareness, encodeQueryAwareness, encodePermissionDenied } from './frames.js'
export { Room, type RoomContext } from './room.js'
export { SyncConnection, type ConnectionRoom, type ConnectionContext } from './connection.js'
export { RateBudget, TokenBucket, MessageCost } from './rateBudget.js'
export { WriteQueue, type WriteQueueContext, type WriteQueueHost, type QueueEntry } from './writeQueue.js'
export { MAX_EVICTED_LOADS, RoomManager, type RoomManagerOptions, type ConnectOptions, type RoomManagerStats } from './manager.js'
export { AwarenessSeenTap, type AwarenessSeen, type AwarenessSeenEntry, type AwarenessSeenHook } from './awarenessSeen.js'
export { RoomOwnedElsewhereError, type RoomLease, type RoomOwnership, type RoomEvent } from './ownership.js'
export { SYNC_PROTOCOL, TOKEN_PROTOCOL_PREFIX, syncProtocols, tokenFromProtocols } from './tokenProtocol.js'
export {
  admitUpdate,
  revertTransaction,
  POLICY_REASON_PREFIX,
  type UpdatePolicy,
  type RoomPolicy,
  type UpdateContext,
  type PolicyVerdict,
} from './admission.js'
export { filterAwarenessUpdate, type AwarenessFilter, type AwarenessState } from './awarenessFilter.js'
