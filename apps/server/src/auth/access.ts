/**
 * Who is calling: resolves a secret token to { role, copId, tokenId }, with a counter of failed
 * attempts per source address and a log throttle (one line per source per minute).
 *
 * A valid token is never refused because of failures: behind a NAT or a proxy many people share
 * one address, and anyone could otherwise lock them all out with a few bad tokens. The counter
 * only turns further *bad* tokens from that source into 429 (telling a guessing script to stop);
 * guessing itself is hopeless (256-bit tokens), and the request rate per address is bounded by
 * plugins/rateLimit.ts, which bounds the lookups too.
 */
import type { Role, Storage } from '@copboard/storage'
import { ApiError } from '../plugins/api/errors'
import { hashToken, looksLikeToken } from './tokens'

export interface Access {
  role: Role
  copId: string
  tokenId: string
}

export interface AuthLogger {
  warn(obj: object, msg: string): void
}

export interface AccessResolverOptions {
  /** Failed attempts per source per window before 429. Default 30. */
  maxFailures?: number
  /** Window in ms. Default 60 000. */
  windowMs?: number
  logger?: AuthLogger
  now?: () => number
}

export class AccessResolver {
  private readonly failures = new Map<string, { count: number; since: number }>()
  private readonly lastLog = new Map<string, number>()
  private readonly maxFailures: number
  private readonly windowMs: number
  private readonly now: () => number

  constructor(
    private readonly storage: Storage,
    private readonly opts: AccessResolverOptions = {},
  ) {
    this.maxFailures = opts.maxFailures ?? 30
    this.windowMs = opts.windowMs ?? 60_000
    this.now = opts.now ?? Date.now
  }

  /** Resolves the token or throws ApiError (401, or 429 for a bad token from a source over the limit). `source` = client address. */
  async resolve(secret: string | undefined | null, source: string): Promise<Access> {
    // no token is not an attempt at guessing one: a clear 401, never counted
    if (!secret) throw new ApiError('TOKEN_MISSING')
    if (!looksLikeToken(secret)) throw this.fail(source, 'TOKEN_INVALID')
    const rec = await this.storage.findTokenByHash(hashToken(secret))
    if (!rec) throw this.fail(source, 'TOKEN_INVALID')
    if (rec.revokedAt) throw this.fail(source, 'TOKEN_REVOKED')
    return { role: rec.role, copId: rec.copId, tokenId: rec.id }
  }

  private overLimit(source: string, t: number): boolean {
    const f = this.failures.get(source)
    return f !== undefined && t - f.since <= this.windowMs && f.count > this.maxFailures
  }

  private fail(source: string, code: 'TOKEN_INVALID' | 'TOKEN_REVOKED'): ApiError {
    const t = this.now()
    const f = this.failures.get(source)
    if (!f || t - f.since > this.windowMs) this.failures.set(source, { count: 1, since: t })
    else f.count++
    const last = this.lastLog.get(source)
    if (last === undefined || t - last >= this.windowMs) {
      this.lastLog.set(source, t)
      this.opts.logger?.warn({ source, code }, 'auth: rejected token (further failures from this source are not logged for a minute)')
    }
    // keep the maps bounded
    if (this.failures.size > 10_000) this.failures.clear()
    if (this.lastLog.size > 10_000) this.lastLog.clear()
    return this.overLimit(source, t) ? new ApiError('TOO_MANY_AUTH_FAILURES') : new ApiError(code)
  }
}
