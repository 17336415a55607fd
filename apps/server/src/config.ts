/**
 * Configuration from the environment, validated once at start-up. Every bad value produces one
 * readable line naming the variable, what is expected and what was given.
 * Other helpers add their fields here (keep one schema, one Config type).
 */
// zod/mini (bundled and tree-shaken by build.mjs): the classic `zod` entry loads every locale at
// start-up, ~1.5 MiB that would stay resident for the life of the server
import * as z from 'zod/mini'
import { isIP } from 'node:net'

const MiB = 1024 * 1024

/** An env var that may be unset or empty (both mean: use the default). */
const optionalString = z.pipe(
  z.optional(z.string()),
  z.transform((v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim())),
)

function withDefault(def: string) {
  return z.pipe(optionalString, z.transform((v: string | undefined) => v ?? def))
}

function integer(min: number, max: number, def: number, unit = '') {
  return z.pipe(
    optionalString,
    z.transform((v: string | undefined, ctx) => {
      if (v === undefined) return def
      const n = Number(v)
      if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
        ctx.issues.push({ code: 'custom', message: `must be an integer from ${min} to ${max}${unit}`, input: v })
        return z.NEVER
      }
      return n
    }),
  )
}

/**
 * TRUST_PROXY: which peers may tell us the client's address in X-Forwarded-For (Fastify
 * `trustProxy`). Unset/false: nobody (the TCP peer is the client). A number: that many proxy hops.
 * Else a comma-separated list of addresses/CIDRs or the names loopback, linklocal, uniquelocal.
 * `true` (trust everyone) is refused: any client could then pick its own address.
 */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])
const trustProxy = z.pipe(
  optionalString,
  z.transform((v: string | undefined, ctx): false | number | string[] => {
    if (v === undefined || v.toLowerCase() === 'false') return false
    if (/^\d+$/.test(v)) {
      const n = Number(v)
      if (n >= 1 && n <= 10) return n
    }
    const items = v.split(',').map((x) => x.trim()).filter(Boolean)
    const bad = items.find((item) => {
      if (PROXY_NAMES.has(item)) return false
      const [ip, bits, extra] = item.split('/')
      const family = isIP(ip)
      if (!family || extra !== undefined) return true
      return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
    })
    if (items.length === 0 || bad !== undefined || v.toLowerCase() === 'true') {
      ctx.issues.push({
        code: 'custom',
        message: 'must be false, a hop count 1-10, or a comma-separated list of proxy addresses/CIDRs or loopback, linklocal, uniquelocal (true is not allowed: clients could pick their own address)',
        input: v,
      })
      return z.NEVER
    }
    return items
  }),
)

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const envShape = {
  HOST: withDefault('127.0.0.1'),
  PORT: integer(0, 65535, 8080),
  DATA_DIR: withDefault('./data'),
  DATABASE_URL: z.pipe(
    optionalString,
    z.optional(z.string().check(z.regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' }))),
  ),
  DATABASE_SCHEMA: z.pipe(
    optionalString,
    z.optional(z.string().check(z.regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a PostgreSQL schema name [a-z_][a-z0-9_]*' }))),
  ),
  DATABASE_POOL_SIZE: integer(1, 200, 10, ' connections (per instance; room leases use one more each)'),
  REDIS_URL: z.pipe(
    optionalString,
    z.optional(z.string().check(z.regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' }))),
  ),
  REDIS_PREFIX: z.pipe(
    withDefault('copboard:'),
    z.string().check(z.regex(/^[A-Za-z0-9:_.-]{1,64}$/, { message: 'must be 1-64 characters A-Z a-z 0-9 : _ . -' })),
  ),
  INSTANCE_ID: z.pipe(
    optionalString,
    z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'must be 1-40 characters A-Z a-z 0-9 _ . -' }))),
  ),
  TLDRAW_LICENSE_KEY: optionalString,
  LOG_LEVEL: z.pipe(optionalString, z.optional(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }))),
  MAX_MESSAGE_BYTES: integer(1024, 256 * MiB, 8 * MiB, ' bytes'),
  MAX_BUFFERED_BYTES: integer(64 * 1024, 1024 * MiB, 4 * MiB, ' bytes'),
  MAX_QUEUED_BYTES: integer(64 * 1024, 4096 * MiB, 32 * MiB, ' bytes (per room: edits not yet persisted before the room pauses its sockets)'),
  ROOM_IDLE_MS: integer(0, 24 * 3600_000, 30_000, ' ms'),
  PING_INTERVAL_MS: integer(100, 30_000, 25_000, ' ms (dead sockets must go within 60 s)'),
  COMPACT_AFTER_UPDATES: integer(2, 1_000_000, 500),
  MAX_MESSAGES_PER_SECOND: integer(1, 1_000_000, 300, ' (sync messages per connection and second)'),
  MESSAGE_BURST: integer(1, 10_000_000, 3000, ' (sync messages a connection may send at once)'),
  MAX_BYTES_PER_SECOND: integer(1024, 4096 * MiB, 4 * MiB, ' bytes (per connection and second)'),
  BYTE_BURST: integer(1024, 4096 * MiB, 32 * MiB, ' bytes (a connection may send at once; at least 2 x MAX_MESSAGE_BYTES)'),
  MAX_CONNECTIONS_PER_ROOM: integer(0, 1_000_000, 1000, ' (0 = no limit; issue 12: 500 participants in one room)'),
  MAX_CONNECTIONS_PER_ADDRESS: integer(0, 1_000_000, 64, ' (0 = no limit)'),
  TRUST_PROXY: trustProxy,
  API_REQUESTS_PER_MINUTE: integer(1, 10_000_000, 600, ' (per client address)'),
  SYNC_UPGRADES_PER_MINUTE: integer(1, 10_000_000, 300, ' (WebSocket connection attempts per client address)'),
  WEB_DIST_DIR: optionalString,
  AUTOSAVE_MINUTES: integer(0, 24 * 60, 5, ' minutes (0 = only on idle and at the end)'), // ARCHIVE
  DEMO_COP: z.pipe(optionalString, z.optional(z.enum(['on', 'off'], { message: 'must be on or off' }))), // issue 11
  ALLOWED_ORIGINS: z.pipe(
    optionalString,
    z.transform((v: string | undefined, ctx) => {
      const origins: string[] = []
      for (const item of (v ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
        let url: URL | null = null
        try {
          url = new URL(item)
        } catch {
          /* reported below */
        }
        if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== item.replace(/\/$/, '')) {
          ctx.issues.push({ code: 'custom', message: `must be a comma-separated list of origins like https://bord.gemeente.nl (bad: ${JSON.stringify(item)})`, input: v })
          return z.NEVER
        }
        origins.push(url.origin)
      }
      return origins
    }),
  ),
}
const envSchema = z.object(envShape)

export interface Config {
  host: string
  port: number
  dataDir: string
  databaseUrl: string | undefined
  /** PostgreSQL schema of the tables (default: the URL's search_path). */
  databaseSchema: string | undefined
  /** PostgreSQL pool size per instance (room leases add one connection per owned room). */
  databasePoolSize: number
  /** Several instances: cross-instance events, shared limits (absent: one instance, in-memory). */
  redisUrl: string | undefined
  /** Prefix of every Redis key and channel (so deployments and test runs sharing a Redis never meet). */
  redisPrefix: string
  /** This instance's name in logs, metrics and as the holder of room leases. Default host-port. */
  instanceId: string | undefined
  tldrawLicenseKey: string | undefined
  logLevel: (typeof LOG_LEVELS)[number]
  /** Largest WebSocket frame accepted (ws maxPayload and sync-core limit). */
  maxMessageBytes: number
  /** Unsent bytes to one client above which it is closed as a slow consumer. */
  maxBufferedBytes: number
  /** sync-core §7.3: a room's accepted but unpersisted bytes above which it stops reading its sockets. */
  maxQueuedBytes: number
  /** Grace period before a room without connections is unloaded. */
  roomIdleMs: number
  /** Keepalive ping period; a socket missing one pong is terminated at the next tick. */
  pingIntervalMs: number
  compactAfterUpdates: number
  /** sync-core §7.4: per-connection rate budget. */
  messagesPerSecond: number
  messageBurst: number
  bytesPerSecond: number
  byteBurst: number
  /** sync-core §7.5: connection caps (0 = no limit). */
  maxConnectionsPerRoom: number
  maxConnectionsPerAddress: number
  /** Fastify `trustProxy`: who may set X-Forwarded-For (limits key on the real client address). */
  trustProxy: false | number | string[]
  /** HTTP rate limits per client address (plugins/rateLimit.ts). */
  apiRequestsPerMinute: number
  syncUpgradesPerMinute: number
  /** The built web app (default: apps/web/dist next to this server). */
  webDistDir: string | undefined
  /** ARCHIVE: autosave period of live sessions' boards. */
  autosaveMinutes: number
  /** Issue 11: offer the demo CoP "Warmtetransitie (voorbeeld)" on an empty data folder (DEMO_COP=off hides it). */
  demoCop: boolean
  /** Browser origins besides the server's own that may open /sync and call state-changing /api routes. */
  allowedOrigins: string[]
}

const SECRET_KEYS = new Set(['DATABASE_URL', 'REDIS_URL', 'TLDRAW_LICENSE_KEY'])

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

/** Reads and validates the configuration; throws ConfigError listing every bad value. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const keys = Object.keys(envShape) as (keyof typeof envShape)[]
  const input: Record<string, string | undefined> = {}
  for (const k of keys) input[k] = env[k]
  const parsed = envSchema.safeParse(input)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?')
      const raw = env[key]
      // secrets are never echoed
      const got = SECRET_KEYS.has(key) ? 'a value that is not shown' : JSON.stringify(raw)
      return `${key}: ${issue.message} (got ${got})`
    })
    throw new ConfigError(problems)
  }
  const e = parsed.data
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    instanceId: e.INSTANCE_ID,
    tldrawLicenseKey: e.TLDRAW_LICENSE_KEY,
    logLevel: e.LOG_LEVEL ?? 'info',
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    maxQueuedBytes: e.MAX_QUEUED_BYTES,
    roomIdleMs: e.ROOM_IDLE_MS,
    pingIntervalMs: e.PING_INTERVAL_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    messagesPerSecond: e.MAX_MESSAGES_PER_SECOND,
    messageBurst: e.MESSAGE_BURST,
    bytesPerSecond: e.MAX_BYTES_PER_SECOND,
    byteBurst: e.BYTE_BURST,
    maxConnectionsPerRoom: e.MAX_CONNECTIONS_PER_ROOM,
    maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    trustProxy: e.TRUST_PROXY,
    apiRequestsPerMinute: e.API_REQUESTS_PER_MINUTE,
    syncUpgradesPerMinute: e.SYNC_UPGRADES_PER_MINUTE,
    webDistDir: e.WEB_DIST_DIR,
    autosaveMinutes: e.AUTOSAVE_MINUTES,
    demoCop: e.DEMO_COP !== 'off',
    allowedOrigins: e.ALLOWED_ORIGINS,
  }
}
