export type { RoomStorage } from './storage.js'
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
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  encodeAwareness,
  encodeQueryAwareness,
  encodePermissionDenied,
  type ClientMessage,
} from './protocol.js'
export { Room, SyncConnection } from './room.js'
export { RoomManager, type RoomManagerOptions, type ConnectOptions, type RoomManagerStats } from './manager.js'
export { AwarenessSeenTap, type AwarenessSeen, type AwarenessSeenEntry, type AwarenessSeenHook } from './awarenessSeen.js'
export { filterAwarenessUpdate, type AwarenessFilter, type AwarenessState } from './awarenessFilter.js'
