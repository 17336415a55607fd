export { AccessResolver, type Access, type AccessResolverOptions, type AuthLogger } from './access'
export { roleOnBoard, createSyncAuthorizer, tokenFromQuery, tokenFromProtocols, syncToken, SYNC_PROTOCOL, TOKEN_PROTOCOL_PREFIX, type Authorize, type AuthorizeResult, type SyncAuthorizerHooks } from './authorizer'
export { bearerToken, requireToken, accessFor, requireFacilitator } from './rest'
export { hashToken, mintToken, looksLikeToken, redactUrl, TOKEN_BYTES } from './tokens'
