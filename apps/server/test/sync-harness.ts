/** Real server on 127.0.0.1:0 with SQLite in a temp dir, logs captured as JSON lines. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import WebSocket from 'ws'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { openStorage, type Storage } from '@copboard/storage'
import { buildApp, type Authorize } from '../src/app.js'
import { allowAll } from '../src/plugins/sync.js'
import { loadConfig, type Config } from '../src/config.js'
import type { FastifyInstance } from 'fastify'
import type { HttpRateLimits } from '../src/plugins/rateLimit.js'

export interface TestServer {
  app: FastifyInstance
  storage: Storage
  dataDir: string
  port: number
  syncUrl: string
  logs: Record<string, unknown>[]
  stop(): Promise<void>
  /** Stops and removes the data directory. */
  dispose(): Promise<void>
}

export async function startServer(
  overrides: Partial<Config> = {},
  opts: {
    dataDir?: string
    authorize?: Authorize
    realAuth?: boolean
    httpRateLimits?: Partial<HttpRateLimits>
    /** Awaited before every append of the server (e.g. a gate that stalls the storage). */
    beforeAppend?: () => Promise<void>
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'copboard-sync-'))
  const storage = await openStorage({ dataDir })
  // the app binds the storage it is given at start-up: a stall must be wrapped in before that
  const served = opts.beforeAppend ? withAppendHook(storage, opts.beforeAppend) : storage
  const logs: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line))
      cb()
    },
  })
  const config: Config = { ...loadConfig({}), port: 0, dataDir, logLevel: 'info', ...overrides }
  // realAuth: the archive's token authorizer, as in production
  const authorize = opts.realAuth ? undefined : (opts.authorize ?? allowAll)
  const app = await buildApp(config, { storage: served, authorize, logger: { level: 'info', stream }, httpRateLimits: opts.httpRateLimits })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    await app.close()
    await storage.close()
  }
  return {
    app,
    storage,
    dataDir,
    port,
    syncUrl: `ws://127.0.0.1:${port}/sync`,
    logs,
    stop,
    dispose: async () => {
      await stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function withAppendHook(storage: Storage, before: () => Promise<void>): Storage {
  const hooked = Object.create(storage) as Storage
  hooked.appendUpdates = async (room, updates) => {
    await before()
    return storage.appendUpdates(room, updates)
  }
  return hooked
}

export function provider(syncUrl: string, room: string, doc = new Y.Doc(), params: Record<string, string> = {}) {
  return new WebsocketProvider(syncUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params,
  })
}

export function synced(p: WebsocketProvider): Promise<void> {
  if (p.synced) return Promise.resolve()
  return new Promise((resolve) => p.once('sync', (s: boolean) => s && resolve()))
}

export async function waitFor(cond: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A healthy round trip: one provider writes, another one sees it. */
export async function roundTrip(syncUrl: string, room = `rt${Math.random().toString(36).slice(2)}`): Promise<void> {
  const a = provider(syncUrl, room)
  const b = provider(syncUrl, room)
  try {
    await Promise.all([synced(a), synced(b)])
    a.doc.getMap('m').set('k', 'v')
    await waitFor(() => b.doc.getMap('m').get('k') === 'v', 'round trip')
  } finally {
    a.destroy()
    b.destroy()
  }
}

/** Opens a raw ws client and resolves once it is open. */
export function rawClient(url: string, opts: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })))
}

/** A raw awareness frame as any client may send it: each entry's `json` verbatim, else its `state` as JSON. */
export function awarenessFrame(entries: { id: number; clock: number; state?: unknown; json?: string }[]): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const en of entries) {
    encoding.writeVarUint(inner, en.id)
    encoding.writeVarUint(inner, en.clock)
    encoding.writeVarString(inner, en.json ?? JSON.stringify(en.state))
  }
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, 1)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}
