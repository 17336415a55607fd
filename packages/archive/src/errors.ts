/**
 * What the archive refuses, by code. The server answers each with the HTTP error of the same code
 * (apps/server/src/plugins/api/errors.ts); `detail`, when given, replaces that error's reason.
 */
export type ArchiveErrorCode = 'COP_NOT_FOUND' | 'SESSION_NOT_FOUND' | 'SNAPSHOT_NOT_FOUND' | 'PART_NOT_FOUND' | 'TEMPLATE_UNKNOWN' | 'SESSION_STATE_CONFLICT' | 'TOKEN_NOT_FOUND'

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError'
  constructor(
    readonly code: ArchiveErrorCode,
    readonly detail?: string,
  ) {
    super(detail ?? code)
  }
}
