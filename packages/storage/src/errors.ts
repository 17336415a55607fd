/**
 * Storage error codes, one `as const` map: code -> human reason.
 * Every error thrown on purpose by this package is a `StorageError` with one of these codes.
 */
export const StorageErrorCodes = {
  BAD_DATABASE_URL: 'DATABASE_URL is not a valid postgres:// or postgresql:// URL',
  DB_UNREACHABLE: 'the PostgreSQL server could not be reached or refused the connection',
  DATA_DIR_UNWRITABLE: 'DATA_DIR cannot be created or the database file cannot be opened for writing',
  MIGRATION_FAILED: 'a schema migration failed; the database was left at the last good version',
  SCHEMA_TOO_NEW: 'the database was migrated by a newer copboard version than this one',
  COP_NOT_FOUND: 'the CoP does not exist',
  SESSION_NOT_FOUND: 'the session does not exist',
  CLOSED: 'the storage has been closed',
} as const

export type StorageErrorCode = keyof typeof StorageErrorCodes

export class StorageError extends Error {
  override readonly name = 'StorageError'
  readonly code: StorageErrorCode
  constructor(code: StorageErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? StorageErrorCodes[code], options)
    this.code = code
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code)
}
