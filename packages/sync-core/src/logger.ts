/** The logging surface the core needs; a pino / Fastify logger satisfies it. */
export interface Logger {
  debug(obj: object, msg: string): void
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/**
 * Logging of client-caused problems is an attack surface: a client sending a bad frame in a loop,
 * or many connections each sending one, must not flood the log. Two limits (SPEC.md §3.4):
 * one line per (connection, reason), and a global budget per window; what the budget drops is
 * summarised in a single line when the next window opens. Never a stack trace.
 */
export class BadInputLog {
  private windowStart = 0
  private linesInWindow = 0
  private suppressed = 0

  constructor(
    private readonly logger: Logger,
    private readonly maxLinesPerWindow = 50,
    private readonly windowMs = 1000,
    private readonly now: () => number = Date.now,
    /** Names the lines in the summary of what the budget dropped. */
    private readonly what = 'bad-input',
  ) {}

  /** Logs `reason` for `seen` (the connection's set of already-logged reasons) at most once. */
  report(seen: Set<string>, reason: string, fields: Record<string, unknown>, msg: string): void {
    if (seen.has(reason)) return
    seen.add(reason)
    this.line('warn', { reason, ...fields }, msg)
  }

  /** Logs one line within the global budget; returns false when the budget dropped it. */
  line(level: 'info' | 'warn', fields: Record<string, unknown>, msg: string): boolean {
    const t = this.now()
    if (t - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) {
        this.logger.warn({ suppressed: this.suppressed }, `sync: ${this.what} log lines suppressed by rate limit`)
      }
      this.windowStart = t
      this.linesInWindow = 0
      this.suppressed = 0
    }
    if (this.linesInWindow >= this.maxLinesPerWindow) {
      this.suppressed++
      return false
    }
    this.linesInWindow++
    this.logger[level](fields, msg)
    return true
  }
}

/** A short, single-line description of an unknown error, for logs (no stack). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300)
  return String(err).slice(0, 300)
}
