/**
 * Who is calling: resolves a secret token to { role, copId, tokenId }, with a limiter for failed
 * attempts (per source address) and a log throttle (one line per source per minute).
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

/**
 * Failed attempts shared by every instance (Redis; issue 13). The resolver counts locally as
 * well and uses the larger count, so an unreachable store never lifts the limit.
 */
export interface SharedFailureStore {
  /** Failures of `source` in the current window. */
  count(source: string): Promise<number>
  /** Records one failure; the window starts with the first. */
  hit(source: string, windowMs: number): Promise<void>
}

export interface AccessResolverOptions {
  /** Several instances: failures counted across all of them. */
  shared?: SharedFailureStore
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

  /** Resolves the token or throws ApiError (401 / 429). `source` = client address. */
  async resolve(secret: string | undefined | null, source: string): Promise<Access> {
    await this.checkLimit(source)
    if (!secret) throw this.fail(source, 'TOKEN_MISSING')
    if (!looksLikeToken(secret)) throw this.fail(source, 'TOKEN_INVALID')
    const rec = await this.storage.findTokenByHash(hashToken(secret))
    if (!rec) throw this.fail(source, 'TOKEN_INVALID')
    if (rec.revokedAt) throw this.fail(source, 'TOKEN_REVOKED')
    return { role: rec.role, copId: rec.copId, tokenId: rec.id }
  }

  private async checkLimit(source: string): Promise<void> {
    let local = 0
    const f = this.failures.get(source)
    if (f && this.now() - f.since > this.windowMs) this.failures.delete(source)
    else if (f) local = f.count
    if (local >= this.maxFailures) throw new ApiError('TOO_MANY_AUTH_FAILURES')
    const shared = this.opts.shared ? await this.opts.shared.count(source).catch(() => 0) : 0
    if (shared >= this.maxFailures) throw new ApiError('TOO_MANY_AUTH_FAILURES')
  }

  private fail(source: string, code: 'TOKEN_MISSING' | 'TOKEN_INVALID' | 'TOKEN_REVOKED'): ApiError {
    const t = this.now()
    const f = this.failures.get(source)
    if (!f || t - f.since > this.windowMs) this.failures.set(source, { count: 1, since: t })
    else f.count++
    this.opts.shared?.hit(source, this.windowMs).catch(() => {})
    if (code !== 'TOKEN_MISSING') {
      const last = this.lastLog.get(source)
      if (last === undefined || t - last >= this.windowMs) {
        this.lastLog.set(source, t)
        this.opts.logger?.warn({ source, code }, 'auth: rejected token (further failures from this source are not logged for a minute)')
      }
    }
    // keep the maps bounded
    if (this.failures.size > 10_000) this.failures.clear()
    if (this.lastLog.size > 10_000) this.lastLog.clear()
    return new ApiError(code)
  }
}
