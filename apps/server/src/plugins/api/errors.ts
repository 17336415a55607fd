/**
 * Every HTTP error the server answers on purpose (REST API, token authorizer, origin check):
 * code -> HTTP status + reason.
 * Response body: { error: <code>, message: <text> }. One `as const` map; a test checks it.
 */
export const ApiErrors = {
  // 400
  VALIDATION_FAILED: { status: 400, reason: 'the request does not match the route schema' },
  BAD_SNAPSHOT_UPLOAD: { status: 400, reason: 'an uploaded render is not a valid PNG or SVG' },
  SNAPSHOT_OTHER_COP: { status: 400, reason: 'the snapshot belongs to another CoP' },
  TEMPLATE_UNKNOWN: { status: 400, reason: 'no template with this id' },
  // 401
  TOKEN_MISSING: { status: 401, reason: 'no access token: open the link you were given' },
  TOKEN_INVALID: { status: 401, reason: 'the access token is not valid' },
  TOKEN_REVOKED: { status: 401, reason: 'the access token was revoked by the facilitator' },
  // 403
  FACILITATOR_ONLY: { status: 403, reason: 'only the facilitator may do this' },
  OTHER_COP: { status: 403, reason: 'this token belongs to another CoP' },
  NOT_YOUR_DRAFT: { status: 403, reason: 'a private draft can be opened only by the participant who writes it' },
  DRAFT_NOT_FOR_VIEWERS: { status: 403, reason: 'viewers do not write private drafts' },
  ORIGIN_NOT_ALLOWED: { status: 403, reason: 'requests from this web origin are not allowed (see ALLOWED_ORIGINS)' },
  // 404
  NOT_FOUND: { status: 404, reason: 'no such route' },
  COP_NOT_FOUND: { status: 404, reason: 'the CoP does not exist' },
  SESSION_NOT_FOUND: { status: 404, reason: 'the session does not exist' },
  ROOM_NOT_FOUND: { status: 404, reason: 'no board with this id' },
  SNAPSHOT_NOT_FOUND: { status: 404, reason: 'the snapshot does not exist' },
  PART_NOT_FOUND: { status: 404, reason: 'this snapshot has no such part' },
  TOKEN_NOT_FOUND: { status: 404, reason: 'no such link' },
  DEMO_OFF: { status: 404, reason: 'the demo CoP is not offered here (DEMO_COP=off, or the data folder was not empty at start-up)' },
  // 409
  SESSION_STATE_CONFLICT: { status: 409, reason: 'the session is not in the state this action needs' },
  CANNOT_REVOKE_OWN_TOKEN: { status: 409, reason: 'a facilitator cannot revoke the link they are using' },
  ROOM_MOVED: { status: 409, reason: 'another instance serves this board: open its sync socket (the proxy routes it there)' },
  // 413
  PAYLOAD_TOO_LARGE: { status: 413, reason: 'the request body is too large' },
  // 429
  RATE_LIMITED: { status: 429, reason: 'too many requests; try again in a minute' },
  TOO_MANY_AUTH_FAILURES: { status: 429, reason: 'too many failed attempts with bad tokens; try again in a minute' },
  // 500
  INTERNAL: { status: 500, reason: 'internal error' },
  // 503
  BOARD_UNAVAILABLE: { status: 503, reason: 'the board cannot be loaded right now (storage unavailable or the server is stopping); try again' },
} as const

export type ApiErrorCode = keyof typeof ApiErrors

export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly statusCode: number
  constructor(
    readonly code: ApiErrorCode,
    message?: string,
  ) {
    super(message ?? ApiErrors[code].reason)
    this.statusCode = ApiErrors[code].status
  }
  toJSON(): { error: ApiErrorCode; message: string } {
    return { error: this.code, message: this.message }
  }
}
