/**
 * The real thing on loopback: infra/local-cluster.sh (2 instances + HAProxy, the production
 * bundle) against the local PostgreSQL reached through a TCP relay this test can cut, and a
 * redis-server of its own (on a free port) that it can stop — the shared services are never
 * stopped or flushed. Each run has its own schema and key prefix (local-cluster.sh).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { PgRoomLeases } from '@copboard/storage'

const run = promisify(execFile)
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const PG = { host: '127.0.0.1', port: 5432 }
/** The local PostgreSQL, not through any relay (for looking at leases and logs). */
export const DIRECT_PG = 'postgres://postgres@127.0.0.1:5432/test'

export interface ClusterInfo {
  proxyUrl: string
  proxyPid: number
  schema: string
  redisPrefix: string
  instances: { id: string; port: number; pid: number; url: string; log: string }[]
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v as NonNullable<T>
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`)
    await sleep(everyMs)
  }
}

/** A TCP relay to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored. */
export class CuttableRelay {
  private server: Server | null = null
  private readonly sockets = new Set<Socket>()
  private open = true
  port = 0

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (!this.open) return client.destroy()
      const upstream = createConnection(PG)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('close', () => this.sockets.delete(s))
        s.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream)
      upstream.pipe(client)
    })
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r))
    this.port = (this.server.address() as { port: number }).port
  }

  cut(): void {
    this.open = false
    for (const s of this.sockets) s.destroy()
  }

  restore(): void {
    this.open = true
  }

  async stop(): Promise<void> {
    this.cut()
    await new Promise((r) => this.server?.close(r))
  }
}

/** A redis-server of this test's own, so it can be stopped without touching the shared one. */
export class PrivateRedis {
  private proc: ChildProcess | null = null
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    await waitFor('redis-server', () => this.ping(), 10_000)
  }

  ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port: this.port })
      s.setTimeout(500, () => s.destroy())
      s.on('error', () => resolve(false))
      s.on('close', () => resolve(false))
      s.on('data', (d) => {
        resolve(String(d).startsWith('+PONG'))
        s.destroy()
      })
      s.write('PING\r\n')
    })
  }

  async stop(): Promise<void> {
    const p = this.proc
    this.proc = null
    if (!p || p.exitCode !== null) return
    const exited = new Promise((r) => p.once('exit', r))
    p.kill('SIGKILL')
    await exited
  }
}

export class LocalCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'copboard-cluster-test-'))
  info!: ClusterInfo
  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    const { stdout } = await run(join(ROOT, 'infra/local-cluster.sh'), ['start'], {
      env: { ...process.env, ...this.env, CLUSTER_DIR: this.dir },
      timeout: 120_000,
    })
    const url = stdout.trim().split('\n').at(-1)!
    this.info = JSON.parse(readFileSync(join(this.dir, 'cluster.json'), 'utf8')) as ClusterInfo
    if (url !== this.info.proxyUrl) throw new Error(`local-cluster printed ${url}, cluster.json says ${this.info.proxyUrl}`)
  }

  async stop(): Promise<void> {
    await run(join(ROOT, 'infra/local-cluster.sh'), ['stop'], { env: { ...process.env, ...this.env, CLUSTER_DIR: this.dir }, timeout: 60_000 }).catch(() => {})
    rmSync(this.dir, { recursive: true, force: true })
  }

  log(id: string): string {
    try {
      return readFileSync(join(this.dir, `${id}.log`), 'utf8')
    } catch {
      return ''
    }
  }

  get wsUrl(): string {
    return this.info.proxyUrl.replace('http', 'ws') + '/sync'
  }

  /** `copboard:<id>` of the instance holding the room's lease, or null. */
  ownerOf(room: string): Promise<string | null> {
    return new PgRoomLeases({ url: DIRECT_PG, schema: this.info.schema, holder: 'copboard-test' }).owner(room)
  }

  /** The instance holding the room's lease (waits for one). */
  async ownerInstance(room: string): Promise<ClusterInfo['instances'][number]> {
    const holder = await waitFor(`owner of ${room}`, () => this.ownerOf(room))
    return this.info.instances.find((i) => `copboard:${i.id}` === holder)!
  }

  /** An instance other than `id`. */
  otherThan(id: string): ClusterInfo['instances'][number] {
    return this.info.instances.find((i) => i.id !== id)!
  }
}

export interface Health {
  ok: boolean
  status: 'ok' | 'degraded'
  instance: string
  redis: string
  postgres: string
  rooms: number
  ownedRooms: number
  connections: number
}

export async function health(baseUrl: string): Promise<Health> {
  const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) })
  return (await res.json()) as Health
}

export async function apiCall(baseUrl: string, method: string, path: string, token?: string, body?: unknown, timeoutMs = 10_000) {
  const headers: Record<string, string> = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${baseUrl}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) })
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()
  return { status: res.status, data: data as any }
}

const tokenOf = (link: string) => link.slice(link.indexOf('#t=') + 3)

/** A CoP with its first session (planned: participants may edit); the tokens and the session's room. */
export async function newBoard(baseUrl: string, name = 'CoP Warmtenet') {
  const r = await apiCall(baseUrl, 'POST', '/cops', undefined, { name })
  if (r.status !== 201) throw new Error(`POST /api/cops: ${r.status} ${JSON.stringify(r.data)}`)
  return {
    copId: r.data.cop.id as string,
    sessionId: r.data.session.id as string,
    room: r.data.session.room as string,
    facilitator: tokenOf(r.data.links.facilitator),
    participant: tokenOf(r.data.links.participant),
  }
}

export interface Client {
  doc: Y.Doc
  provider: WebsocketProvider
  closes: number[]
  text(): string
}

export function client(wsUrl: string, room: string, token: string): Client {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token },
    maxBackoffTime: 1000,
  })
  const closes: number[] = []
  provider.on('connection-close', (event: { code: number } | null) => {
    if (event) closes.push(event.code)
  })
  return { doc, provider, closes, text: () => doc.getText('t').toString() }
}

export function synced(c: Client, timeoutMs = 20_000): Promise<void> {
  return waitFor('sync', () => c.provider.synced && c.provider.wsconnected, timeoutMs).then(() => {})
}

export interface Probe {
  /** The first thing the instance did: served the room (sent a frame) or closed with this code. */
  code: number | 'served'
  /** The close code once the socket closed (null while open). */
  closedWith: number | null
  ws: WebSocket
}

/** A raw WebSocket straight to one instance: resolves with the first thing it did; `closedWith` follows the socket. */
export function probe(url: string, timeoutMs = 10_000): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const p: Probe = { code: 'served', closedWith: null, ws }
    let served = false
    const t = setTimeout(() => reject(new Error(`probe ${url}: no answer`)), timeoutMs)
    ws.once('message', () => {
      served = true
      clearTimeout(t)
      resolve(p)
    })
    ws.once('close', (code) => {
      clearTimeout(t)
      p.closedWith = code
      if (!served) p.code = code
      resolve(p)
    })
    ws.once('error', () => {})
  })
}
